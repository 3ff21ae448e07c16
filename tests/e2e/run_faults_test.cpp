// `run` survives faults that pass by themselves, and a failure leaves nothing half-written.
#include "run_fixture.hpp"

using namespace kbc::e2e;
using nlohmann::json;

TEST_CASE("run: a 503 on import-async and a dropped S3 download are retried and the copy completes") {
  RunWorld world;
  world.add_fault({{"action", "status"}, {"status", 503}, {"retryAfterSeconds", 1}, {"method", "POST"},
                   {"pathRegex", ".*/import-async"}, {"count", 1}});
  world.add_fault({{"action", "drop"}, {"target", "s3"}, {"method", "GET"}, {"pathRegex", ".*"}, {"count", 1}});
  const auto config = world.config(json::array({{{"name", "customers"}, {"incremental", true}, {"primaryKey", {"id"}}}}));
  const auto result = world.run({"run", config.string()});
  REQUIRE(result.exit_code == 0);
  CHECK(world.faults_fired() == 2);
  CHECK(world.destination_rows("in.c-from-eu.customers") ==
        sorted({{"10", "Alice", "CZ"}, {"11", "Bob", "DE"}, {"99", "Zed", "US"}}));
}

TEST_CASE("run: a failed import job fails only its table and leaves the destination table as it was") {
  RunWorld world;
  world.add_fault({{"action", "fail_job"}, {"method", "POST"}, {"pathRegex", ".*customers/import-async"}, {"count", 1},
                   {"message", "Load error: simulated"}});
  const auto config = world.config(json::array({{{"name", "customers"}, {"incremental", false}},
                                                {{"name", "order_items"}}}));
  const auto report = world.dir.path() / "report.json";
  const auto result = world.run({"run", config.string(), "--report", report.string()});
  CHECK(result.exit_code == 4);
  CHECK(world.destination_rows("in.c-from-eu.customers") == sorted({{"10", "Alice (old)", "CZ"}, {"99", "Zed", "US"}}));
  CHECK(world.destination_rows("in.c-from-eu.order_items") == sorted(seed_order_items));
  const auto failed = json::parse(std::ifstream(report))["tables"][0];
  CHECK(failed["status"] == "failed");
  CHECK(failed["error"]["kind"] == "job_failed");
  CHECK_THAT(failed["error"]["message"].get<std::string>(), Catch::Contains("simulated"));
}

TEST_CASE("run: expired file storage credentials are renewed once and the copy goes on, not over") {
  RunWorld world;
  world.add_fault({{"action", "expire_credentials"}, {"method", "GET"}, {"pathRegex", "/v2/storage/files/[0-9]+"}, {"count", 1}});
  const auto config = world.config(json::array({{{"name", "orders"}}}));
  const auto result = world.run({"run", config.string()});
  REQUIRE(result.exit_code == 0);
  CHECK(world.faults_fired() == 1);
  CHECK_THAT(result.err, Catch::Contains("file storage credentials renewed"));
  CHECK_THAT(result.err, !Catch::Contains("retrying the copy"));  // not started over
  CHECK(world.destination_rows("in.c-from-eu.orders") == sorted(seed_orders));
}
