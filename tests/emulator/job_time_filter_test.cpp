// The time filters of GET /v2/storage/jobs as keboola/storage-api-php-client `apiary.apib`
// ("List Jobs") names them: created_time, created_time_from, created_time_to and the same for
// start_time and end_time (the exact one wins over _from/_to), with limit and offset; the
// client passes them through (`src/Keboola/StorageApi/Client.php` listJobs: http_build_query
// of the options). The value format is not in the sources: the emulator takes what
// changedSince takes (unix timestamp, ISO 8601 as the job answers write it, "-2 hours").
#include <catch2/catch.hpp>

#include "emulator_test_support.hpp"

using namespace kbc::test;
using nlohmann::json;

namespace {

constexpr int kHour = 3600;

// Three finished exports an hour apart on the emulator clock, oldest first.
struct HourlyJobs {
  TempDir dir;
  EmulatorProcess emulator{{write_seed(dir, two_region_seed()), {"--faults", "--job-delay-ms", "5"}}};
  StorageTestClient master{emulator.url("eu-central-1"), kMasterEu, emulator.s3_url()};
  std::vector<json> jobs;

  HourlyJobs() {
    for (int i = 0; i < 3; ++i) {
      if (i > 0) advance_clock(kHour);
      jobs.push_back(master.run_job("/v2/storage/tables/in.c-sales.orders/export-async", json::object()));
    }
  }
  void advance_clock(int seconds) const {
    REQUIRE(http_request("POST", emulator.url("eu-central-1") + "/_emulator/clock",
                         json{{"advanceSeconds", seconds}}.dump(), {"Content-Type: application/json"})
                .status == 200);
  }
  std::int64_t id(int index) const { return jobs.at(index).at("id").get<std::int64_t>(); }
  std::string time(int index, const char* field) const {
    return percent_encode(jobs.at(index).at(field).get<std::string>());
  }
  std::vector<std::int64_t> ids(const std::string& query) const {
    auto response = master.get("/v2/storage/jobs" + query);
    REQUIRE(response.status == 200);
    std::vector<std::int64_t> out;
    for (const auto& job : response.json()) out.push_back(job.at("id").get<std::int64_t>());
    return out;
  }
};

using Ids = std::vector<std::int64_t>;

}  // namespace

TEST_CASE("the job list filters by created_time, created_time_from and created_time_to") {
  HourlyJobs s;
  REQUIRE(s.ids("") == Ids{s.id(2), s.id(1), s.id(0)});
  CHECK(s.ids("?created_time_from=" + s.time(1, "createdTime")) == Ids{s.id(2), s.id(1)});
  CHECK(s.ids("?created_time_to=" + s.time(1, "createdTime")) == Ids{s.id(1), s.id(0)});
  CHECK(s.ids("?created_time_from=" + s.time(1, "createdTime") + "&created_time_to=" + s.time(1, "createdTime")) ==
        Ids{s.id(1)});
  CHECK(s.ids("?created_time=" + s.time(0, "createdTime")) == Ids{s.id(0)});
  // The exact time wins: _from is not applied with it.
  CHECK(s.ids("?created_time=" + s.time(0, "createdTime") + "&created_time_from=" + s.time(2, "createdTime")) ==
        Ids{s.id(0)});
  CHECK(s.ids("?created_time_from=" + percent_encode("-90 minutes")) == Ids{s.id(2), s.id(1)});
  CHECK(s.ids("?created_time_from=" + percent_encode("-30 minutes") + "&created_time_to=now") == Ids{s.id(2)});

  auto bad = s.master.get("/v2/storage/jobs?created_time_from=yesterday-ish");
  CHECK(bad.status == 400);
  CHECK(bad.json().at("code") == "validation.failed");
  CHECK(bad.json().at("error").get<std::string>().find("created_time_from") != std::string::npos);
}

TEST_CASE("the job list filters by start_time and end_time and pages the filtered jobs") {
  HourlyJobs s;
  CHECK(s.ids("?start_time_from=" + s.time(1, "startTime")) == Ids{s.id(2), s.id(1)});
  CHECK(s.ids("?end_time_to=" + s.time(0, "endTime")) == Ids{s.id(0)});
  CHECK(s.ids("?end_time=" + s.time(2, "endTime")) == Ids{s.id(2)});
  CHECK(s.ids("?start_time_to=" + s.time(2, "startTime") + "&limit=1&offset=1") == Ids{s.id(1)});
  CHECK(s.ids("?created_time_to=" + s.time(1, "createdTime") + "&limit=1") == Ids{s.id(1)});
  CHECK(s.ids("?end_time_from=" + s.time(2, "endTime") + "&offset=1").empty());
}

TEST_CASE("a job that has not started is outside every start_time and end_time range") {
  TempDir dir;
  EmulatorProcess emulator({write_seed(dir, two_region_seed()), {"--job-delay-ms", "60000"}});
  StorageTestClient master(emulator.url("eu-central-1"), kMasterEu, emulator.s3_url());
  auto started = master.post_json("/v2/storage/tables/in.c-sales.orders/export-async", json::object());
  REQUIRE(started.status == 202);
  auto id = started.json().at("id").get<std::int64_t>();
  auto created = percent_encode(started.json().at("createdTime").get<std::string>());
  auto list = [&master](const std::string& query) { return master.get("/v2/storage/jobs" + query).json().size(); };
  CHECK(list("?created_time=" + created) == 1);
  CHECK(master.get("/v2/storage/jobs?created_time=" + created).json().at(0).at("id") == id);
  CHECK(list("?start_time_from=0") == 0);
  CHECK(list("?end_time_to=now") == 0);
}
