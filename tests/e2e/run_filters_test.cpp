// Export filters (columns, whereColumn/whereValues/whereOperator, changedUntil): a filtered copy
// lands only the rows and columns asked for.
#include "run_fixture.hpp"

#include "kbc_storage_extract/storage_api/parse.hpp"

using namespace kbc::e2e;
using nlohmann::json;

TEST_CASE("run: columns and whereColumn/whereValues land only those columns of the matching rows") {
  RunWorld world;
  const auto config = world.config(json::array(
      {{{"name", "orders"}, {"columns", {"id", "status"}}, {"whereColumn", "status"}, {"whereValues", {"new"}},
        {"primaryKey", {"id"}}}}));
  const auto result = world.run({"run", config.string()});
  REQUIRE(result.exit_code == 0);
  CHECK(world.destination_table("in.c-from-eu.orders")["columns"] == json({"id", "status"}));
  CHECK(world.destination_table("in.c-from-eu.orders")["primaryKey"] == json({"id"}));
  CHECK(world.destination_rows("in.c-from-eu.orders") == sorted({{"1", "new"}}));
}

TEST_CASE("run: whereOperator ne keeps the rows whose value is none of whereValues") {
  RunWorld world;
  const auto config = world.config(json::array(
      {{{"name", "order_items"}, {"whereColumn", "sku"}, {"whereValues", {"A-1", "C-3"}}, {"whereOperator", "ne"}}}));
  const auto result = world.run({"run", config.string()});
  REQUIRE(result.exit_code == 0);
  CHECK(world.destination_rows("in.c-from-eu.order_items") == sorted({{"1", "B-7", "1"}}));
}

TEST_CASE("run: changedUntil leaves out the rows changed at or after it") {
  RunWorld world;
  world.advance_clock(2 * 86400);  // rows loaded now are two days younger than the seed's
  world.load_source("in.c-sales.order_items", "order_id,sku,qty\n4,D-4,9\n", true);
  const auto tomorrow = kbc::storage_api::format_iso_utc(std::chrono::system_clock::now() + std::chrono::hours(24));
  const auto config = world.config(json::array({{{"name", "order_items"}, {"changedUntil", tomorrow}}}));
  const auto result = world.run({"run", config.string()});
  REQUIRE(result.exit_code == 0);
  CHECK(world.destination_rows("in.c-from-eu.order_items") == sorted(seed_order_items));
}

TEST_CASE("run: a filter on a column the source table lacks fails that table before anything is exported") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "orders"}, {"columns", {"id", "colour"}}}}));
  const auto result = world.run({"run", config.string()});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains("in.c-sales.orders has no column colour") &&
                             Catch::Contains("id, customer_id, amount, status"));
  CHECK_FALSE(world.destination_has("in.c-from-eu.orders"));
}
