// The token rules of seeds/api-tokens.md as the emulator enforces them.
#include <catch2/catch.hpp>

#include "emulator_test_support.hpp"

using namespace kbc::test;
using nlohmann::json;

namespace {

struct SeededEmulator {
  TempDir dir;
  EmulatorProcess emulator{{write_seed(dir, two_region_seed()), {"--faults", "--job-delay-ms", "5"}}};
  std::string eu() const { return emulator.url("eu-central-1"); }
  StorageTestClient client(const char* token) const { return StorageTestClient(eu(), token, emulator.s3_url()); }
  void advance_clock(int seconds) const {
    REQUIRE(http_request("POST", eu() + "/_emulator/clock", json{{"advanceSeconds", seconds}}.dump(),
                         {"Content-Type: application/json"}).status == 200);
  }
};

}  // namespace

TEST_CASE("a limited token cannot create tokens and sees only its own bucket") {
  SeededEmulator s;
  auto read = s.client(kReadSalesEu);
  auto denied = read.post_json("/v2/storage/tokens", {{"description", "sneaky"}});
  CHECK(denied.status == 403);
  CHECK(denied.json().at("code") == "accessDenied");
  CHECK(denied.json().at("status") == "error");
  CHECK(denied.json().contains("exceptionId"));

  auto buckets = read.get("/v2/storage/buckets").json();
  REQUIRE(buckets.size() == 1);
  CHECK(buckets[0].at("id") == "in.c-sales");
  CHECK(read.get("/v2/storage/buckets/in.c-other").status == 403);
  CHECK(read.get("/v2/storage/tables/in.c-other.secret").status == 403);
  CHECK(read.post_json("/v2/storage/tables/in.c-other.secret/export-async", json::object()).status == 403);

  auto verify = read.get("/v2/storage/tokens/verify").json();
  CHECK(verify.at("isMasterToken") == false);
  CHECK(verify.at("canManageBuckets") == false);
  CHECK(verify.at("bucketPermissions") == json{{"in.c-sales", "read"}});
  CHECK(verify.at("owner").at("region") == "eu-central-1");
  CHECK(read.export_table("in.c-sales.orders", {{"columns", "id"}}) == "\"1\"\n\"2\"\n\"3\"\n");
}

TEST_CASE("a read permission cannot write but a write permission can") {
  SeededEmulator s;
  auto read = s.client(kReadSalesEu);
  auto file = read.upload_file("more.csv", "id,customer,amount\n4,dave,40\n");
  auto refused = read.post_json("/v2/storage/tables/in.c-sales.orders/import-async", {{"dataFileId", file}, {"incremental", true}});
  CHECK(refused.status == 403);
  CHECK(read.post_json("/v2/storage/buckets/in.c-sales/tables-async", {{"name", "copy"}, {"dataFileId", file}}).status == 403);
  CHECK(read.post_json("/v2/storage/buckets", {{"name", "mine"}}).status == 403);

  auto write = s.client(kWriteSalesEu);
  auto write_file = write.upload_file("more.csv", "id,customer,amount\n4,dave,40\n");
  auto job = write.run_job("/v2/storage/tables/in.c-sales.orders/import-async", {{"dataFileId", write_file}, {"incremental", true}});
  CHECK(job.at("status") == "success");
  CHECK(write.get("/v2/storage/tables/in.c-sales.orders").json().at("rowsCount") == 4);
}

TEST_CASE("the token string is shown on create and refresh only and refresh invalidates the old one at once") {
  SeededEmulator s;
  auto master = s.client(kMasterEu);
  auto created = master.post_json("/v2/storage/tokens", {{"description", "reader"}, {"bucketPermissions", {{"in.c-sales", "read"}}}});
  REQUIRE(created.status == 201);
  auto token = created.json();
  auto old_string = token.at("token").get<std::string>();
  auto id = token.at("id").get<std::string>();
  CHECK(old_string.rfind("1-" + id + "-", 0) == 0);
  CHECK_FALSE(master.get("/v2/storage/tokens/" + id).json().contains("token"));
  CHECK(s.client(old_string.c_str()).get("/v2/storage/tokens/verify").status == 200);

  auto refreshed = master.post_json("/v2/storage/tokens/" + id + "/refresh", json::object());
  REQUIRE(refreshed.status == 200);
  auto new_string = refreshed.json().at("token").get<std::string>();
  CHECK(new_string != old_string);
  auto old_answer = s.client(old_string.c_str()).get("/v2/storage/tokens/verify");
  CHECK(old_answer.status == 401);
  CHECK(old_answer.json().at("code") == "storage.tokenInvalid");
  CHECK(s.client(new_string.c_str()).get("/v2/storage/tokens/verify").status == 200);

  auto unknown_bucket = master.post_json("/v2/storage/tokens", {{"bucketPermissions", {{"in.c-nope", "read"}}}});
  CHECK(unknown_bucket.status == 400);
  CHECK(unknown_bucket.json().at("code") == "storage.tokens.invalidPermissions");
  auto unnamed = master.post_json("/v2/storage/tokens", {{"bucketPermissions", {{"in.c-sales", "read"}}}}).json();
  CHECK(unnamed.at("description") == "Created by admin@example.com");
}

TEST_CASE("an expired token gets 401 and a token of another region gets 401 there") {
  SeededEmulator s;
  auto master = s.client(kMasterEu);
  auto created = master.post_json("/v2/storage/tokens", {{"description", "short"}, {"expiresIn", 60}}).json();
  auto short_lived = s.client(created.at("token").get<std::string>().c_str());
  CHECK(short_lived.get("/v2/storage/tokens/verify").json().at("expires").is_string());
  s.advance_clock(120);
  auto expired = short_lived.get("/v2/storage/tokens/verify");
  CHECK(expired.status == 401);
  CHECK(expired.json().at("code") == "storage.tokenExpired");

  StorageTestClient on_us(s.emulator.url("us-east-1"), kMasterEu);
  CHECK(on_us.get("/v2/storage/tokens/verify").status == 401);
  StorageTestClient us_master(s.emulator.url("us-east-1"), kMasterUs);
  CHECK(us_master.get("/v2/storage/tokens/verify").json().at("owner").at("id") == 2);
  CHECK(s.client("").get("/v2/storage/tokens/verify").status == 401);
}

TEST_CASE("master tokens cannot be deleted or shared but limited ones can and sharing is a token event") {
  SeededEmulator s;
  auto master = s.client(kMasterEu);
  CHECK(master.del("/v2/storage/tokens/101").status == 403);
  CHECK(master.post_json("/v2/storage/tokens/101/share", {{"recipientEmail", "a@example.com"}}).status == 403);

  CHECK(master.post_json("/v2/storage/tokens/102/share", {{"recipientEmail", "b@example.com"}, {"message", "hi"}}).status == 204);
  auto events = master.get("/v2/storage/tokens/102/events").json();
  REQUIRE_FALSE(events.empty());
  CHECK(events[0].at("event") == "storage.tokenShared");

  CHECK(master.del("/v2/storage/tokens/103").status == 204);
  CHECK(s.client(kWriteSalesEu).get("/v2/storage/tokens/verify").status == 401);
  auto listed = master.get("/v2/storage/tokens").json();
  CHECK(listed.size() == 2);
}
