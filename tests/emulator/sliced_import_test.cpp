// Importing sliced files: the manifest decides, and its faults get the real API's codes.
#include <catch2/catch.hpp>

#include "emulator_test_support.hpp"

using namespace kbc::test;
using nlohmann::json;

namespace {

struct PreparedSlices {
  std::int64_t id;
  std::string region, bucket, prefix;
  S3Credentials credentials;
};

PreparedSlices prepare_sliced(const StorageTestClient& client) {
  auto file = client.post_json("/v2/storage/files/prepare", {{"name", "s.csv"}, {"isSliced", true}, {"federationToken", true}}).json();
  const auto& params = file.at("uploadParams");
  return {file.at("id").get<std::int64_t>(), file.at("region").get<std::string>(), params.at("bucket").get<std::string>(),
          params.at("key").get<std::string>(), S3Credentials::from_json(params.at("credentials"))};
}

json import_sliced(const StorageTestClient& client, std::int64_t file_id) {
  return client.run_job("/v2/storage/tables/in.c-sales.orders/import-async",
                        {{"dataFileId", file_id}, {"incremental", true}, {"columns", {"id", "customer", "amount"}}});
}

}  // namespace

TEST_CASE("sliced imports fail with manifestFileMissing importFileMissing or unauthorizedAccess and change nothing") {
  TempDir dir;
  EmulatorProcess emulator({write_seed(dir, two_region_seed()), {"--job-delay-ms", "1"}});
  StorageTestClient master(emulator.url("eu-central-1"), kMasterEu, emulator.s3_url());
  const auto s3 = emulator.s3_url();

  auto no_manifest = prepare_sliced(master);
  REQUIRE(s3_put(s3, no_manifest.region, no_manifest.credentials, no_manifest.bucket, no_manifest.prefix + "a.csv", "7,x,1\n").status == 200);
  CHECK(import_sliced(master, no_manifest.id).at("error").at("code") == "storage.manifestFileMissing");

  auto missing_slice = prepare_sliced(master);
  auto entry = [&](const PreparedSlices& f, const std::string& name) { return json{{"url", "s3://" + f.bucket + "/" + f.prefix + name}}; };
  REQUIRE(s3_put(s3, missing_slice.region, missing_slice.credentials, missing_slice.bucket, missing_slice.prefix + "a.csv", "7,x,1\n").status == 200);
  REQUIRE(s3_put(s3, missing_slice.region, missing_slice.credentials, missing_slice.bucket, missing_slice.prefix + "manifest",
                 json{{"entries", {entry(missing_slice, "a.csv"), entry(missing_slice, "b.csv")}}}.dump()).status == 200);
  CHECK(import_sliced(master, missing_slice.id).at("error").at("code") == "storage.importFileMissing");

  auto foreign = prepare_sliced(master);
  REQUIRE(s3_put(s3, foreign.region, foreign.credentials, foreign.bucket, foreign.prefix + "manifest",
                 json{{"entries", {entry(missing_slice, "a.csv")}}}.dump()).status == 200);
  CHECK(import_sliced(master, foreign.id).at("error").at("code") == "storage.unauthorizedAccess");
  CHECK(master.get("/v2/storage/tables/in.c-sales.orders").json().at("rowsCount") == 3);

  auto good = prepare_sliced(master);
  REQUIRE(s3_put(s3, good.region, good.credentials, good.bucket, good.prefix + "a.csv.gz", gzip_compress("7,x,1\n")).status == 200);
  REQUIRE(s3_put(s3, good.region, good.credentials, good.bucket, good.prefix + "b.csv", "8,y,2").status == 200);
  REQUIRE(s3_put(s3, good.region, good.credentials, good.bucket, good.prefix + "manifest",
                 json{{"entries", {entry(good, "a.csv.gz"), entry(good, "b.csv")}}}.dump()).status == 200);
  CHECK(import_sliced(master, good.id).at("status") == "success");
  CHECK(master.export_table("in.c-sales.orders", {{"whereFilters", {{{"column", "id"}, {"operator", "ge"}, {"values", {"7"}}}}}}) ==
        "\"7\",\"x\",\"1\"\n\"8\",\"y\",\"2\"\n");
}
