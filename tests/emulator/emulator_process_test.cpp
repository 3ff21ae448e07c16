// The emulator as a process: --data keeps state across restarts, the Manage API needs its
// token, and the request log never shows a token's secret.
#include <catch2/catch.hpp>

#include <signal.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "emulator_test_support.hpp"
#include "process.hpp"

using namespace kbc::test;
using nlohmann::json;

TEST_CASE("with --data the state survives a restart and the seed is not applied twice") {
  TempDir dir;
  auto seed = write_seed(dir, two_region_seed());
  auto data = (dir.path() / "state").string();
  {
    EmulatorProcess emulator({seed, {"--data", data, "--job-delay-ms", "1"}});
    StorageTestClient master(emulator.url("eu-central-1"), kMasterEu, emulator.s3_url());
    auto file = master.upload_file("kept.csv", "id,customer,amount\n9,zoe,90\n");
    REQUIRE(master.run_job("/v2/storage/tables/in.c-sales.orders/import-async", {{"dataFileId", file}, {"incremental", true}})
                .at("status") == "success");
  }
  EmulatorProcess restarted({seed, {"--data", data, "--job-delay-ms", "1"}});
  StorageTestClient master(restarted.url("eu-central-1"), kMasterEu, restarted.s3_url());
  CHECK(master.get("/v2/storage/tables/in.c-sales.orders").json().at("rowsCount") == 4);
  CHECK(master.get("/v2/storage/buckets").json().size() == 2);
  CHECK(sorted_lines(master.export_table("in.c-sales.orders", {{"columns", "id"}})) ==
        std::vector<std::string>{"\"1\"", "\"2\"", "\"3\"", "\"9\""});
}

TEST_CASE("the Manage API needs its token and exists only with --manage-token") {
  EmulatorProcess with_manage({{}, {"--manage-token", "right"}});
  auto base = with_manage.url("us-east-1");
  auto wrong = manage_post(base, "wrong", "/manage/organizations/1/projects", {{"name", "x"}});
  CHECK(wrong.status == 401);
  CHECK(manage_post(base, "right", "/manage/organizations/1/projects", json::object()).status == 400);
  auto created = manage_post(base, "right", "/manage/organizations/1/projects", {{"name", "p"}});
  REQUIRE(created.status == 201);
  auto id = std::to_string(created.json().at("id").get<int>());
  CHECK(manage_post(base, "right", "/manage/projects/" + id + "/tokens", json::object()).status == 400);
  auto token = manage_post(base, "right", "/manage/projects/" + id + "/tokens",
                           {{"description", "reader"}, {"bucketPermissions", json::object()}, {"expiresIn", 3600}});
  REQUIRE(token.status == 201);
  CHECK(token.json().at("isMasterToken") == false);
  CHECK(token.json().at("expires").is_string());
  CHECK(manage_post(base, "right", "/manage/projects/999/tokens", {{"description", "x"}}).status == 404);

  EmulatorProcess without_manage({{}, {}});
  CHECK(manage_post(without_manage.url("us-east-1"), "right", "/manage/organizations/1/projects", {{"name", "p"}}).status == 404);
}

