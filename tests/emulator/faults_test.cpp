// Fault injection over /_emulator/faults: each action really happens, for `count` requests.
#include <catch2/catch.hpp>

#include <chrono>

#include "emulator_test_support.hpp"

using namespace kbc::test;
using nlohmann::json;

namespace {

struct FaultyEmulator {
  TempDir dir;
  EmulatorProcess emulator{{write_seed(dir, two_region_seed()), {"--faults", "--job-delay-ms", "5"}}};
  StorageTestClient master{emulator.url("eu-central-1"), kMasterEu, emulator.s3_url()};
  void add(const json& fault) const {
    REQUIRE(http_request("POST", emulator.url("eu-central-1") + "/_emulator/faults", fault.dump(),
                         {"Content-Type: application/json"}).status == 201);
  }
  int fired() const {
    return http_request("GET", emulator.url("eu-central-1") + "/_emulator/faults").json().at("fired").get<int>();
  }
};

}  // namespace

TEST_CASE("a status fault answers the next count matching requests then lets requests through") {
  FaultyEmulator f;
  f.add({{"action", "status"}, {"status", 503}, {"retryAfterSeconds", 7}, {"pathRegex", "^/v2/storage/tokens/verify$"}, {"count", 2}});
  for (int i = 0; i < 2; ++i) {
    auto answer = f.master.get("/v2/storage/tokens/verify");
    CHECK(answer.status == 503);
    CHECK(answer.headers["retry-after"] == "7");
    CHECK(answer.json().at("status") == "maintenance");
  }
  CHECK(f.master.get("/v2/storage/tokens/verify").status == 200);
  CHECK(f.fired() == 2);

  f.add({{"action", "status"}, {"status", 429}, {"retryAfterSeconds", 3}, {"method", "get"}, {"pathRegex", "buckets"}});
  CHECK(f.master.post_json("/v2/storage/buckets", {{"name", "x"}}).status == 201);  // POST does not match
  auto throttled = f.master.get("/v2/storage/buckets");
  CHECK(throttled.status == 429);
  CHECK(throttled.headers["retry-after"] == "3");
  CHECK(throttled.json().at("code") == "storage.tooManyRequests");
}

TEST_CASE("delay drop and truncate faults") {
  FaultyEmulator f;
  f.add({{"action", "delay"}, {"delayMs", 300}, {"pathRegex", "verify"}});
  auto start = std::chrono::steady_clock::now();
  CHECK(f.master.get("/v2/storage/tokens/verify").status == 200);
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(300));

  f.add({{"action", "drop"}, {"pathRegex", "verify"}});
  auto dropped = f.master.get("/v2/storage/tokens/verify");
  CHECK(dropped.status == 0);
  CHECK_FALSE(dropped.transport_error.empty());

  f.add({{"action", "truncate"}, {"truncateAfter", 10}, {"pathRegex", "verify"}});
  auto truncated = f.master.get("/v2/storage/tokens/verify");
  CHECK_FALSE(truncated.transport_error.empty());
  CHECK(truncated.body.size() <= 10);
  CHECK(f.master.get("/v2/storage/tokens/verify").status == 200);
  CHECK(f.fired() == 3);
}

TEST_CASE("fail_job makes the started job end in error and expire_credentials issues dead credentials") {
  FaultyEmulator f;
  f.add({{"action", "fail_job"}, {"pathRegex", "export-async"}, {"errorCode", "storage.backendError"}, {"message", "boom"}});
  auto failed = f.master.run_job("/v2/storage/tables/in.c-sales.orders/export-async", json::object());
  CHECK(failed.at("status") == "error");
  CHECK(failed.at("error").at("code") == "storage.backendError");
  CHECK(failed.at("error").at("message") == "boom");
  CHECK(f.master.run_job("/v2/storage/tables/in.c-sales.orders/export-async", json::object()).at("status") == "success");

  f.add({{"action", "expire_credentials"}, {"pathRegex", "files/prepare"}});
  auto prepared = f.master.post_json("/v2/storage/files/prepare", {{"name", "x.csv"}, {"federationToken", true}}).json();
  const auto& params = prepared.at("uploadParams");
  auto put = s3_put(f.emulator.s3_url(), prepared.at("region"), S3Credentials::from_json(params.at("credentials")),
                    params.at("bucket"), params.at("key"), "a\n1\n");
  CHECK(put.status >= 400);
  CHECK(put.body.find("ExpiredToken") != std::string::npos);
}
