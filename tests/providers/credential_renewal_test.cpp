// Temporary file storage credentials that stop working in the middle of a copy, on each
// provider and on each side: the store asks the Storage API for fresh ones (source: the file
// detail; destination: files/{id}/refresh) and goes on where it was, without starting over.
// The expiry is injected on the file storage itself (the emulator's S3 or GCS listener answers
// as the real service does for an expired credential, once).
#include <catch2/catch.hpp>

#include <fstream>

#include <nlohmann/json.hpp>

#include "azurite_process.hpp"
#include "emulator_process.hpp"
#include "process.hpp"
#include "storage_test_client.hpp"

using nlohmann::json;
using namespace kbc::test;

namespace {

struct Case {
  std::string name;
  std::string from_region, to_region;
  json fault;  // on the file storage, once
};

const std::string k_aws_reader = "1-12-awsreaderawsreaderawsreaderawsreader", k_aws_master = "1-11-awsmasterawsmasterawsmasterawsmaster";
const std::string k_gcp_reader = "2-22-gcpreadergcpreadergcpreadergcpreader", k_gcp_master = "2-21-gcpmastergcpmastergcpmastergcpmaster";
const std::string k_azure_reader = "3-32-azurereaderazurereaderazurereaderazu", k_azure_master = "3-31-azuremasterazuremasterazuremasterazu";

std::string reader_of(const std::string& region) {
  return region == "eu-central-1" ? k_aws_reader : region == "europe-west3" ? k_gcp_reader : k_azure_reader;
}
std::string master_of(const std::string& region) {
  return region == "eu-central-1" ? k_aws_master : region == "europe-west3" ? k_gcp_master : k_azure_master;
}

}  // namespace

TEST_CASE("providers: credentials refused as expired mid-copy are renewed and the copy goes on, each provider and side") {
  // S3 says ExpiredToken (HTTP 400); GCS says 401 for an expired OAuth token.
  const json s3_expired = {{"target", "s3"}, {"action", "status"}, {"status", 400}, {"errorCode", "ExpiredToken"},
                           {"message", "The provided token has expired."}, {"count", 1}};
  const json gcs_expired = {{"target", "gcs"}, {"action", "status"}, {"status", 401}, {"errorCode", "authError"},
                            {"message", "Invalid Credentials"}, {"count", 1}};
  auto with = [](json fault, const std::string& method, const std::string& path) {
    fault["method"] = method;
    fault["pathRegex"] = path;
    return fault;
  };
  const std::vector<Case> cases = {
      {"aws source (a slice read)", "eu-central-1", "europe-west3", with(s3_expired, "GET", "part")},
      {"aws destination (a slice upload)", "europe-west3", "eu-central-1", with(s3_expired, "PUT", "part")},
      {"gcp source (a slice read)", "europe-west3", "eu-central-1", with(gcs_expired, "GET", "part")},
      {"gcp destination (a slice upload)", "eu-central-1", "europe-west3", with(gcs_expired, "POST", "^/upload/")},
      // azurite cannot be told to refuse one request: the Storage API hands out a SAS that is
      // already out of time, which azurite refuses for real.
      {"azure source (its SAS from the file detail)", "north-europe", "eu-central-1",
       {{"action", "expire_credentials"}, {"method", "GET"}, {"pathRegex", "/v2/storage/files/[0-9]+"}, {"count", 1}}},
      {"azure destination (its SAS from files/prepare)", "eu-central-1", "north-europe",
       {{"action", "expire_credentials"}, {"method", "POST"}, {"pathRegex", "/v2/storage/files/prepare"}, {"count", 1}}},
  };

  TempDir dir;
  AzuriteProcess azurite;
  EmulatorProcess emulator({std::filesystem::path(KBC_SOURCE_DIR) / "tests/data/providers/stacks.json",
                            {"--slice-size", "65536", "--faults", "--azure-blob-endpoint", azurite.blob_endpoint()}});
  int copy = 0;
  for (const auto& c : cases) {
    INFO(c.name);
    const std::string bucket = "in.c-renewal-" + std::to_string(++copy);
    const json config = {{"source", {{"url", emulator.url(c.from_region)}}},
                         {"destination", {{"url", emulator.url(c.to_region)}, {"bucket", bucket}}},
                         {"tables", json::array({{{"name", "big"}}})}};
    const auto file = dir.path() / ("renewal-" + std::to_string(copy) + ".json");
    std::ofstream(file) << config.dump(2);
    const auto added = http_request("POST", emulator.url(c.from_region) + "/_emulator/faults", c.fault.dump(),
                                    {"Content-Type: application/json"});
    REQUIRE(added.status == 201);
    const auto result = run_process({KBC_EXTRACT_BIN, "run", file.string()},
                                    {{"KBC_SOURCE_TOKEN", reader_of(c.from_region)},
                                     {"KBC_DESTINATION_TOKEN", master_of(c.to_region)},
                                     {"AWS_ENDPOINT_URL_S3", emulator.s3_url()},
                                     {"AWS_ENDPOINT_URL", kUnsetEnv},
                                     {"STORAGE_EMULATOR_HOST", emulator.gcs_url()}},
                                    std::chrono::seconds(120));
    INFO("stdout:\n" << result.out << "\nstderr:\n" << result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(http_request("GET", emulator.url(c.from_region) + "/_emulator/faults").json()["fired"].get<int>() == copy);
    CHECK_THAT(result.err, Catch::Contains("file storage credentials renewed"));
    CHECK_THAT(result.err, !Catch::Contains("retrying the copy"));  // went on, not over
    StorageTestClient source(emulator.url(c.from_region), master_of(c.from_region), emulator.s3_url(), emulator.gcs_url());
    StorageTestClient destination(emulator.url(c.to_region), master_of(c.to_region), emulator.s3_url(), emulator.gcs_url());
    const auto rows = destination.get("/v2/storage/tables/" + bucket + ".big").json().at("rowsCount");
    CHECK(rows == 4000);
    CHECK(destination.export_table(bucket + ".big", {{"gzip", true}}).size() ==
          source.export_table("in.c-src.big", {{"gzip", true}}).size());
  }
}
