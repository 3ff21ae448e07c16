// The Storage API in a gcp region: provider fields, files/prepare + detail + refresh shapes,
// exports into the GCS bucket (plain, gzip, sliced with gs:// manifests) and imports of files
// uploaded through the GCS JSON API. AWS regions of the same emulator keep answering as before.
#include <catch2/catch.hpp>

#include "gcs_test_support.hpp"
#include "process.hpp"

using namespace kbc::test;
using namespace kbc::test::gcs;
using nlohmann::json;

namespace {

// Downloads a file of a gcp project the way sapi-python-client does: GET `url` (the object, or
// the manifest of a sliced file), then each gs:// entry with the file's gcsCredentials token.
std::string download_gcp_file(const StorageTestClient& client, const std::string& gcs, std::int64_t id) {
  auto detail = client.get("/v2/storage/files/" + std::to_string(id) + "?federationToken=1").json();
  auto first = http_request("GET", detail.at("url").get<std::string>());
  REQUIRE(first.status == 200);
  auto unzip = [](const std::string& name, const std::string& bytes) {
    return name.size() > 3 && name.compare(name.size() - 3, 3, ".gz") == 0 ? gzip_decompress(bytes) : bytes;
  };
  if (!detail.at("isSliced").get<bool>()) return unzip(detail.at("name").get<std::string>(), first.body);
  auto token = detail.at("gcsCredentials").at("access_token").get<std::string>();
  auto bucket = detail.at("gcsPath").at("bucket").get<std::string>();
  std::string out;
  auto manifest = json::parse(first.body);
  for (const auto& entry : manifest.at("entries")) {
    auto url = entry.at("url").get<std::string>();
    auto prefix = "gs://" + bucket + "/";
    REQUIRE(url.rfind(prefix, 0) == 0);
    auto key = url.substr(prefix.size());
    auto slice = get_object(gcs, token, bucket, key, true);
    REQUIRE(slice.status == 200);
    out += unzip(key, slice.body);
  }
  return out;
}

}  // namespace

TEST_CASE("gcp region: verify, files/prepare, detail and refresh answer in GCS shapes") {
  TempDir dir;
  EmulatorProcess emulator({write_seed(dir, gcp_seed()), {"--job-delay-ms", "1"}});
  StorageTestClient master(emulator.url(kGcpRegion), kMasterGcp);
  auto gcs = gcs_url(emulator);

  auto verify = master.get("/v2/storage/tokens/verify").json();
  CHECK(verify["owner"]["fileStorageProvider"] == "gcp");
  CHECK(verify["owner"]["region"] == kGcpRegion);
  StorageTestClient aws(emulator.url("us-east-1"), kMasterAws);
  CHECK(aws.get("/v2/storage/tokens/verify").json()["owner"]["fileStorageProvider"] == "aws");

  auto prepared = master.post_json("/v2/storage/files/prepare", {{"name", "upload.csv"}, {"federationToken", true}});
  REQUIRE(prepared.status == 201);
  auto file = prepared.json();
  CHECK(file["provider"] == "gcp");
  CHECK(file["region"] == kGcpRegion);
  CHECK_FALSE(file.contains("uploadParams"));
  const auto& params = file.at("gcsUploadParams");
  CHECK(params["projectId"] == "kbc-emulator");
  CHECK(params["bucket"] == kBucket);
  CHECK(params["key"].get<std::string>().rfind("exp-15/5/files/", 0) == 0);
  CHECK(params["access_token"].get<std::string>().rfind("ya29.", 0) == 0);
  CHECK(params["token_type"] == "Bearer");
  CHECK(params["expires_in"].get<int>() > 3500);
  CHECK(params["expires_in"].get<int>() <= 3600);
  auto token = params["access_token"].get<std::string>();
  auto key = params["key"].get<std::string>();
  REQUIRE(upload_media(gcs, token, kBucket, key, "id\n1\n").status == 200);

  auto detail = master.get("/v2/storage/files/" + std::to_string(file["id"].get<int>()) + "?federationToken=1").json();
  CHECK(detail["provider"] == "gcp");
  CHECK(detail["gcsPath"] == json({{"bucket", kBucket}, {"key", key}}));
  const auto& credentials = detail.at("gcsCredentials");
  CHECK(credentials["token_type"] == "Bearer");
  CHECK(credentials["projectId"] == "kbc-emulator");
  CHECK(credentials["expires_in"].get<int>() > 3500);
  CHECK_FALSE(detail.contains("s3Path"));
  CHECK_FALSE(detail.contains("credentials"));
  auto read_token = credentials["access_token"].get<std::string>();
  CHECK(get_object(gcs, read_token, kBucket, key, true).body == "id\n1\n");
  CHECK(http_request("GET", detail["url"].get<std::string>()).body == "id\n1\n");
  CHECK_FALSE(master.get("/v2/storage/files/" + std::to_string(file["id"].get<int>())).json().contains("gcsCredentials"));

  // Refresh: the file answer with a new gcsUploadParams token (what the PHP client reads).
  auto refreshed = master.put_json("/v2/storage/files/" + std::to_string(file["id"].get<int>()) + "/refresh", json::object());
  REQUIRE(refreshed.status == 200);
  auto again = refreshed.json().at("gcsUploadParams");
  CHECK(again["key"] == key);
  CHECK(again["bucket"] == kBucket);
  CHECK(again["access_token"] != token);
  CHECK(again["expires_in"].get<int>() > 3500);
  CHECK(upload_media(gcs, again["access_token"], kBucket, key, "id\n2\n").status == 200);
  CHECK(master.put_json("/v2/storage/files/999/refresh", json::object()).status == 404);

  // An AWS region of the same emulator keeps its S3 shapes.
  auto s3_file = aws.post_json("/v2/storage/files/prepare", {{"name", "x.csv"}, {"federationToken", true}}).json();
  CHECK(s3_file["provider"] == "aws");
  CHECK(s3_file.contains("uploadParams"));
  CHECK_FALSE(s3_file.contains("gcsUploadParams"));
  auto s3_refresh = aws.put_json("/v2/storage/files/" + std::to_string(s3_file["id"].get<int>()) + "/refresh", json::object());
  CHECK(s3_refresh.status == 200);
  CHECK(s3_refresh.json()["uploadParams"]["credentials"].contains("SessionToken"));
}

