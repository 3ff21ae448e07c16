// GET /v2/storage/files and DELETE /v2/storage/files/{id} as the public clients use them:
// keboola/storage-api-php-client `tests/File/CommonFileTest.php` (testFileList,
// testFilesListFilterByTags, testFilesListFilterByInvalidValues, testFileListSearch,
// testSyntaxErrorInQueryShouldReturnUserError, testFileListFilterBySinceIdMaxId, testFileDelete),
// `src/Keboola/StorageApi/Client.php` (listFiles sends http_build_query, so tags%5B0%5D=…;
// deleteFile sends async=1 by default) and `apiary.apib` "List Files" (limit default 100,
// your token's files unless canReadAllFileUploads); keboola/sapi-python-client `kbcstorage/files.py`
// (delete without async: 204).
#include <catch2/catch.hpp>

#include "emulator_test_support.hpp"

using namespace kbc::test;
using nlohmann::json;

namespace {

struct Files {
  TempDir dir;
  EmulatorProcess emulator{{write_seed(dir, two_region_seed()), {"--job-delay-ms", "5"}}};
  StorageTestClient master{emulator.url("eu-central-1"), kMasterEu, emulator.s3_url()};

  // files/prepare only: a prepared file is listed whether or not anything was uploaded.
  std::int64_t prepare(const std::string& name, const std::vector<std::string>& tags = {},
                       const char* token = kMasterEu) const {
    StorageTestClient client(emulator.url("eu-central-1"), token);
    auto prepared = client.post_json("/v2/storage/files/prepare", {{"name", name}, {"tags", tags}});
    REQUIRE(prepared.status == 201);
    return prepared.json().at("id").get<std::int64_t>();
  }
  std::vector<std::int64_t> ids(const std::string& query, const char* token = kMasterEu) const {
    StorageTestClient client(emulator.url("eu-central-1"), token);
    auto response = client.get("/v2/storage/files" + query);
    REQUIRE(response.status == 200);
    std::vector<std::int64_t> out;
    for (const auto& file : response.json()) out.push_back(file.at("id").get<std::int64_t>());
    return out;
  }
};

using Ids = std::vector<std::int64_t>;

}  // namespace

TEST_CASE("the file list is newest first with the file fields and no credentials") {
  Files s;
  auto first = s.master.upload_file("files.upload.txt", "hello\n");
  auto second = s.master.upload_file("users.csv", "id\n1\n");
  auto list = s.master.get("/v2/storage/files");
  REQUIRE(list.status == 200);
  auto files = list.json();
  REQUIRE(files.size() == 2);
  CHECK(files[0].at("id") == second);
  CHECK(files[1].at("id") == first);
  const auto& file = files[0];
  CHECK(file.at("name") == "users.csv");
  CHECK(file.at("region").is_string());
  CHECK(file.at("url").get<std::string>().find("http") == 0);
  CHECK(file.at("isSliced") == false);
  CHECK(file.at("tags") == json::array());
  CHECK(file.at("maxAgeDays") == 15);
  CHECK(file.at("creatorToken").at("id") == 101);
  CHECK(file.at("creatorToken").at("description") == "admin@example.com");
  CHECK_FALSE(file.contains("credentials"));
  CHECK_FALSE(file.contains("uploadParams"));
}

