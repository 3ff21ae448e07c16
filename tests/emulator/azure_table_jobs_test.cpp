// Table jobs in an azure region against a real azurite: exports land in the file's container
// (plain, gzip, sliced with azure:// manifests, large blobs in blocks) and read back with the
// detail's SAS; imports and table creation read blobs the test uploaded with the prepare SAS
// (plain, gzip, sliced), and the manifest errors come with the Storage API's codes.
#include <catch2/catch.hpp>

#include "azure_test_support.hpp"

using namespace kbc::test;
using namespace kbc::test::azure;
using nlohmann::json;

namespace {

json big_table() {
  return json::parse(R"({"name": "big", "generate": {"rows": 3000, "seed": 5,
      "columns": [{"name": "id", "kind": "seq"}, {"name": "note", "kind": "text", "length": 30}]}})");
}

json seed_with_big_table() {
  auto seed = azure_seed();
  seed["projects"][0]["buckets"][0]["tables"].push_back(big_table());
  return seed;
}

std::int64_t export_file(const StorageTestClient& client, const std::string& table, bool gzip) {
  auto job = client.run_job("/v2/storage/tables/" + table + "/export-async", {{"gzip", gzip}});
  INFO(job.dump());
  REQUIRE(job["status"] == "success");
  return job["results"]["file"]["id"].get<std::int64_t>();
}

}  // namespace

TEST_CASE("azure region: exports land in azurite, sliced ones with azure:// manifests, plain and gzip") {
  AzureEmulator env(seed_with_big_table(), {"--slice-size", "30000"});
  auto master = env.client();
  for (bool gzip : {false, true}) {
    auto id = export_file(master, "in.c-sales.orders", gzip);
    auto detail = detail_of(master, id);
    CHECK(detail["provider"] == "azure");
    CHECK(detail["isSliced"] == false);
    CHECK(detail["name"] == std::string("in.c-sales.orders.csv") + (gzip ? ".gz" : ""));
    CHECK(detail["absPath"]["name"] == detail["name"]);
    CHECK(detail["absPath"]["container"].get<std::string>().rfind("exp-15-files-7-" + std::to_string(id) + "-", 0) == 0);
    CHECK(download_azure_file(master, id) == kOrdersExport);
    // The url alone downloads the blob too.
    auto by_url = http_request("GET", detail["url"].get<std::string>());
    REQUIRE(by_url.status == 200);
    CHECK(static_cast<std::int64_t>(by_url.body.size()) == detail["sizeBytes"].get<std::int64_t>());
    CHECK((gzip ? gzip_decompress(by_url.body) : by_url.body) == kOrdersExport);
  }

  std::string previous;
  for (bool gzip : {false, true}) {
    auto id = export_file(master, "in.c-sales.big", gzip);
    auto detail = detail_of(master, id);
    REQUIRE(detail["isSliced"] == true);
    auto container = detail["absPath"]["container"].get<std::string>();
    auto prefix = detail["absPath"]["name"].get<std::string>();
    CHECK(prefix == std::string("in.c-sales.big.csv") + (gzip ? ".gz" : "") + "/");
    // The url is the manifest's; its entries use the real azure://<account>.blob.core.windows.net form.
    auto manifest = http_request("GET", detail["url"].get<std::string>());
    REQUIRE(manifest.status == 200);
    auto entries = json::parse(manifest.body).at("entries");
    REQUIRE(entries.size() > 1);
    for (std::size_t i = 0; i < entries.size(); ++i) {
      char slice[32];
      std::snprintf(slice, sizeof slice, "part%04zu.csv%s", i, gzip ? ".gz" : "");
      CHECK(entries[i]["url"] == "azure://devstoreaccount1.blob.core.windows.net/" + container + "/" + prefix + slice);
    }
    auto data = download_azure_file(master, id);
    auto lines = lines_of(data);
    REQUIRE(lines.size() == 3000);
    CHECK(lines.front().rfind("\"1\",", 0) == 0);
    CHECK(lines.back().rfind("\"3000\",", 0) == 0);
    if (!previous.empty()) CHECK(data == previous);  // gzip and plain carry the same rows
    previous = data;
  }

  // A reader token may export and read its file; the files of another token stay hidden.
  auto reader = env.client(kReaderAzure);
  auto id = export_file(reader, "in.c-sales.orders", false);
  CHECK(download_azure_file(reader, id) == kOrdersExport);
}

