// Every source token rule refused by `run` with its own message and exit 3, before any
// table is touched; `token verify` gives the same verdict.
#include "run_fixture.hpp"

using namespace kbc::e2e;
using nlohmann::json;

namespace {

void require_refused(const std::string& token, const std::string& rule_text) {
  RunWorld world;
  world.env["KBC_SOURCE_TOKEN"] = token;
  const auto config = world.config(json::array({{{"name", "orders"}}}));
  const auto report = world.dir.path() / "report.json";
  const auto result = world.run({"run", config.string(), "--report", report.string()});
  CHECK(result.exit_code == 3);
  CHECK_THAT(result.err, Catch::Contains(rule_text));
  CHECK_THAT(result.err, Catch::Contains("Users & Settings > API Tokens"));
  CHECK(result.err.find(token) == std::string::npos);
  // The report says why the run stopped.
  std::ifstream in(report);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto json_report = json::parse(text);
  CHECK(json_report["exitCode"] == 3);
  CHECK(json_report["tables"].empty());
  CHECK_THAT(json_report["stoppedBy"]["message"].get<std::string>() + " " + json_report["stoppedBy"]["hint"].get<std::string>(),
             Catch::Contains(rule_text));
  CHECK(text.find(token) == std::string::npos);
  CHECK_FALSE(world.destination_has("in.c-from-eu.orders"));
}

}  // namespace

TEST_CASE("run refuses a master source token") {
  require_refused("101-1-mastermastermastermastermaster01", "rule \"no-master-token\"");
}
TEST_CASE("run refuses a source token with write access") {
  require_refused("101-3-writerwriterwriterwriterwriter03", "rule \"read-only\"");
}
TEST_CASE("run refuses a source token with access to two buckets") {
  require_refused("101-4-twobucketstwobucketstwobuckets04", "rule \"single-bucket\": token 4 has access to 2 buckets");
}
TEST_CASE("run refuses a source token with no bucket") {
  require_refused("101-7-nobucketnobucketnobucketnobuck07", "rule \"single-bucket\": token 7 has access to no bucket");
}
TEST_CASE("run refuses a source token that can manage buckets") {
  require_refused("101-5-managermanagermanagermanager0005", "rule \"no-bucket-management\"");
}
TEST_CASE("run refuses an expired source token (the API no longer knows it)") {
  require_refused("101-6-expiredexpiredexpiredexpired0006", "invalid, expired or was refreshed");
}

TEST_CASE("run warns when the source token expires within 7 days, and still runs") {
  RunWorld world;
  world.env["KBC_SOURCE_TOKEN"] = "101-8-expiringexpiringexpiringexpir08";
  const auto config = world.config(json::array({{{"name", "customers"}, {"destination", "c2"}}}));
  const auto result = world.run({"run", config.string()});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.err, Catch::Contains("source token (id 8) expires at") && Catch::Contains("(in 71 h)"));
}

TEST_CASE("run refuses a destination token that may only read the destination bucket") {
  RunWorld world;
  world.env["KBC_DESTINATION_TOKEN"] = "202-23-readerreaderreaderreaderreader03";
  const auto config = world.config(json::array({{{"name", "orders"}}}));
  const auto result = world.run({"run", config.string()});
  CHECK(result.exit_code == 3);
  CHECK_THAT(result.err, Catch::Contains("cannot write to bucket in.c-from-eu"));
}

TEST_CASE("run refuses a missing destination bucket the destination token may not create") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "orders"}}}), "in.c-elsewhere");
  const auto result = world.run({"run", config.string()});
  CHECK(result.exit_code == 3);
  CHECK_THAT(result.err, Catch::Contains("in.c-elsewhere does not exist") && Catch::Contains("may not create buckets"));
  CHECK(world.destination.get("/v2/storage/buckets/in.c-elsewhere").status == 404);
}

TEST_CASE("token verify says a read-only single-bucket token is usable and why a master token is not") {
  RunWorld world;
  auto ok = world.run({"token", "verify", "--url", world.source_url});
  CHECK(ok.exit_code == 0);
  CHECK_THAT(ok.out, Catch::Contains("Sales EU") && Catch::Contains("eu-central-1") &&
                         Catch::Contains("in.c-sales (read)") && Catch::Contains("usable as a source token"));
  world.env["KBC_SOURCE_TOKEN"] = source_master;
  auto master = world.run({"token", "verify", "--url", world.source_url, "--json"});
  CHECK(master.exit_code == 3);
  const auto verdict = json::parse(master.out);
  CHECK(verdict["usableAsSource"] == false);
  CHECK(verdict["rule"] == "no-master-token");
  CHECK(master.out.find(source_master) == std::string::npos);
}
