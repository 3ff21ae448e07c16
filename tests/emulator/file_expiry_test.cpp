// File expiry as the public clients see it: keboola/storage-api-php-client `apiary.apib`
// ("Create File Resource": isPermanent false = deleted after 15 days; "List Files": showExpired
// "Include expired files in response", default false; the isExpired field of a file),
// `src/Keboola/StorageApi/Options/ListFilesOptions.php` (showExpired sent as 0/1) and
// `tests/File/CommonFileTest.php` testEmptyFileUpload (maxAgeDays an int, null when permanent).
#include <catch2/catch.hpp>

#include "emulator_test_support.hpp"

using namespace kbc::test;
using nlohmann::json;

namespace {

constexpr int kDay = 86400;

struct Expiry {
  TempDir dir;
  EmulatorProcess emulator{{write_seed(dir, two_region_seed()), {"--faults", "--job-delay-ms", "5"}}};
  StorageTestClient master{emulator.url("eu-central-1"), kMasterEu, emulator.s3_url()};

  std::int64_t prepare(const std::string& name, bool permanent) const {
    auto prepared = master.post_json("/v2/storage/files/prepare", {{"name", name}, {"isPermanent", permanent}});
    REQUIRE(prepared.status == 201);
    return prepared.json().at("id").get<std::int64_t>();
  }
  void advance_clock(int seconds) const {
    REQUIRE(http_request("POST", emulator.url("eu-central-1") + "/_emulator/clock",
                         json{{"advanceSeconds", seconds}}.dump(), {"Content-Type: application/json"})
                .status == 200);
  }
  json detail(std::int64_t id) const { return master.get("/v2/storage/files/" + std::to_string(id)).json(); }
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

TEST_CASE("a file expires maxAgeDays after it was created and leaves the list unless showExpired") {
  Expiry s;
  auto temporary = s.prepare("temporary.csv", false);
  auto permanent = s.prepare("permanent.csv", true);
  CHECK(s.detail(temporary).at("maxAgeDays") == 15);
  CHECK(s.detail(temporary).at("isExpired") == false);
  CHECK(s.detail(permanent).at("maxAgeDays").is_null());
  CHECK(s.detail(permanent).at("isExpired") == false);

  s.advance_clock(15 * kDay - 60);
  CHECK(s.ids("") == Ids{permanent, temporary});
  CHECK(s.detail(temporary).at("isExpired") == false);

  s.advance_clock(120);
  CHECK(s.detail(temporary).at("isExpired") == true);  // the detail still answers
  CHECK(s.detail(permanent).at("isExpired") == false);
  CHECK(s.ids("") == Ids{permanent});
  CHECK(s.ids("?showExpired=0") == Ids{permanent});
  CHECK(s.ids("?showExpired=1") == Ids{permanent, temporary});
  CHECK(s.ids("?showExpired=true&limit=1&offset=1") == Ids{temporary});
  auto listed = s.master.get("/v2/storage/files?showExpired=1").json();
  REQUIRE(listed.size() == 2);
  CHECK(listed[1].at("isExpired") == true);
  CHECK(s.master.get("/v2/storage/files?showExpired=maybe").status == 400);

  auto fresh = s.prepare("fresh.csv", false);  // prepared on the moved clock: not expired
  CHECK(s.ids("") == Ids{fresh, permanent});
}