TEST_CASE("azure region: a large export is written in blocks (Put Block + Put Block List)") {
  // 3000 rows (~130 KB) in blocks of 4 KiB, not sliced.
  AzureEmulator env(seed_with_big_table(), {"--azure-block-size", "4096"});
  auto master = env.client();
  for (bool gzip : {false, true}) {
    auto id = export_file(master, "in.c-sales.big", gzip);
    auto detail = detail_of(master, id);
    REQUIRE(detail["isSliced"] == false);
    if (!gzip) CHECK(detail["sizeBytes"].get<std::int64_t>() > 10 * 4096);
    auto data = download_azure_file(master, id);
    auto lines = lines_of(data);
    REQUIRE(lines.size() == 3000);
    CHECK(lines[1234].rfind("\"1235\",", 0) == 0);
    // The committed blob has as many blocks as 4 KiB pieces.
    auto credentials = ConnectionString::parse(detail["absCredentials"]["SASConnectionString"].get<std::string>());
    auto blob = detail["absPath"]["container"].get<std::string>() + "/" + detail["absPath"]["name"].get<std::string>();
    auto blocks = http_request("GET", credentials.endpoint + "/" + blob + "?comp=blocklist&blocklisttype=committed&" + credentials.sas,
                               {}, {std::string("x-ms-version: ") + kRestVersion});
    REQUIRE(blocks.status == 200);
    std::size_t count = 0;
    for (auto at = blocks.body.find("<Block>"); at != std::string::npos; at = blocks.body.find("<Block>", at + 1)) ++count;
    auto size = static_cast<std::size_t>(detail["sizeBytes"].get<std::int64_t>());
    CHECK(count == (size + 4095) / 4096);
  }
}

TEST_CASE("azure region: imports and table creation read the blobs clients uploaded with the prepare SAS") {
  AzureEmulator env;
  auto master = env.client();
  auto import = [&](std::int64_t id, json params = json::object()) {
    params["dataFileId"] = id;
    return master.run_job("/v2/storage/tables/in.c-sales.orders/import-async", params);
  };

  // Plain CSV with a header, incremental upsert.
  auto plain = prepare(master, "plain.csv");
  REQUIRE(put_blob(plain.credentials, plain.container, plain.blob, "id,customer,amount\n4,dave,40\n1,alice,11\n").status == 201);
  auto job = import(plain.id, {{"incremental", true}});
  INFO(job.dump());
  REQUIRE(job["status"] == "success");
  CHECK(job["results"]["totalRowsCount"] == 4);

  // A gzip file (name ends in .gz).
  auto gz = prepare(master, "more.csv.gz");
  REQUIRE(put_blob(gz.credentials, gz.container, gz.blob, gzip_compress("id,customer,amount\n5,erin,50\n")).status == 201);
  REQUIRE(import(gz.id, {{"incremental", true}})["status"] == "success");

  // A sliced file: headerless slices (one gzip) and a manifest of azure:// entries.
  auto sliced = prepare(master, "sliced.csv", true);
  REQUIRE(put_blob(sliced.credentials, sliced.container, sliced.blob + "a.csv.gz", gzip_compress("6,frank,60\n")).status == 201);
  REQUIRE(put_blob(sliced.credentials, sliced.container, sliced.blob + "b.csv", "7,grace,70").status == 201);
  REQUIRE(put_blob(sliced.credentials, sliced.container, sliced.blob + "manifest",
                   json{{"entries", {{{"url", entry_url(sliced, "a.csv.gz")}}, {{"url", entry_url(sliced, "b.csv")}}}}}.dump())
              .status == 201);
  REQUIRE(import(sliced.id, {{"incremental", true}, {"columns", {"id", "customer", "amount"}}})["status"] == "success");

  auto rows = sorted_lines(download_azure_file(master, export_file(master, "in.c-sales.orders", false)));
  CHECK(rows == std::vector<std::string>({"\"1\",\"alice\",\"11\"", "\"2\",\"bob\",\"20.00\"",
                                          "\"3\",\"carol, \"\"c\"\"\",\"30\"", "\"4\",\"dave\",\"40\"",
                                          "\"5\",\"erin\",\"50\"", "\"6\",\"frank\",\"60\"",
                                          "\"7\",\"grace\",\"70\""}));

  // tables-async creates a table from an uploaded blob (and its export round-trips).
  auto fresh = prepare(master, "fresh.csv");
  REQUIRE(put_blob(fresh.credentials, fresh.container, fresh.blob, "k,v\nx,\"1,2\"\ny,3\n").status == 201);
  auto created = master.run_job("/v2/storage/buckets/in.c-sales/tables-async",
                                {{"name", "fresh"}, {"dataFileId", fresh.id}, {"primaryKey", "k"}});
  INFO(created.dump());
  REQUIRE(created["status"] == "success");
  CHECK(created["results"]["id"] == "in.c-sales.fresh");
  CHECK(download_azure_file(master, export_file(master, "in.c-sales.fresh", true)) == "\"x\",\"1,2\"\n\"y\",\"3\"\n");

  // A full load of an exported sliced file: export files are valid import files.
  auto again = master.run_job("/v2/storage/tables/in.c-sales.fresh/import-async",
                              {{"dataFileId", export_file(master, "in.c-sales.fresh", false)}, {"columns", {"k", "v"}}});
  REQUIRE(again["status"] == "success");
  CHECK(again["results"]["totalRowsCount"] == 2);
}

