// `run`: full loads, creation of missing tables, replace, and the sliced + gzipped path.
#include "run_fixture.hpp"

using namespace kbc::e2e;
using nlohmann::json;

TEST_CASE("run: a missing destination table is created with the configured primary key and gets every row") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "orders"}, {"primaryKey", {"id"}}}}));
  const auto result = world.run({"run", config.string()});
  REQUIRE(result.exit_code == 0);
  CHECK(world.destination_rows("in.c-from-eu.orders") == sorted(seed_orders));
  const auto table = world.destination_table("in.c-from-eu.orders");
  CHECK(table["primaryKey"] == json::array({"id"}));
  CHECK(table["columns"] == json::array({"id", "customer_id", "amount", "status"}));
  CHECK_THAT(result.out, Catch::Contains("orders -> in.c-from-eu.orders") && Catch::Contains("create") &&
                             Catch::Contains("1 ok, 0 failed, 0 skipped"));
}

TEST_CASE("run: a full load (not incremental) replaces the destination table's content") {
  RunWorld world;
  // The destination already holds customers 10 ("Alice (old)") and 99.
  const auto config = world.config(json::array({{{"name", "customers"}, {"incremental", false}}}));
  const auto result = world.run({"run", config.string()});
  REQUIRE(result.exit_code == 0);
  CHECK(world.destination_rows("in.c-from-eu.customers") == sorted(seed_customers));
  CHECK_THAT(result.out, Catch::Contains("replace"));
}

TEST_CASE("run: a table copies into a differently named destination table") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "order_items"}, {"destination", "items_copy"}}}));
  REQUIRE(world.run({"run", config.string()}).exit_code == 0);
  CHECK(world.destination_rows("in.c-from-eu.items_copy") == sorted(seed_order_items));
  CHECK_FALSE(world.destination_has("in.c-from-eu.order_items"));
}

TEST_CASE("run: a missing destination bucket is created when the destination token may manage buckets") {
  RunWorld world;
  world.env["KBC_DESTINATION_TOKEN"] = destination_master;
  const auto config = world.config(json::array({{{"name", "customers"}}}), "in.c-brand-new");
  REQUIRE(world.run({"run", config.string()}).exit_code == 0);
  CHECK(world.destination.get("/v2/storage/buckets/in.c-brand-new").status == 200);
  CHECK(world.destination_rows("in.c-brand-new.customers") == sorted(seed_customers));
}

TEST_CASE("run: a sliced and gzipped export is copied slice by slice and imported whole") {
  // Slices of 4 KiB: the 5000-row generated table comes in dozens of slices.
  RunWorld world({"--faults", "--slice-size", "4096"});
  const auto config = world.config(json::array({{{"name", "events"}, {"primaryKey", {"id"}}}}));
  const auto report = world.dir.path() / "report.json";
  const auto result = world.run({"run", config.string(), "--parallel", "3", "--report", report.string()});
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.err, Catch::Matches("(.|\n)*copying events.csv.gz \\([0-9]{2,} slices(.|\n)*"));
  const auto expected = world.rows_of(world.source, "in.c-sales.events");
  REQUIRE(expected.size() == 5000);
  CHECK(world.destination_rows("in.c-from-eu.events") == expected);
  const auto json_report = json::parse(std::ifstream(report));
  CHECK(json_report["tables"][0]["rows"] == 5000);
  // gzip passed through: far fewer bytes moved than the table's CSV size.
  CHECK(json_report["tables"][0]["bytes"].get<std::uint64_t>() < json_report["tables"][0]["sourceDataSizeBytes"].get<std::uint64_t>());
}

TEST_CASE("run: a primary key that the data does not keep unique is reported in the summary and the report") {
  RunWorld world;
  // order_items has no key of its own and two rows with order_id 1: by that key they merge.
  const auto config = world.config(json::array({{{"name", "order_items"}, {"destination", "items"}, {"primaryKey", {"order_id"}}},
                                                {{"name", "customers"}, {"destination", "people"}, {"primaryKey", {"id"}}}}));
  const auto report = world.dir.path() / "report.json";
  auto result = world.run({"run", config.string(), "--report", report.string()});
  REQUIRE(result.exit_code == 0);
  CHECK(world.destination_rows("in.c-from-eu.items").size() == 3);
  CHECK_THAT(result.out, Catch::Contains("warning: order_items: the primary key order_id is not unique in the data: "
                                         "the source's 4 rows landed as 3 rows"));
  const auto tables = json::parse(std::ifstream(report))["tables"];
  REQUIRE(tables[0]["warnings"].size() == 1);
  CHECK_THAT(tables[0]["warnings"][0].get<std::string>(), Catch::Contains("not unique in the data"));
  CHECK(tables[1]["warnings"].empty());  // the source's own key: unique by construction
}