TEST_CASE("the file list filters by sinceId, maxId, tags and a name query and pages with limit and offset") {
  Files s;
  auto last = s.prepare("files.upload.txt");
  auto first = s.prepare("users.csv", {"tag-a"});
  auto second = s.prepare("users.csv", {"tag-a", "tag-b"});
  CHECK(s.ids("?sinceId=" + std::to_string(last)) == Ids{second, first});
  CHECK(s.ids("?maxId=" + std::to_string(second) + "&limit=1") == Ids{first});
  CHECK(s.ids("?tags%5B0%5D=tag-a") == Ids{second, first});
  CHECK(s.ids("?tags%5B0%5D=tag-b") == Ids{second});
  CHECK(s.ids("?tags%5B0%5D=tag-b&tags%5B1%5D=tag-a") == Ids{second, first});
  CHECK(s.ids("?tags%5B0%5D=nothing").empty());
  CHECK(s.ids("?q=users&limit=1") == Ids{second});
  CHECK(s.ids("?q=UPLOAD") == Ids{last});
  CHECK(s.ids("?q=tags:tag-b") == Ids{second});
  CHECK(s.ids("?limit=2") == Ids{second, first});
  CHECK(s.ids("?limit=2&offset=2") == Ids{last});
  CHECK(s.ids("?tags%5B0%5D=tag-a&offset=1") == Ids{first});

  auto not_array = s.master.get("/v2/storage/files?tags=tag-a");
  CHECK(not_array.status == 400);
  CHECK(not_array.json().at("code") == "storage.validation");
  auto syntax = s.master.get("/v2/storage/files?q=" + percent_encode("tags[]:sd"));
  CHECK(syntax.status == 400);
  CHECK(syntax.json().at("code") == "query.syntax");
  CHECK(s.master.get("/v2/storage/files?limit=x").status == 400);
}

TEST_CASE("a token lists only the files it prepared unless it reads all file uploads") {
  Files s;
  auto by_master = s.prepare("master.csv");
  auto by_writer = s.prepare("writer.csv", {}, kWriteSalesEu);
  CHECK(s.ids("", kWriteSalesEu) == Ids{by_writer});
  CHECK(s.ids("", kReadSalesEu).empty());
  CHECK(s.ids("") == Ids{by_writer, by_master});
  StorageTestClient other(s.emulator.url("us-east-1"), kMasterUs);
  CHECK(other.get("/v2/storage/files").json() == json::array());
}

TEST_CASE("a deleted file is gone from the detail, the list and the file storage") {
  Files s;
  auto id = s.master.upload_file("files.upload.txt", "hello\n");
  auto url = s.master.get("/v2/storage/files/" + std::to_string(id)).json().at("url").get<std::string>();
  REQUIRE(http_request("GET", url).status == 200);

  auto deleted = s.master.del("/v2/storage/files/" + std::to_string(id));
  CHECK(deleted.status == 204);
  auto detail = s.master.get("/v2/storage/files/" + std::to_string(id));
  CHECK(detail.status == 404);
  CHECK(detail.json().at("code") == "storage.files.notFound");
  CHECK(s.ids("").empty());
  CHECK(http_request("GET", url).status == 404);

  auto again = s.master.del("/v2/storage/files/" + std::to_string(id));
  CHECK(again.status == 404);
  CHECK(again.json().at("code") == "storage.files.notFound");
}

TEST_CASE("an async file delete answers with a job that deletes the file") {
  Files s;
  auto id = s.master.upload_file("files.upload.txt", "hello\n");
  auto started = s.master.del("/v2/storage/files/" + std::to_string(id) + "?async=1");
  REQUIRE(started.status == 202);
  auto job = s.master.wait_for_job(started.json());
  CHECK(job.at("status") == "success");
  CHECK(job.at("operationName") == "fileDelete");
  CHECK(job.at("operationParams").at("fileId") == id);
  CHECK(s.master.get("/v2/storage/files/" + std::to_string(id)).json().at("code") == "storage.files.notFound");

  auto other_token = s.prepare("mine.csv");
  StorageTestClient reader(s.emulator.url("eu-central-1"), kReadSalesEu);
  CHECK(reader.del("/v2/storage/files/" + std::to_string(other_token)).status == 403);
  StorageTestClient other_project(s.emulator.url("us-east-1"), kMasterUs);
  CHECK(other_project.del("/v2/storage/files/" + std::to_string(other_token)).json().at("code") ==
        "storage.files.notFound");
}
