// File tags as the public clients use them: keboola/storage-api-php-client
// `src/Keboola/StorageApi/Client.php` (addFileTag: POST files/{id}/tags {"tag"}; deleteFileTag:
// DELETE files/{id}/tags/{tag}), `tests/File/CommonFileTest.php` testTagging (a removed tag is
// gone, a new one goes last, adding it again is ignored) and testsDuplicateTagsShouldBeDeduped
// (files/prepare keeps a repeated tag once), `apiary.apib` ("Create Tag", "Manage Tags": 204);
// keboola/sapi-python-client `kbcstorage/files.py` (form fields, tags[] filter of the list).
#include <catch2/catch.hpp>

#include "emulator_test_support.hpp"

using namespace kbc::test;
using nlohmann::json;

namespace {

struct Tags {
  TempDir dir;
  EmulatorProcess emulator{{write_seed(dir, two_region_seed()), {"--job-delay-ms", "5"}}};
  StorageTestClient master{emulator.url("eu-central-1"), kMasterEu, emulator.s3_url()};

  std::int64_t prepare(const std::vector<std::string>& tags, const char* token = kMasterEu) const {
    StorageTestClient client(emulator.url("eu-central-1"), token);
    auto prepared = client.post_json("/v2/storage/files/prepare", {{"name", "files.upload.txt"}, {"tags", tags}});
    REQUIRE(prepared.status == 201);
    return prepared.json().at("id").get<std::int64_t>();
  }
  json tags_of(std::int64_t id) const {
    return master.get("/v2/storage/files/" + std::to_string(id)).json().at("tags");
  }
  std::string path(std::int64_t id) const { return "/v2/storage/files/" + std::to_string(id) + "/tags"; }
};

}  // namespace

TEST_CASE("file tags are removed and added as testTagging expects, each answered 204") {
  Tags s;
  auto id = s.master.upload_file("files.upload.txt", "hello\n");
  auto tagged = s.prepare({"gooddata", "image"});
  CHECK(s.tags_of(tagged) == json::array({"gooddata", "image"}));

  auto removed = s.master.del(s.path(tagged) + "/gooddata");
  CHECK(removed.status == 204);
  CHECK(removed.body.empty());
  CHECK(s.tags_of(tagged) == json::array({"image"}));

  auto added = s.master.post_json(s.path(tagged), {{"tag", "new"}});
  CHECK(added.status == 204);
  CHECK(added.body.empty());
  CHECK(s.tags_of(tagged) == json::array({"image", "new"}));
  CHECK(s.master.post_json(s.path(tagged), {{"tag", "new"}}).status == 204);
  CHECK(s.tags_of(tagged) == json::array({"image", "new"}));  // duplicate tag add is ignored

  // The Python client's form fields; the list's tags[] filter sees the new tag.
  CHECK(s.master.post_form(s.path(id), {{"tag", "from-form"}}).status == 204);
  auto listed = s.master.get("/v2/storage/files?tags%5B%5D=from-form").json();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].at("id") == id);
  CHECK(s.master.del(s.path(id) + "/not-there").status == 204);
  CHECK(s.tags_of(id) == json::array({"from-form"}));
}

TEST_CASE("files/prepare keeps a repeated tag once, in order") {
  Tags s;
  CHECK(s.tags_of(s.prepare({"first", "first", "second"})) == json::array({"first", "second"}));
}

TEST_CASE("tagging a file that is missing, not readable or without a tag is refused") {
  Tags s;
  auto missing = s.master.post_json(s.path(999999), {{"tag", "x"}});
  CHECK(missing.status == 404);
  CHECK(missing.json().at("code") == "storage.files.notFound");
  CHECK(s.master.del(s.path(999999) + "/x").json().at("code") == "storage.files.notFound");

  auto by_master = s.prepare({"kept"});
  StorageTestClient writer(s.emulator.url("eu-central-1"), kWriteSalesEu);
  CHECK(writer.post_json(s.path(by_master), {{"tag", "x"}}).status == 403);
  CHECK(writer.del(s.path(by_master) + "/kept").status == 403);
  CHECK(s.tags_of(by_master) == json::array({"kept"}));
  StorageTestClient other_project(s.emulator.url("us-east-1"), kMasterUs);
  CHECK(other_project.post_json(s.path(by_master), {{"tag", "x"}}).status == 404);

  auto no_tag = s.master.post_json(s.path(by_master), json::object());
  CHECK(no_tag.status == 400);
  CHECK(no_tag.json().at("code") == "validation.failed");
}