TEST_CASE("gcp region: exports land in the GCS bucket, sliced ones with gs:// manifests, plain and gzip") {
  TempDir dir;
  auto seed = gcp_seed();
  seed["projects"][0]["buckets"][0]["tables"].push_back(json::parse(R"({"name": "big", "generate": {"rows": 2000, "seed": 3,
      "columns": [{"name": "id", "kind": "seq"}, {"name": "note", "kind": "text", "length": 20}]}})"));
  EmulatorProcess emulator({write_seed(dir, seed), {"--job-delay-ms", "1", "--slice-size", "20000"}});
  StorageTestClient master(emulator.url(kGcpRegion), kMasterGcp);
  auto gcs = gcs_url(emulator);
  const std::string orders = "\"1\",\"alice\",\"10.50\"\n\"2\",\"bob\",\"20.00\"\n\"3\",\"carol, \"\"c\"\"\",\"30\"\n";

  for (bool gzip : {false, true}) {
    auto job = master.run_job("/v2/storage/tables/in.c-sales.orders/export-async", {{"gzip", gzip}});
    REQUIRE(job["status"] == "success");
    auto id = job["results"]["file"]["id"].get<std::int64_t>();
    auto detail = master.get("/v2/storage/files/" + std::to_string(id) + "?federationToken=1").json();
    CHECK(detail["provider"] == "gcp");
    CHECK(detail["isSliced"] == false);
    CHECK(detail["gcsPath"]["bucket"] == kBucket);
    CHECK(download_gcp_file(master, gcs, id) == orders);
    // The object's JSON API metadata, checksums computed for a file a job wrote.
    auto meta = get_object(gcs, detail["gcsCredentials"]["access_token"], kBucket, detail["gcsPath"]["key"], false);
    REQUIRE(meta.status == 200);
    CHECK(meta.json()["size"] == std::to_string(detail["sizeBytes"].get<std::int64_t>()));
    CHECK(meta.json()["contentType"] == (gzip ? "application/gzip" : "text/csv"));
  }

  for (bool gzip : {false, true}) {
    auto job = master.run_job("/v2/storage/tables/in.c-sales.big/export-async", {{"gzip", gzip}});
    REQUIRE(job["status"] == "success");
    auto id = job["results"]["file"]["id"].get<std::int64_t>();
    auto detail = master.get("/v2/storage/files/" + std::to_string(id) + "?federationToken=1").json();
    REQUIRE(detail["isSliced"] == true);
    auto prefix = detail["gcsPath"]["key"].get<std::string>();
    CHECK(prefix.back() == '/');
    auto manifest = json::parse(http_request("GET", detail["url"].get<std::string>()).body);
    REQUIRE(manifest["entries"].size() > 1);
    for (const auto& entry : manifest["entries"]) {
      CHECK(entry["url"].get<std::string>().rfind("gs://" + std::string(kBucket) + "/" + prefix + "part", 0) == 0);
    }
    auto data = download_gcp_file(master, gcs, id);
    auto lines = lines_of(data);
    REQUIRE(lines.size() == 2000);
    CHECK(lines.front().rfind("\"1\",", 0) == 0);
    CHECK(lines.back().rfind("\"2000\",", 0) == 0);
  }
}

