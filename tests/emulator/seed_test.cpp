// Seeds: the example seed of the README demo loads, and generated tables are deterministic.
#include <catch2/catch.hpp>

#include "emulator_test_support.hpp"

using namespace kbc::test;
using nlohmann::json;

namespace {
const std::filesystem::path kDemoSeed = std::filesystem::path(KBC_SOURCE_DIR) / "examples/emulator/demo-seed.json";
}

TEST_CASE("the demo seed gives two projects in two regions with the documented tokens") {
  EmulatorProcess emulator({kDemoSeed, {}});
  StorageTestClient source(emulator.url("eu-central-1"), "1-102-DemoSalesEuReadOnlySalesBucket0000000000",
                           emulator.s3_url());
  auto verify = source.get("/v2/storage/tokens/verify").json();
  CHECK(verify.at("owner").at("name") == "Sales EU");
  CHECK(verify.at("bucketPermissions") == json{{"in.c-sales", "read"}});
  auto tables = source.get("/v2/storage/buckets/in.c-sales/tables?include=columns").json();
  REQUIRE(tables.size() == 2);
  CHECK(tables[0].at("id") == "in.c-sales.customers");
  CHECK(tables[0].at("rowsCount") == 200);
  CHECK(tables[0].at("columns") == json::array({"id", "name", "country"}));
  CHECK(tables[1].at("id") == "in.c-sales.orders");
  CHECK(tables[1].at("rowsCount") == 2000);
  CHECK(tables[1].at("primaryKey") == json::array({"id"}));

  StorageTestClient destination(emulator.url("us-east-1"), "2-202-DemoAnalyticsUsManageBuckets000000000000");
  auto dest = destination.get("/v2/storage/tokens/verify").json();
  CHECK(dest.at("owner").at("name") == "Analytics US");
  CHECK(dest.at("canManageBuckets") == true);
  CHECK(destination.post_json("/v2/storage/buckets", {{"name", "from-eu"}}).status == 201);
}

TEST_CASE("generated seed tables are the same bytes in every run") {
  TempDir dir;
  auto seed = json::parse(R"({"regions":[{"name":"eu-central-1"}],"projects":[{"id":1,"region":"eu-central-1",
    "tokens":[{"token":"1-1-GeneratedSeedTokenForTests000000000000000000","isMasterToken":true}],
    "buckets":[{"id":"in.c-gen","tables":[{"name":"t","generate":{"rows":500,"seed":3,"columns":[
      {"name":"id","kind":"seq"},{"name":"n","kind":"int","min":-5,"max":5},{"name":"d","kind":"decimal","scale":3},
      {"name":"s","kind":"text","length":8},{"name":"day","kind":"date","start":"2020-02-28","days":3},
      {"name":"c","kind":"choice","values":["x","y \"quoted\""]}]}}]}]}]})");
  auto path = write_seed(dir, seed);
  std::string first, second;
  for (auto* out : {&first, &second}) {
    EmulatorProcess emulator({path, {"--job-delay-ms", "1"}});
    StorageTestClient client(emulator.url("eu-central-1"), "1-1-GeneratedSeedTokenForTests000000000000000000",
                             emulator.s3_url());
    *out = client.export_table("in.c-gen.t");
  }
  CHECK(first == second);
  auto lines = lines_of(first);
  REQUIRE(lines.size() == 500);
  CHECK(lines[0].rfind("\"1\",", 0) == 0);
  CHECK(lines[499].rfind("\"500\",", 0) == 0);
  for (const auto& line : lines) {
    bool known_day = line.find("\"2020-02-28\"") != std::string::npos || line.find("\"2020-02-29\"") != std::string::npos ||
                     line.find("\"2020-03-01\"") != std::string::npos;
    CHECK(known_day);
  }
}