TEST_CASE("azure region: manifest and upload errors have the Storage API's codes") {
  TempDir data;
  AzureEmulator env(azure_seed(), {"--data", data.path().string()});
  auto master = env.client();
  auto import_sliced = [&](std::int64_t id) {
    return master.run_job("/v2/storage/tables/in.c-sales.orders/import-async",
                          {{"dataFileId", id}, {"incremental", true}, {"columns", {"id", "customer", "amount"}}});
  };
  auto error_code = [](const json& job) { return job["status"] == "error" ? job["error"]["code"].get<std::string>() : job.dump(); };

  // No manifest.
  auto no_manifest = prepare(master, "nomanifest.csv", true);
  REQUIRE(put_blob(no_manifest.credentials, no_manifest.container, no_manifest.blob + "a.csv", "8,x,1\n").status == 201);
  CHECK(error_code(import_sliced(no_manifest.id)) == "storage.manifestFileMissing");

  // A listed slice that was never uploaded.
  auto missing = prepare(master, "missing.csv", true);
  REQUIRE(put_blob(missing.credentials, missing.container, missing.blob + "a.csv", "8,x,1\n").status == 201);
  REQUIRE(put_blob(missing.credentials, missing.container, missing.blob + "manifest",
                   json{{"entries", {{{"url", entry_url(missing, "a.csv")}}, {{"url", entry_url(missing, "gone.csv")}}}}}.dump())
              .status == 201);
  CHECK(error_code(import_sliced(missing.id)) == "storage.importFileMissing");

  // Entries outside the file: another file's container, another prefix, another provider's scheme.
  auto other = prepare(master, "other.csv", true);
  REQUIRE(put_blob(other.credentials, other.container, other.blob + "a.csv", "9,y,2\n").status == 201);
  auto thief = prepare(master, "thief.csv", true);
  for (const auto& url : {entry_url(other, "a.csv"),
                          std::string("azure://devstoreaccount1.blob.core.windows.net/") + thief.container + "/elsewhere/a.csv",
                          std::string("azure://otheraccount.blob.core.windows.net/") + thief.container + "/" + thief.blob + "a.csv",
                          std::string("s3://kbc-sapi-files/") + thief.blob + "a.csv"}) {
    INFO(url);
    REQUIRE(put_blob(thief.credentials, thief.container, thief.blob + "manifest", json{{"entries", {{{"url", url}}}}}.dump())
                .status == 201);
    auto job = import_sliced(thief.id);
    CHECK(error_code(job) == "storage.unauthorizedAccess");
  }
  // The https:// form of an entry (which the PHP client also parses) is accepted.
  REQUIRE(put_blob(thief.credentials, thief.container, thief.blob + "a.csv", "10,z,3\n").status == 201);
  auto https = "https://devstoreaccount1.blob.core.windows.net/" + thief.container + "/" + thief.blob + "a.csv";
  REQUIRE(put_blob(thief.credentials, thief.container, thief.blob + "manifest", json{{"entries", {{{"url", https}}}}}.dump())
              .status == 201);
  CHECK(import_sliced(thief.id)["status"] == "success");

  // A file prepared but never uploaded; a blob that is not CSV.
  auto never = prepare(master, "never.csv");
  CHECK(error_code(master.run_job("/v2/storage/tables/in.c-sales.orders/import-async", {{"dataFileId", never.id}})) ==
        "storage.fileNotUploaded");
  auto broken = prepare(master, "broken.csv");
  REQUIRE(put_blob(broken.credentials, broken.container, broken.blob, "id,customer,amount\n\"unterminated,1,2\n").status == 201);
  CHECK(error_code(master.run_job("/v2/storage/tables/in.c-sales.orders/import-async", {{"dataFileId", broken.id}})) ==
        "invalidCsv");
  // Nothing of the failed imports arrived, and their downloads left nothing behind.
  CHECK(master.get("/v2/storage/tables/in.c-sales.orders").json()["rowsCount"] == 4);
  CHECK(std::filesystem::is_empty(data.path() / "staging"));
}