TEST_CASE("the request log shows tokens masked and never their secret part") {
  TempDir dir;
  std::string log;
  {
    EmulatorProcess emulator({write_seed(dir, two_region_seed()), {}});
    StorageTestClient master(emulator.url("eu-central-1"), kMasterEu, emulator.s3_url());
    REQUIRE(master.get("/v2/storage/tokens/verify").status == 200);
    auto created = master.post_json("/v2/storage/tokens", {{"description", "new"}}).json();
    StorageTestClient fresh(emulator.url("eu-central-1"), created.at("token").get<std::string>());
    REQUIRE(fresh.get("/v2/storage/tokens/verify").status == 200);
    // The emulator logs a request after its answer went out, from the thread that served it:
    // lines may come late and in any order. Wait (bounded) for both.
    const std::string master_line = "GET /v2/storage/tokens/verify 200 token=1-101-***";
    const std::string fresh_line = "GET /v2/storage/tokens/verify 200 token=" + created.at("token").get<std::string>().substr(
                                       0, created.at("token").get<std::string>().rfind('-') + 1) + "***";
    for (int waited = 0; waited < 100; ++waited) {
      log = emulator.log_tail(1 << 20);
      if (log.find(master_line) != std::string::npos && log.find(fresh_line) != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(log.find(fresh_line) != std::string::npos);
    auto secret = created.at("token").get<std::string>().substr(created.at("token").get<std::string>().rfind('-') + 1);
    CHECK(log.find(secret) == std::string::npos);
  }
  CHECK(log.find("GET /v2/storage/tokens/verify 200 token=1-101-***") != std::string::npos);
  CHECK(log.find("MasterTokenOfSalesEuForTests") == std::string::npos);
}

TEST_CASE("a second emulator on an occupied port exits 1 instead of sharing the traffic") {
  TempDir dir;
  EmulatorProcess first({write_seed(dir, two_region_seed()), {}});
  const auto url = first.url("eu-central-1");
  const auto port = url.substr(url.rfind(':') + 1);
  const auto second = run_process({KBC_EMULATOR_BIN, "--seed", write_seed(dir, two_region_seed()).string(), "--port", port},
                                  {}, std::chrono::seconds(20));
  INFO(second.err);
  CHECK_FALSE(second.timed_out);
  CHECK(second.exit_code == 1);
  CHECK(second.err.find("cannot bind 127.0.0.1:" + port + " (in use?)") != std::string::npos);
  // The first one still answers, alone.
  StorageTestClient master(url, kMasterEu, first.s3_url());
  CHECK(master.get("/v2/storage/tokens/verify").status == 200);
}

namespace {
// The emulator's own word on a job: GET /v2/storage/jobs/{id}.
json job_detail(const StorageTestClient& client, std::int64_t id) {
  return client.get("/v2/storage/jobs/" + std::to_string(id)).json();
}
}  // namespace

TEST_CASE("a job still waiting when the emulator is stopped ends as error after a restart with --data") {
  TempDir dir;
  auto seed = write_seed(dir, two_region_seed());
  auto data = (dir.path() / "state").string();
  std::int64_t job_id = 0;
  auto stopped_at = std::chrono::steady_clock::now();
  {
    // A 10-minute delay: the export is still `waiting` when SIGTERM comes.
    EmulatorProcess emulator({seed, {"--data", data, "--job-delay-ms", "600000"}});
    StorageTestClient master(emulator.url("eu-central-1"), kMasterEu, emulator.s3_url());
    auto started = master.post_json("/v2/storage/tables/in.c-sales.orders/export-async", json::object());
    REQUIRE(started.status == 202);
    job_id = started.json().at("id").get<std::int64_t>();
    REQUIRE(job_detail(master, job_id).at("status") == "waiting");
    stopped_at = std::chrono::steady_clock::now();
  }  // SIGTERM (a SIGKILL would come only after a 10 s grace)
  CHECK(std::chrono::steady_clock::now() - stopped_at < std::chrono::seconds(5));  // the delay is not waited out

  EmulatorProcess restarted({seed, {"--data", data, "--job-delay-ms", "1"}});
  StorageTestClient master(restarted.url("eu-central-1"), kMasterEu, restarted.s3_url());
  auto ended = master.wait_for_job({{"id", job_id}}, std::chrono::seconds(10));
  CHECK(ended.at("status") == "error");
  CHECK(ended.at("error").at("code") == "storage.jobInterrupted");
  CHECK(ended.at("error").at("message") == "The emulator stopped before this job ran; run it again.");
  CHECK(ended.at("endTime").is_string());
  // The restarted emulator runs new jobs as usual.
  CHECK(master.run_job("/v2/storage/tables/in.c-sales.orders/export-async", json::object()).at("status") == "success");
}

TEST_CASE("a job killed while processing ends as error after a restart with --data") {
  TempDir dir;
  auto seed = write_seed(dir, two_region_seed());
  auto data = (dir.path() / "state").string();
  std::int64_t job_id = 0;
  {
    // 1.5 s waiting, then at least 1.5 s processing: the kill comes while it processes.
    EmulatorProcess emulator({seed, {"--data", data, "--job-delay-ms", "1500"}});
    StorageTestClient master(emulator.url("eu-central-1"), kMasterEu, emulator.s3_url());
    auto started = master.post_json("/v2/storage/tables/in.c-sales.orders/export-async", json::object());
    REQUIRE(started.status == 202);
    job_id = started.json().at("id").get<std::int64_t>();
    std::string status;
    for (int polls = 0; polls < 200; ++polls) {  // at most ~10 s
      status = job_detail(master, job_id).at("status").get<std::string>();
      if (status != "waiting") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE(status == "processing");
    ::kill(emulator.pid(), SIGKILL);  // the fixture's destructor reaps it
  }

  EmulatorProcess restarted({seed, {"--data", data, "--job-delay-ms", "1"}});
  StorageTestClient master(restarted.url("eu-central-1"), kMasterEu, restarted.s3_url());
  auto ended = master.wait_for_job({{"id", job_id}}, std::chrono::seconds(10));
  CHECK(ended.at("status") == "error");
  CHECK(ended.at("error").at("code") == "storage.jobInterrupted");
  CHECK(ended.at("error").at("message").get<std::string>().find("stopped while this job ran") != std::string::npos);
  CHECK(ended.at("error").at("exceptionId").is_string());
  CHECK(ended.at("results").is_null());
}
