// DELETE /v2/storage/files/{id} in an azure region, against a real azurite: the file's blobs go
// with it, as keboola/storage-api-php-client `tests/File/CommonFileTest.php` testFileDelete
// expects (sync and async: the detail is storage.files.notFound and a GET of the old `url` is
// 404) and `tests/File/AzureFileTest.php` reads Azure files (one container per file, absPath).
#include <catch2/catch.hpp>

#include "azure_test_support.hpp"

using namespace kbc::test;
using namespace kbc::test::azure;
using nlohmann::json;

namespace {

json seed_with_big_table() {
  auto seed = azure_seed();
  seed["projects"][0]["buckets"][0]["tables"].push_back(json::parse(R"({"name": "big", "generate": {"rows": 3000,
      "seed": 5, "columns": [{"name": "id", "kind": "seq"}, {"name": "note", "kind": "text", "length": 30}]}})"));
  return seed;
}

}  // namespace

TEST_CASE("azure region: deleting a file deletes its blobs from the blob service") {
  AzureEmulator env;
  auto master = env.client();
  auto file = prepare(master, "upload.csv");
  REQUIRE(put_blob(file.credentials, file.container, file.blob, "id\n1\n").status == 201);
  auto url = detail_of(master, file.id).at("url").get<std::string>();
  REQUIRE(http_request("GET", url).status == 200);

  auto deleted = master.del("/v2/storage/files/" + std::to_string(file.id));
  CHECK(deleted.status == 204);
  auto detail = master.get("/v2/storage/files/" + std::to_string(file.id));
  CHECK(detail.status == 404);
  CHECK(detail.json().at("code") == "storage.files.notFound");
  CHECK(http_request("GET", url).status == 404);
  auto blob = get_blob(file.credentials, file.container, file.blob);
  CHECK(blob.status == 404);
  CHECK(azure_error(blob) == "ContainerNotFound");

  // A file prepared and never uploaded has an empty container: deleting it works too.
  auto empty = prepare(master, "never.csv");
  CHECK(master.del("/v2/storage/files/" + std::to_string(empty.id)).status == 204);
}

TEST_CASE("azure region: an async delete of a sliced export removes every slice and the manifest") {
  AzureEmulator env(seed_with_big_table(), {"--slice-size", "30000"});
  auto master = env.client();
  auto exported = master.run_job("/v2/storage/tables/in.c-sales.big/export-async", json::object());
  REQUIRE(exported.at("status") == "success");
  auto id = exported.at("results").at("file").at("id").get<std::int64_t>();
  auto detail = detail_of(master, id);
  REQUIRE(detail.at("isSliced") == true);
  auto credentials = ConnectionString::parse(detail.at("absCredentials").at("SASConnectionString").get<std::string>());
  auto container = detail.at("absPath").at("container").get<std::string>();
  auto manifest_blob = detail.at("absPath").at("name").get<std::string>() + "manifest";
  auto manifest = get_blob(credentials, container, manifest_blob);
  REQUIRE(manifest.status == 200);
  auto first_entry = json::parse(manifest.body).at("entries").at(0).at("url").get<std::string>();
  auto first_slice = first_entry.substr(first_entry.find(container + "/") + container.size() + 1);
  REQUIRE(get_blob(credentials, container, first_slice).status == 200);

  auto started = master.del("/v2/storage/files/" + std::to_string(id) + "?async=1");
  REQUIRE(started.status == 202);
  auto job = master.wait_for_job(started.json());
  CHECK(job.at("status") == "success");
  CHECK(job.at("operationName") == "fileDelete");
  CHECK(get_blob(credentials, container, manifest_blob).status == 404);
  CHECK(get_blob(credentials, container, first_slice).status == 404);
  CHECK(master.get("/v2/storage/files/" + std::to_string(id)).json().at("code") == "storage.files.notFound");
}
