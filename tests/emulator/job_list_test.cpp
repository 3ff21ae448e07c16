// GET /v2/storage/jobs as the public clients read it. The expectations come from
// keboola/storage-api-php-client `apiary.apib` ("List Jobs": limit default 100, offset,
// storage_job_status; "Load data asynchronously": a tableImport job's operationParams name the
// file under source {fileId, type}) and `src/Keboola/StorageApi/Client.php` listJobs (query
// options passed through), and keboola/sapi-python-client `tests/job_responses.py`
// (list_response: a JSON array of the same objects as detail_response).
#include <catch2/catch.hpp>

#include "emulator_test_support.hpp"

using namespace kbc::test;
using nlohmann::json;

namespace {

struct ThreeJobs {
  TempDir dir;
  EmulatorProcess emulator{{write_seed(dir, two_region_seed()), {"--job-delay-ms", "5"}}};
  StorageTestClient master{emulator.url("eu-central-1"), kMasterEu, emulator.s3_url()};
  std::int64_t file_id = 0;
  json create, import, exported;  // finished jobs, oldest first

  ThreeJobs() {
    file_id = master.upload_file("people.csv", "id,name\n1,ann\n2,ben\n");
    create = master.run_job("/v2/storage/buckets/in.c-sales/tables-async", {{"name", "people"}, {"dataFileId", file_id}});
    import = master.run_job("/v2/storage/tables/in.c-sales.people/import-async",
                            {{"dataFileId", file_id}, {"incremental", true}});
    exported = master.run_job("/v2/storage/tables/in.c-sales.people/export-async", json::object());
  }
  std::vector<std::int64_t> ids(const std::string& query) const {
    auto response = master.get("/v2/storage/jobs" + query);
    REQUIRE(response.status == 200);
    std::vector<std::int64_t> out;
    for (const auto& job : response.json()) out.push_back(job.at("id").get<std::int64_t>());
    return out;
  }
};

std::int64_t id_of(const json& job) { return job.at("id").get<std::int64_t>(); }

}  // namespace

TEST_CASE("the job list is newest first and each item is the job detail") {
  ThreeJobs s;
  REQUIRE(s.create.at("status") == "success");
  REQUIRE(s.import.at("status") == "success");
  REQUIRE(s.exported.at("status") == "success");
  auto list = s.master.get("/v2/storage/jobs");
  REQUIRE(list.status == 200);
  auto jobs = list.json();
  REQUIRE(jobs.is_array());
  REQUIRE(jobs.size() >= 3);
  CHECK(id_of(jobs[0]) == id_of(s.exported));
  CHECK(id_of(jobs[1]) == id_of(s.import));
  CHECK(id_of(jobs[2]) == id_of(s.create));
  for (std::size_t i = 1; i < jobs.size(); ++i) CHECK(id_of(jobs[i - 1]) > id_of(jobs[i]));
  for (const auto& job : jobs) {
    CHECK(job == s.master.get("/v2/storage/jobs/" + std::to_string(id_of(job))).json());
  }
}

TEST_CASE("a tableImport job in the list names the uploaded file and the destination table") {
  ThreeJobs s;
  auto jobs = s.master.get("/v2/storage/jobs?limit=1&offset=1").json();
  REQUIRE(jobs.size() == 1);
  const auto& job = jobs[0];
  CHECK(job.at("operationName") == "tableImport");
  CHECK(job.at("tableId") == "in.c-sales.people");
  CHECK(job.at("operationParams").at("source").at("fileId") == s.file_id);
  CHECK(job.at("operationParams").at("source").at("type") == "file");
  CHECK(job.at("operationParams").at("params").at("incremental") == true);
  CHECK(job.at("creatorToken").at("id") == "101");
  CHECK(job.at("results").at("totalRowsCount").is_number_integer());

  auto created = s.master.get("/v2/storage/jobs/" + std::to_string(id_of(s.create))).json();
  CHECK(created.at("operationName") == "tableCreate");
  CHECK(created.at("operationParams").at("source").at("fileId") == s.file_id);
  auto exported = s.master.get("/v2/storage/jobs/" + std::to_string(id_of(s.exported))).json();
  CHECK(exported.at("operationParams").at("export").at("gzipOutput") == false);
}

TEST_CASE("the job list pages with limit and offset and filters by status") {
  ThreeJobs s;
  CHECK(s.ids("?limit=2") == std::vector<std::int64_t>{id_of(s.exported), id_of(s.import)});
  CHECK(s.ids("?limit=2&offset=1") == std::vector<std::int64_t>{id_of(s.import), id_of(s.create)});
  CHECK(s.ids("?limit=0").empty());
  CHECK(s.ids("?offset=1000").empty());
  CHECK(s.ids("?storage_job_status=success").size() == s.ids("").size());
  CHECK(s.ids("?storage_job_status=error").empty());
  CHECK(s.ids("?excluded_storage_job_status=success").empty());

  auto bad_limit = s.master.get("/v2/storage/jobs?limit=abc");
  CHECK(bad_limit.status == 400);
  CHECK(bad_limit.json().at("code") == "validation.failed");
  CHECK(s.master.get("/v2/storage/jobs?storage_job_status=done").status == 400);
}

TEST_CASE("the job list returns 100 jobs when no limit is given") {
  TempDir dir;
  EmulatorProcess emulator({write_seed(dir, two_region_seed()), {"--job-delay-ms", "0"}});
  StorageTestClient master(emulator.url("eu-central-1"), kMasterEu, emulator.s3_url());
  // The list does not wait for jobs: 101 started exports are enough, finished or not.
  for (int i = 0; i < 101; ++i) {
    REQUIRE(master.post_json("/v2/storage/tables/in.c-sales.orders/export-async", json::object()).status == 202);
  }
  CHECK(master.get("/v2/storage/jobs").json().size() == 100);
  CHECK(master.get("/v2/storage/jobs?limit=200").json().size() == 101);
}

TEST_CASE("a token's job list holds only the jobs of its own project") {
  ThreeJobs s;
  StorageTestClient other(s.emulator.url("us-east-1"), kMasterUs);
  auto list = other.get("/v2/storage/jobs");
  REQUIRE(list.status == 200);
  CHECK(list.json() == json::array());
  CHECK(http_request("GET", s.emulator.url("eu-central-1") + "/v2/storage/jobs").status == 401);
}