TEST_CASE("gcp region: imports read files uploaded through the GCS API, sliced manifests are checked") {
  TempDir dir;
  EmulatorProcess emulator({write_seed(dir, gcp_seed()), {"--job-delay-ms", "1"}});
  StorageTestClient master(emulator.url(kGcpRegion), kMasterGcp);
  auto gcs = gcs_url(emulator);

  // A plain file via a resumable upload, then tables-async and import-async.
  auto plain = prepare(master, "new.csv");
  auto session = start_resumable(gcs, plain.token, plain.bucket, plain.key);
  std::string csv = "id,name\n10,ten\n11,eleven\n";
  REQUIRE(put_chunk(session, "bytes 0-" + std::to_string(csv.size() - 1) + "/" + std::to_string(csv.size()), csv).status == 200);
  auto created = master.run_job("/v2/storage/buckets/in.c-sales/tables-async", {{"name", "fresh"}, {"dataFileId", plain.id}});
  REQUIRE(created["status"] == "success");
  CHECK(master.get("/v2/storage/tables/in.c-sales.fresh").json()["rowsCount"] == 2);

  auto gz = prepare(master, "more.csv.gz");
  REQUIRE(upload_media(gcs, gz.token, gz.bucket, gz.key, gzip_compress("id,customer,amount\n4,dave,40\n")).status == 200);
  auto imported = master.run_job("/v2/storage/tables/in.c-sales.orders/import-async", {{"dataFileId", gz.id}, {"incremental", true}});
  REQUIRE(imported["status"] == "success");
  CHECK(master.get("/v2/storage/tables/in.c-sales.orders").json()["rowsCount"] == 4);

  auto import_sliced = [&](std::int64_t id) {
    return master.run_job("/v2/storage/tables/in.c-sales.orders/import-async",
                          {{"dataFileId", id}, {"incremental", true}, {"columns", {"id", "customer", "amount"}}});
  };
  auto entry = [](const Prepared& f, const std::string& name) { return json{{"url", "gs://" + f.bucket + "/" + f.key + name}}; };

  auto no_manifest = prepare(master, "s.csv", true);
  REQUIRE(upload_media(gcs, no_manifest.token, no_manifest.bucket, no_manifest.key + "a.csv", "7,x,1\n").status == 200);
  CHECK(import_sliced(no_manifest.id)["error"]["code"] == "storage.manifestFileMissing");

  auto missing = prepare(master, "s.csv", true);
  REQUIRE(upload_media(gcs, missing.token, missing.bucket, missing.key + "a.csv", "7,x,1\n").status == 200);
  REQUIRE(upload_media(gcs, missing.token, missing.bucket, missing.key + "manifest",
                       json{{"entries", {entry(missing, "a.csv"), entry(missing, "b.csv")}}}.dump()).status == 200);
  CHECK(import_sliced(missing.id)["error"]["code"] == "storage.importFileMissing");

  auto foreign = prepare(master, "s.csv", true);
  REQUIRE(upload_media(gcs, foreign.token, foreign.bucket, foreign.key + "manifest",
                       json{{"entries", {entry(missing, "a.csv")}}}.dump()).status == 200);
  CHECK(import_sliced(foreign.id)["error"]["code"] == "storage.unauthorizedAccess");
  // An s3:// entry is not this file's either.
  auto s3_entry = prepare(master, "s.csv", true);
  REQUIRE(upload_media(gcs, s3_entry.token, s3_entry.bucket, s3_entry.key + "manifest",
                       json{{"entries", {{{"url", "s3://" + s3_entry.bucket + "/" + s3_entry.key + "a.csv"}}}}}.dump()).status == 200);
  CHECK(import_sliced(s3_entry.id)["error"]["code"] == "storage.unauthorizedAccess");
  CHECK(master.get("/v2/storage/tables/in.c-sales.orders").json()["rowsCount"] == 4);

  auto good = prepare(master, "s.csv", true);
  REQUIRE(upload_media(gcs, good.token, good.bucket, good.key + "a.csv.gz", gzip_compress("7,x,1\n")).status == 200);
  REQUIRE(upload_media(gcs, good.token, good.bucket, good.key + "b.csv", "8,y,2").status == 200);
  REQUIRE(upload_media(gcs, good.token, good.bucket, good.key + "manifest",
                       json{{"entries", {entry(good, "a.csv.gz"), entry(good, "b.csv")}}}.dump()).status == 200);
  CHECK(import_sliced(good.id)["status"] == "success");
  CHECK(master.get("/v2/storage/tables/in.c-sales.orders").json()["rowsCount"] == 6);

  auto never = prepare(master, "never.csv");
  CHECK(master.run_job("/v2/storage/tables/in.c-sales.orders/import-async", {{"dataFileId", never.id}})["error"]["code"] ==
        "storage.fileNotUploaded");
}

TEST_CASE("seed: an azure region without --azure-blob-endpoint is refused at start, naming the flag") {
  TempDir dir;
  auto seed = json::parse(R"({"regions": [{"name": "north-europe", "provider": "azure"}]})");
  auto result = run_process({KBC_EMULATOR_BIN, "--seed", write_seed(dir, seed).string(), "--port", "0"}, {},
                            std::chrono::seconds(30));
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("azurite") != std::string::npos);
  CHECK(result.err.find("--azure-blob-endpoint") != std::string::npos);
}
