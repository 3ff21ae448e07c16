// Development branches and branch-prefixed routes as the public clients call them:
// keboola/keboola-sdk-go `pkg/keboola/storage_branch.go` (ListBranchesRequest "dev-branches",
// GetDefaultBranchRequest: the item with isDefault, GetBranchRequest "dev-branches/{branchId}";
// Branch {id, name, description, created (iso8601), isDefault}) and every other
// `pkg/keboola/storage_*.go` request ("branch/{branchId}/tables/{tableId}",
// "branch/{branchId}/buckets", "branch/{branchId}/files/prepare", …); keboola/storage-api-php-client
// `src/Keboola/StorageApi/DevBranches.php` ("dev-branches/" with a trailing slash),
// `Components.php` ("branch/default/…"), `apiary.apib` "Development Branches" (the default
// branch "Main" with creatorToken []) and `tests/Common/DevBranchesTest.php` (a branch that does
// not exist: 404 "Branch not found"; a non-admin token: 403 "You don't have access to resource.").
#include <catch2/catch.hpp>

#include <regex>

#include "emulator_test_support.hpp"

using namespace kbc::test;
using nlohmann::json;

namespace {

struct Branches {
  TempDir dir;
  EmulatorProcess emulator{{write_seed(dir, two_region_seed()), {"--job-delay-ms", "5"}}};
  StorageTestClient master{emulator.url("eu-central-1"), kMasterEu, emulator.s3_url()};
};

// Project 1's default branch: 1000 + the project id (docs/emulator.md).
const std::string kMain = "/v2/storage/branch/1001";

}  // namespace

TEST_CASE("dev-branches lists the one default branch Main that keboola-sdk-go's GetDefaultBranchRequest picks") {
  Branches s;
  auto listed = s.master.get("/v2/storage/dev-branches");
  REQUIRE(listed.status == 200);
  auto branches = listed.json();
  REQUIRE(branches.is_array());
  REQUIRE(branches.size() == 1);
  const auto& main = branches[0];
  CHECK(main.at("id") == 1001);
  CHECK(main.at("name") == "Main");
  CHECK(main.at("description") == "");
  CHECK(main.at("isDefault") == true);
  CHECK(main.at("creatorToken") == json::array());
  CHECK(std::regex_match(main.at("created").get<std::string>(),
                         std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4})")));
  CHECK(s.master.get("/v2/storage/dev-branches/").json() == branches);  // DevBranches.php listBranches
  CHECK(s.master.get("/v2/storage/dev-branches/1001").json() == main);
}

TEST_CASE("a branch that does not exist is 404 Branch not found and a token that is not an admin's gets 403") {
  Branches s;
  auto missing = s.master.get("/v2/storage/dev-branches/1002");
  CHECK(missing.status == 404);
  CHECK(missing.json().at("error") == "Branch not found");
  CHECK(missing.json().at("code") == "devBranch.notFound");
  CHECK(s.master.get("/v2/storage/dev-branches/main").status == 404);
  StorageTestClient writer(s.emulator.url("eu-central-1"), kWriteSalesEu);
  for (const auto* path : {"/v2/storage/dev-branches", "/v2/storage/dev-branches/1001"}) {
    auto denied = writer.get(path);
    CHECK(denied.status == 403);
    CHECK(denied.json().at("error") == "You don't have access to resource.");
  }
}

TEST_CASE("routes under the default branch's id or branch/default answer as the unprefixed routes") {
  Branches s;
  const std::string table = "/tables/in.c-sales.orders";
  CHECK(s.master.get(kMain + table).json() == s.master.get("/v2/storage" + table).json());
  CHECK(s.master.get("/v2/storage/branch/default" + table).json() == s.master.get("/v2/storage" + table).json());
  CHECK(s.master.get(kMain + "/buckets").json() == s.master.get("/v2/storage/buckets").json());
  CHECK(s.master.get(kMain + table + "/data-preview").body == s.master.get("/v2/storage" + table + "/data-preview").body);
  CHECK(s.master.get("/v2/storage/branch/default/").json().at("api") == "storage");

  // A job started under the branch prefix is the same job everywhere.
  auto exported = s.master.run_job(kMain + table + "/export-async", json::object());
  REQUIRE(exported.at("status") == "success");
  auto id = std::to_string(exported.at("id").get<std::int64_t>());
  CHECK(s.master.get(kMain + "/jobs/" + id).json().at("results") == exported.at("results"));
  auto file_id = exported.at("results").at("file").at("id").get<std::int64_t>();
  CHECK(s.master.get(kMain + "/files/" + std::to_string(file_id)).json().at("id") == file_id);

  // Writes too: keboola-sdk-go creates buckets as branch/{branchId}/buckets.
  auto created = s.master.post_json(kMain + "/buckets", {{"name", "branched"}, {"stage", "in"}});
  CHECK(created.status == 201);
  CHECK(s.master.get("/v2/storage/buckets/in.c-branched").status == 200);
}

TEST_CASE("another branch id is 404 Branch not found on every branch route, after the token is checked") {
  Branches s;
  for (const auto* path : {"/v2/storage/branch/1002/tables", "/v2/storage/branch/5/buckets/in.c-sales",
                           "/v2/storage/branch/x/tables/in.c-sales.orders"}) {
    auto answer = s.master.get(path);
    CHECK(answer.status == 404);
    CHECK(answer.json().at("code") == "devBranch.notFound");
    CHECK(answer.json().at("error") == "Branch not found");
  }
  auto post = s.master.post_json("/v2/storage/branch/1002/tables/in.c-sales.orders/export-async", json::object());
  CHECK(post.status == 404);
  // Project 2's default branch is 1002; project 1's id is another project's branch to it.
  StorageTestClient us(s.emulator.url("us-east-1"), kMasterUs);
  CHECK(us.get("/v2/storage/branch/1002/buckets").status == 200);
  CHECK(us.get("/v2/storage/branch/1001/buckets").status == 404);
  StorageTestClient stranger(s.emulator.url("eu-central-1"), "1-999-NoSuchToken");
  CHECK(stranger.get(kMain + "/tables").json().at("code") == "storage.tokenInvalid");
  CHECK(stranger.get("/v2/storage/branch/default/tables").json().at("code") == "storage.tokenInvalid");
}
