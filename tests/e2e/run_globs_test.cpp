// Glob table entries ("name": "order*", "*" with "exclude"): expanded against the source bucket
// at run time, in name order; explicit entries win; shown by `tables` and --dry-run.
#include "run_fixture.hpp"

using namespace kbc::e2e;
using nlohmann::json;

TEST_CASE("run: a glob entry picks up a table added to the source between two runs") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "order*"}}}));
  auto result = world.run({"run", config.string()});
  REQUIRE(result.exit_code == 0);
  CHECK(world.destination_rows("in.c-from-eu.orders") == sorted(seed_orders));
  CHECK(world.destination_rows("in.c-from-eu.order_items") == sorted(seed_order_items));
  CHECK_FALSE(world.destination_has("in.c-from-eu.order_notes"));

  const auto file = world.source.upload_file("order_notes.csv", "order_id,note\n1,gift\n2,fragile\n");
  REQUIRE(world.source.run_job("/v2/storage/buckets/in.c-sales/tables-async", {{"name", "order_notes"}, {"dataFileId", file}})["status"] ==
          "success");
  result = world.run({"run", config.string()});
  REQUIRE(result.exit_code == 0);
  CHECK(world.destination_rows("in.c-from-eu.order_notes") == sorted({{"1", "gift"}, {"2", "fragile"}}));
  CHECK(world.destination_rows("in.c-from-eu.orders") == sorted(seed_orders));
}

TEST_CASE("run --dry-run shows a glob's expansion in name order, without excluded tables, explicit entries winning") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "*"}, {"exclude", {"ev*"}}, {"incremental", true}},
                                                {{"name", "customers"}, {"destination", "clients"}}}));
  const auto report = world.dir.path() / "report.json";
  const auto result = world.run({"run", config.string(), "--dry-run", "--report", report.string()});
  REQUIRE(result.exit_code == 0);
  const auto tables = json::parse(std::ifstream(report))["tables"];
  std::vector<std::string> names, destinations, globs;
  for (const auto& table : tables) {
    names.push_back(table["name"]);
    destinations.push_back(table["destinationTableId"]);
    globs.push_back(table["glob"].is_null() ? "" : table["glob"].get<std::string>());
  }
  CHECK(names == std::vector<std::string>{"order_items", "orders", "customers"});
  CHECK(destinations == std::vector<std::string>{"in.c-from-eu.order_items", "in.c-from-eu.orders", "in.c-from-eu.clients"});
  CHECK(globs == std::vector<std::string>{"*", "*", ""});
  CHECK(tables[0]["action"] == "create");
  CHECK_THAT(result.out, Catch::Contains("in.c-sales.order_items") && !Catch::Contains("in.c-sales.events"));
}

TEST_CASE("run: a glob that matches no table is a warning and the run goes on") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "invoices_*"}}, {{"name", "customers"}, {"destination", "c2"}}}));
  const auto result = world.run({"run", config.string()});
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.err, Catch::Contains("/tables/0: \"invoices_*\" matches no table of in.c-sales"));
  CHECK(world.destination_rows("in.c-from-eu.c2") == sorted(seed_customers));
}

TEST_CASE("run --table takes a name a glob entry matches, and copies only that table") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "order*"}}}));
  auto result = world.run({"run", config.string(), "--table", "order_items"});
  REQUIRE(result.exit_code == 0);
  CHECK(world.destination_rows("in.c-from-eu.order_items") == sorted(seed_order_items));
  CHECK_FALSE(world.destination_has("in.c-from-eu.orders"));
  result = world.run({"run", config.string(), "--table", "customers"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("unknown table \"customers\""));
}

TEST_CASE("tables marks the source tables a glob entry matches") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "order*"}, {"exclude", {"order_items"}}}}));
  auto result = world.run({"tables", config.string()});
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Matches("(.|\n)*orders +3 .*configured \\(order\\*\\)(.|\n)*"));
  CHECK_THAT(result.out, Catch::Matches("(.|\n)*order_items +4 [^\n]*\n(.|\n)*") && !Catch::Contains("order_items  4  configured"));
  result = world.run({"tables", config.string(), "--json"});
  REQUIRE(result.exit_code == 0);
  for (const auto& table : json::parse(result.out)) {
    INFO(table.dump());
    CHECK(table["configured"] == (table["name"] == "orders"));
    CHECK(table["glob"] == (table["name"] == "orders" ? json("order*") : json()));
  }
}

TEST_CASE("run --changed-since refuses a glob entry's full-load tables before contacting anything") {
  RunWorld world;
  world.env["KBC_SOURCE_TOKEN"] = "101-9-notatokennotatokennotatokenxx09";  // any call would fail with exit 3
  const auto config = world.config(json::array({{{"name", "order*"}}}));
  const auto result = world.run({"run", config.string(), "--changed-since", "-1 days"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("would replace 1 full-load table (order*)"));
}

TEST_CASE("run --shard I/N places a glob's tables one by one: the shards' dry runs hold each exactly once") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "*"}}}));
  std::vector<std::string> held;
  for (const char* shard : {"1/2", "2/2"}) {
    const auto report = world.dir.path() / (std::string("report-") + shard[0] + ".json");
    const auto result = world.run({"run", config.string(), "--dry-run", "--shard", shard, "--report", report.string()});
    REQUIRE(result.exit_code == 0);
    const auto document = json::parse(std::ifstream(report));
    for (const auto& table : document["tables"]) held.push_back(table["name"]);
  }
  std::sort(held.begin(), held.end());
  CHECK(held == std::vector<std::string>{"customers", "events", "order_items", "orders"});
}
