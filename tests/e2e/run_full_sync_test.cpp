// "fullSync": true (the platform component's option): the source table's primary key, the
// destination's content replaced, on a new table and on one that has another key.
#include "run_fixture.hpp"

using namespace kbc::e2e;
using nlohmann::json;

TEST_CASE("run fullSync: a missing destination table is created with the source table's primary key") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "orders"}, {"fullSync", true}}}));
  const auto result = world.run({"run", config.string()});
  REQUIRE(result.exit_code == 0);
  CHECK(world.destination_table("in.c-from-eu.orders")["primaryKey"] == json::array({"id"}));
  CHECK(world.destination_rows("in.c-from-eu.orders") == sorted(seed_orders));
}

TEST_CASE("run fullSync: an existing table gets the source's primary key and only the source's rows") {
  RunWorld world;
  // First a copy by another key, then a row only the destination has.
  const auto by_customer = world.config(json::array({{{"name", "orders"}, {"primaryKey", {"customer_id"}}}}), "in.c-from-eu", "first.json");
  REQUIRE(world.run({"run", by_customer.string()}).exit_code == 0);
  REQUIRE(world.destination_table("in.c-from-eu.orders")["primaryKey"] == json::array({"customer_id"}));
  const auto file = world.destination.upload_file("extra.csv", "id,customer_id,amount,status\n77,99,1.00,extra\n");
  REQUIRE(world.destination.run_job("/v2/storage/tables/in.c-from-eu.orders/import-async",
                                    {{"dataFileId", file}, {"incremental", true}})["status"] == "success");
  // customer 10's two orders merged into one by that key, plus order 77
  REQUIRE(world.destination_rows("in.c-from-eu.orders").size() == 3);

  const auto report = world.dir.path() / "report.json";
  const auto config = world.config(json::array({{{"name", "orders"}, {"fullSync", true}}}));
  const auto result = world.run({"run", config.string(), "--report", report.string()});
  REQUIRE(result.exit_code == 0);
  CHECK(world.destination_table("in.c-from-eu.orders")["primaryKey"] == json::array({"id"}));
  CHECK(world.destination_rows("in.c-from-eu.orders") == sorted(seed_orders));
  CHECK(json::parse(std::ifstream(report))["tables"][0]["action"] == "replace");
  CHECK_THAT(result.err, Catch::Contains("primary key of in.c-from-eu.orders changed from customer_id to id"));
}

TEST_CASE("run fullSync: a source table without a primary key removes the destination's") {
  RunWorld world;
  const auto keyed = world.config(json::array({{{"name", "order_items"}, {"primaryKey", {"sku"}}}}), "in.c-from-eu", "first.json");
  REQUIRE(world.run({"run", keyed.string()}).exit_code == 0);
  REQUIRE(world.destination_table("in.c-from-eu.order_items")["primaryKey"] == json::array({"sku"}));
  const auto config = world.config(json::array({{{"name", "order_items"}, {"fullSync", true}}}));
  REQUIRE(world.run({"run", config.string()}).exit_code == 0);
  CHECK(world.destination_table("in.c-from-eu.order_items")["primaryKey"] == json::array());
  CHECK(world.destination_rows("in.c-from-eu.order_items") == sorted(seed_order_items));
}
