// X-KBC-RunId as the public clients send and read it: keboola/storage-api-php-client
// `src/Keboola/StorageApi/Client.php` (setRunId: every request carries X-KBC-RunId;
// generateRunId nests "parent.child"), `tests/File/CommonFileTest.php` testFileListFilterByRunId
// (the file's runId is the header's, listFiles(setRunId) finds it), `tests/Common/RunIdTest.php`
// (a parent run id matches its children's objects), `src/Keboola/StorageApi/Options/
// ListFilesOptions.php` (runId query parameter) and `apiary.apib` ("HTTP headers", file and job
// answers with runId / runIds).
#include <catch2/catch.hpp>

#include "db/sqlite.hpp"
#include "emulator_test_support.hpp"

using namespace kbc::test;
using nlohmann::json;

namespace {

struct RunIds {
  TempDir dir;
  EmulatorProcess emulator{{write_seed(dir, two_region_seed()), {"--job-delay-ms", "5"}}};
  StorageTestClient master{emulator.url("eu-central-1"), kMasterEu, emulator.s3_url()};

  // A JSON POST as the PHP client sends it after setRunId (no header for an empty run id).
  HttpResponse post(const std::string& path, const json& body, const std::string& run_id) const {
    std::vector<std::string> headers = {std::string("X-StorageApi-Token: ") + kMasterEu, "Content-Type: application/json"};
    if (!run_id.empty()) headers.push_back("X-KBC-RunId: " + run_id);
    return http_request("POST", emulator.url("eu-central-1") + path, body.dump(), headers);
  }
  std::int64_t prepare(const std::string& name, const std::string& run_id) const {
    auto prepared = post("/v2/storage/files/prepare", {{"name", name}}, run_id);
    REQUIRE(prepared.status == 201);
    return prepared.json().at("id").get<std::int64_t>();
  }
  std::vector<std::int64_t> ids(const std::string& query) const {
    auto response = master.get("/v2/storage/files" + query);
    REQUIRE(response.status == 200);
    std::vector<std::int64_t> out;
    for (const auto& file : response.json()) out.push_back(file.at("id").get<std::int64_t>());
    return out;
  }
};

using Ids = std::vector<std::int64_t>;

}  // namespace

TEST_CASE("a file prepared with X-KBC-RunId carries it as runId, with its parent runs in runIds") {
  RunIds s;
  auto prepared = s.post("/v2/storage/files/prepare", {{"name", "upload.txt"}}, "1000.2001");
  REQUIRE(prepared.status == 201);
  CHECK(prepared.json().at("runId") == "1000.2001");
  CHECK(prepared.json().at("runIds") == json::array({"1000", "1000.2001"}));
  auto id = prepared.json().at("id").get<std::int64_t>();
  auto detail = s.master.get("/v2/storage/files/" + std::to_string(id)).json();
  CHECK(detail.at("runId") == "1000.2001");
  CHECK(detail.at("runIds") == json::array({"1000", "1000.2001"}));

  auto plain = s.master.get("/v2/storage/files/" + std::to_string(s.prepare("plain.txt", ""))).json();
  CHECK(plain.at("runId").is_null());
  CHECK(plain.at("runIds") == json::array());
}

TEST_CASE("the file list's runId filter finds a run's files and those of its child runs") {
  RunIds s;
  auto top = s.prepare("top.csv", "1000");
  auto first_child = s.prepare("first.csv", "1000.2001");
  auto second_child = s.prepare("second.csv", "1000.2002");
  auto other = s.prepare("other.csv", "10001");
  s.prepare("none.csv", "");
  CHECK(s.ids("?runId=1000.2001") == Ids{first_child});
  CHECK(s.ids("?runId=1000") == Ids{second_child, first_child, top});
  CHECK(s.ids("?runId=10001") == Ids{other});
  CHECK(s.ids("?runId=100").empty());       // a run id is matched whole, not as a text prefix
  CHECK(s.ids("?runId=1000.200").empty());
  CHECK(s.ids("?runId=1000&limit=1&offset=1") == Ids{first_child});
  CHECK(s.ids("?runId=").size() == 5);       // PHP sends no runId when unset; empty = no filter
}

TEST_CASE("a job started with X-KBC-RunId carries it, and so does the file an export writes") {
  RunIds s;
  auto started = s.post("/v2/storage/tables/in.c-sales.orders/export-async", json::object(), "77.88");
  REQUIRE(started.status == 202);
  CHECK(started.json().at("runId") == "77.88");
  auto job = s.master.wait_for_job(started.json());
  REQUIRE(job.at("status") == "success");
  CHECK(job.at("runId") == "77.88");
  auto listed = s.master.get("/v2/storage/jobs?limit=1").json();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].at("runId") == "77.88");
  auto file_id = job.at("results").at("file").at("id").get<std::int64_t>();
  CHECK(s.master.get("/v2/storage/files/" + std::to_string(file_id)).json().at("runId") == "77.88");
  CHECK(s.ids("?runId=77") == Ids{file_id});

  auto unnamed = s.master.run_job("/v2/storage/tables/in.c-sales.orders/export-async", json::object());
  CHECK(unnamed.at("runId").is_null());
}

TEST_CASE("a --data directory written before files and jobs had run ids still loads") {
  TempDir dir;
  auto seed = write_seed(dir, two_region_seed());
  auto data = dir.path() / "state";
  std::int64_t old_file = 0;
  {
    EmulatorProcess emulator({seed, {"--data", data.string(), "--job-delay-ms", "1"}});
    StorageTestClient master(emulator.url("eu-central-1"), kMasterEu, emulator.s3_url());
    old_file = master.upload_file("old.csv", "id\n1\n");
  }
  {
    // The schema of an older emulator: no run_id columns.
    kbc::emulator::db::Connection old(data / "metadata.sqlite");
    old.exec("ALTER TABLE files DROP COLUMN run_id; ALTER TABLE jobs DROP COLUMN run_id;");
  }
  EmulatorProcess restarted({seed, {"--data", data.string(), "--job-delay-ms", "1"}});
  StorageTestClient master(restarted.url("eu-central-1"), kMasterEu, restarted.s3_url());
  auto detail = master.get("/v2/storage/files/" + std::to_string(old_file));
  REQUIRE(detail.status == 200);
  CHECK(detail.json().at("runId").is_null());
  auto prepared = http_request("POST", restarted.url("eu-central-1") + "/v2/storage/files/prepare",
                               json{{"name", "new.csv"}}.dump(),
                               {std::string("X-StorageApi-Token: ") + kMasterEu, "Content-Type: application/json",
                                "X-KBC-RunId: 5"});
  REQUIRE(prepared.status == 201);
  CHECK(prepared.json().at("runId") == "5");
  CHECK(master.run_job("/v2/storage/tables/in.c-sales.orders/export-async", json::object()).at("status") == "success");
}
