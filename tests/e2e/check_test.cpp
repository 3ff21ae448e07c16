// `check`: after a copy every table matches (exit 0); after tampering with the destination
// (a changed cell, a missing row, an extra column) the table differs (exit 5) and says how;
// a table that cannot be read is "could not be checked" (exit 6).
#include "run_fixture.hpp"

using namespace kbc::e2e;
using nlohmann::json;

namespace {

const json kTables = json::array({{{"name", "orders"}}, {{"name", "customers"}}, {{"name", "order_items"}}});

// Copy the three small tables, then check they match.
std::filesystem::path copied(RunWorld& world) {
  const auto config = world.config(kTables);
  REQUIRE(world.run({"run", config.string()}).exit_code == 0);
  const auto result = world.run({"check", config.string()});
  REQUIRE(result.exit_code == 0);
  REQUIRE_THAT(result.out, Catch::Contains("3 match, 0 differ, 0 could not be checked"));
  return config;
}

void import_destination(const RunWorld& world, const std::string& table_id, const std::string& csv, bool incremental) {
  const auto file = world.destination.upload_file("tamper.csv", csv);
  REQUIRE(world.destination.run_job("/v2/storage/tables/" + table_id + "/import-async",
                                    {{"dataFileId", file}, {"incremental", incremental}})["status"] == "success");
}

json check_json(const RunWorld& world, const std::filesystem::path& config, int expected_exit) {
  const auto result = world.run({"check", config.string(), "--json"});
  REQUIRE(result.exit_code == expected_exit);
  return json::parse(result.out);
}

}  // namespace

TEST_CASE("check: after a copy every table matches, with the same content digest on both sides") {
  RunWorld world;
  const auto config = copied(world);
  const auto out = check_json(world, config, 0);
  REQUIRE(out["tables"].size() == 3);
  for (const auto& table : out["tables"]) {
    CHECK(table["status"] == "match");
    CHECK(table["sourceDigest"].is_string());
    CHECK(table["sourceDigest"] == table["destinationDigest"]);
  }
}

TEST_CASE("check: a changed cell in the destination is a content difference, exit 5") {
  RunWorld world;
  const auto config = copied(world);
  // The same three rows loaded again (a full load), one amount changed: the row counts agree.
  import_destination(world, "in.c-from-eu.orders",
                     "id,customer_id,amount,status\n1,10,100.50,new\n2,11,20.01,paid\n3,10,7.25,\"new, \"\"rush\"\"\"\n", false);
  const auto result = world.run({"check", config.string()});
  CHECK(result.exit_code == 5);
  CHECK_THAT(result.out, Catch::Contains("orders (in.c-sales.orders -> in.c-from-eu.orders): differ") &&
                             Catch::Contains("content differs") && Catch::Contains("2 match, 1 differ"));
  const auto out = check_json(world, config, 5);
  CHECK(out["tables"][0]["sourceRows"] == out["tables"][0]["destinationRows"]);
  CHECK(out["tables"][0]["sourceDigest"] != out["tables"][0]["destinationDigest"]);
}

TEST_CASE("check: a missing row in the destination differs in rows and content") {
  RunWorld world;
  const auto config = copied(world);
  import_destination(world, "in.c-from-eu.order_items", "order_id,sku,qty\n1,A-1,2\n1,B-7,1\n2,A-1,5\n", false);
  const auto out = check_json(world, config, 5);
  const auto& items = out["tables"][2];
  CHECK(items["status"] == "differ");
  CHECK(items["differences"][0] == "rows 4 in the source, 3 in the destination");
  CHECK_THAT(items["differences"][1].get<std::string>(), Catch::StartsWith("content differs"));
  CHECK(out["match"] == 2);
}

TEST_CASE("check: an extra column in the destination is a difference, and --table checks one table") {
  RunWorld world;
  const auto config = copied(world);
  import_destination(world, "in.c-from-eu.customers", "id,name,country,note\n10,Alice,CZ,vip\n", true);
  const auto result = world.run({"check", config.string(), "--table", "customers"});
  CHECK(result.exit_code == 5);
  CHECK_THAT(result.out, Catch::Contains("columns only in the destination: note") &&
                             Catch::Contains("0 match, 1 differ, 0 could not be checked"));
}

TEST_CASE("check: a row order change is no difference: the digest does not depend on order") {
  RunWorld world;
  const auto config = copied(world);
  // The same rows loaded again in reverse order (a full load).
  import_destination(world, "in.c-from-eu.order_items", "order_id,sku,qty\n3,C-3,1\n2,A-1,5\n1,B-7,1\n1,A-1,2\n", false);
  CHECK(check_json(world, config, 0)["match"] == 3);
}

TEST_CASE("check: a missing destination table differs, and a source table that cannot be read is not checked (exit 6)") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "orders"}}}));
  auto out = check_json(world, config, 5);
  CHECK(out["tables"][0]["differences"][0] == "the destination table does not exist");

  const auto missing = world.config(json::array({{{"name", "no_such_table"}}}), "in.c-from-eu", "missing.json");
  out = check_json(world, missing, 6);
  CHECK(out["tables"][0]["status"] == "unchecked");
  CHECK(out["tables"][0]["error"]["kind"] == "not_found");
}
