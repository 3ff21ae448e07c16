// Jobs move waiting -> processing -> success|error with the fields of storage-api.md §7.
#include <catch2/catch.hpp>

#include <set>
#include <thread>

#include "emulator_test_support.hpp"

using namespace kbc::test;
using nlohmann::json;

TEST_CASE("a job is waiting then processing then success with times and results") {
  TempDir dir;
  EmulatorProcess emulator({write_seed(dir, two_region_seed()), {"--job-delay-ms", "300"}});
  StorageTestClient master(emulator.url("eu-central-1"), kMasterEu, emulator.s3_url());
  auto started = master.post_json("/v2/storage/tables/in.c-sales.orders/export-async", {{"gzip", true}});
  REQUIRE(started.status == 202);
  auto job = started.json();
  CHECK(job.at("status") == "waiting");
  CHECK(job.at("operationName") == "tableExport");
  CHECK(job.at("tableId") == "in.c-sales.orders");
  CHECK(job.at("url").get<std::string>().find("/v2/storage/jobs/") != std::string::npos);

  std::set<std::string> seen;
  json current;
  for (int i = 0; i < 200; ++i) {
    current = master.get("/v2/storage/jobs/" + std::to_string(job.at("id").get<int>())).json();
    seen.insert(current.at("status").get<std::string>());
    if (current.at("status") == "success" || current.at("status") == "error") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(seen == std::set<std::string>{"waiting", "processing", "success"});
  CHECK(current.at("startTime").is_string());
  CHECK(current.at("endTime").is_string());
  CHECK(current.at("results").at("file").at("id").is_number_integer());
  CHECK(current.at("results").at("cacheHit") == false);

  StorageTestClient other_project(emulator.url("us-east-1"), kMasterUs);
  CHECK(other_project.get("/v2/storage/jobs/" + std::to_string(job.at("id").get<int>())).status == 404);
}

TEST_CASE("adding a primary key over duplicate values fails the job and keeps the table unchanged") {
  TempDir dir;
  EmulatorProcess emulator({write_seed(dir, two_region_seed()), {"--job-delay-ms", "5"}});
  StorageTestClient master(emulator.url("eu-central-1"), kMasterEu, emulator.s3_url());
  auto file = master.upload_file("dup.csv", "k,v\n1,a\n1,b\n2,c\n");
  REQUIRE(master.run_job("/v2/storage/buckets/in.c-sales/tables-async", {{"name", "dup"}, {"dataFileId", file}}).at("status") == "success");
  auto failed = master.run_job("/v2/storage/tables/in.c-sales.dup/primary-key", {{"columns", {"k"}}});
  CHECK(failed.at("status") == "error");
  CHECK(failed.at("error").at("code") == "storage.tables.primaryKeyDuplicateValues");
  CHECK(master.get("/v2/storage/tables/in.c-sales.dup").json().at("primaryKey").empty());

  auto added = master.run_job("/v2/storage/tables/in.c-sales.dup/primary-key", {{"columns", {"v"}}});
  CHECK(added.at("status") == "success");
  CHECK(master.get("/v2/storage/tables/in.c-sales.dup").json().at("primaryKey") == json::array({"v"}));
  CHECK(master.del("/v2/storage/tables/in.c-sales.dup").status == 204);
  CHECK(master.get("/v2/storage/tables/in.c-sales.dup").json().at("code") == "storage.tables.notFound");
}
