// `run`: which tables run and in what order; a missing source table; --dry-run; the report.
#include "run_fixture.hpp"

using namespace kbc::e2e;
using nlohmann::json;

TEST_CASE("run: disabled tables are skipped and the others run in configuration order") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "order_items"}},
                                                {{"name", "orders"}, {"enabled", false}},
                                                {{"name", "customers"}, {"destination", "customers_copy"}}}));
  const auto result = world.run({"run", config.string()});
  REQUIRE(result.exit_code == 0);
  CHECK_FALSE(world.destination_has("in.c-from-eu.orders"));
  CHECK(world.destination_rows("in.c-from-eu.order_items") == sorted(seed_order_items));
  CHECK(world.destination_rows("in.c-from-eu.customers_copy") == sorted(seed_customers));
  const auto first = result.err.find("table order_items:");
  const auto second = result.err.find("table customers:");
  REQUIRE(first != std::string::npos);
  REQUIRE(second != std::string::npos);
  CHECK(first < second);
  CHECK_THAT(result.out, Catch::Contains("skipped (disabled)"));
}

TEST_CASE("run --table copies only the named table") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "orders"}}, {{"name", "order_items"}}}));
  const auto result = world.run({"run", config.string(), "--table", "order_items"});
  REQUIRE(result.exit_code == 0);
  CHECK(world.destination_rows("in.c-from-eu.order_items") == sorted(seed_order_items));
  CHECK_FALSE(world.destination_has("in.c-from-eu.orders"));
  CHECK_THAT(result.out, Catch::Contains("not selected with --table"));
}

TEST_CASE("run --table with a name that is not configured is a usage error and contacts nothing") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "orders"}}}));
  const auto result = world.run({"run", config.string(), "--table", "ordres"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("ordres") && Catch::Contains("orders"));
  CHECK_FALSE(world.destination_has("in.c-from-eu.orders"));
}

TEST_CASE("run: a table missing in the source is reported with the closest names while the others copy (exit 4)") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "order"}}, {{"name", "customers"}, {"destination", "c2"}}}));
  const auto report = world.dir.path() / "report.json";
  const auto result = world.run({"run", config.string(), "--report", report.string()});
  CHECK(result.exit_code == 4);
  CHECK(world.destination_rows("in.c-from-eu.c2") == sorted(seed_customers));
  const auto json_report = json::parse(std::ifstream(report));
  const auto& missing = json_report["tables"][0];
  CHECK(missing["status"] == "failed");
  CHECK(missing["error"]["kind"] == "not_found");
  CHECK_THAT(missing["error"]["message"].get<std::string>(), Catch::Contains("does not exist in the source bucket in.c-sales"));
  CHECK_THAT(missing["error"]["hint"].get<std::string>(), Catch::Contains("orders") && Catch::Contains("order_items"));
  CHECK(json_report["tables"][1]["status"] == "ok");
  CHECK(json_report["exitCode"] == 4);
}

TEST_CASE("run: when every table fails the exit code is 1") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "nope"}}}));
  CHECK(world.run({"run", config.string()}).exit_code == 1);
}

TEST_CASE("run --dry-run prints the plan and writes nothing anywhere") {
  RunWorld world;
  world.env["KBC_DESTINATION_TOKEN"] = destination_master;
  const auto config = world.config(
      json::array({{{"name", "orders"}, {"incremental", true}, {"primaryKey", {"id"}}, {"changedSince", "-2 days"}},
                   {{"name", "customers"}, {"incremental", true}},
                   {{"name", "order_items"}, {"incremental", true}}}),
      "in.c-not-yet");
  const auto buckets_before = world.destination.get("/v2/storage/buckets").json();
  const auto result = world.run({"run", config.string(), "--dry-run"});
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("dry run") && Catch::Contains("in.c-sales.orders") &&
                             Catch::Contains("in.c-not-yet.orders") && Catch::Contains("create"));
  CHECK(world.destination.get("/v2/storage/buckets").json() == buckets_before);
  CHECK(world.destination.get("/v2/storage/buckets/in.c-not-yet").status == 404);
  // No export and no upload happened: the first file anyone creates now is file 1.
  CHECK(world.source.upload_file("probe.csv", "a\n1\n") == 1);
}

TEST_CASE("run --dry-run names the action each table would get") {
  RunWorld world;
  const auto upsert = world.config(json::array({{{"name", "customers"}, {"incremental", true}, {"primaryKey", {"id"}}},
                                                {{"name", "orders"}, {"incremental", true}}}));
  auto result = world.run({"run", upsert.string(), "--dry-run"});
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Matches("(.|\n)*in.c-from-eu.customers +upsert(.|\n)*") &&
                             Catch::Matches("(.|\n)*in.c-from-eu.orders +create(.|\n)*"));
  const auto replace = world.config(json::array({{{"name", "customers"}, {"incremental", false}}}), "in.c-from-eu", "replace.json");
  result = world.run({"run", replace.string(), "--dry-run"});
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Matches("(.|\n)*in.c-from-eu.customers +replace(.|\n)*"));
  CHECK(world.destination_rows("in.c-from-eu.customers") == sorted({{"10", "Alice (old)", "CZ"}, {"99", "Zed", "US"}}));
}

TEST_CASE("run --report writes the run as JSON without any secret") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "orders"}, {"primaryKey", {"id"}}}, {{"name", "customers"}, {"enabled", false}}}));
  const auto report = world.dir.path() / "report.json";
  REQUIRE(world.run({"run", config.string(), "--report", report.string()}).exit_code == 0);
  std::ifstream in(report);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto json_report = json::parse(text);
  CHECK(json_report["source"]["projectName"] == "Sales EU");
  CHECK(json_report["source"]["bucketId"] == "in.c-sales");
  CHECK(json_report["source"]["region"] == "eu-central-1");
  CHECK(json_report["destination"]["projectName"] == "Reporting US");
  CHECK(json_report["destination"]["bucketId"] == "in.c-from-eu");
  REQUIRE(json_report["tables"].size() == 2);
  const auto& orders = json_report["tables"][0];
  CHECK(orders["destinationTableId"] == "in.c-from-eu.orders");
  CHECK(orders["action"] == "create");
  CHECK(orders["rows"] == 3);
  CHECK(orders["bytes"].get<int>() > 0);
  CHECK(orders["status"] == "ok");
  CHECK(json_report["tables"][1]["status"] == "skipped");
  CHECK(text.find("readerreader") == std::string::npos);
  CHECK(text.find("writerwriter") == std::string::npos);
  CHECK(text.find("X-Amz-") == std::string::npos);
}

TEST_CASE("run -vv logs every Storage API request with its answer and time, and no token") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "customers"}, {"destination", "traced"}}}));
  const auto result = world.run({"-vv", "run", config.string()});
  REQUIRE(result.exit_code == 0);
  for (const char* line : {"Storage API GET /v2/storage/tokens/verify -> 200 in", "Storage API POST /v2/storage/tables/in.c-sales.customers/export-async -> 202",
                           "Storage API POST /v2/storage/files/prepare -> ", "Storage API GET /v2/storage/jobs/"})
    CHECK_THAT(result.err, Catch::Contains(line));
  CHECK_THAT(result.err, !Catch::Contains(source_reader.substr(source_reader.rfind('-') + 1)));
  CHECK_THAT(result.err, !Catch::Contains(destination_writer.substr(destination_writer.rfind('-') + 1)));
}
