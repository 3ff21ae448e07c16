// Every pair of file storage providers (AWS S3, GCS, Azure Blob in azurite), in one emulator run: the real binary copies the same
// tables (one sliced, one not; gzipped exports) from the project on each provider into the
// project on each provider, and the destination is compared row by row with the source.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "azurite_process.hpp"
#include "emulator_process.hpp"
#include "process.hpp"
#include "storage_test_client.hpp"

using nlohmann::json;
using namespace kbc::test;

namespace {

struct Stack {
  std::string provider;
  std::string region;
  std::string master;
  std::string reader;
};

const std::vector<Stack> k_stacks = {
    {"aws", "eu-central-1", "1-11-awsmasterawsmasterawsmasterawsmaster", "1-12-awsreaderawsreaderawsreaderawsreader"},
    {"gcp", "europe-west3", "2-21-gcpmastergcpmastergcpmastergcpmaster", "2-22-gcpreadergcpreadergcpreadergcpreader"},
    {"azure", "north-europe", "3-31-azuremasterazuremasterazuremasterazu", "3-32-azurereaderazurereaderazurereaderazu"},
};

// The CSV lines of an export, sorted: rows may come in any order, and a quoted newline stays
// inside its row because the seed's values never start a line with a quote.
std::vector<std::string> sorted_rows(const std::string& csv) {
  std::vector<std::string> rows;
  std::string row;
  bool quoted = false;
  for (char c : csv) {
    if (c == '"') quoted = !quoted;
    if (c == '\n' && !quoted) {
      rows.push_back(row);
      row.clear();
    } else {
      row += c;
    }
  }
  if (!row.empty()) rows.push_back(row);
  std::sort(rows.begin(), rows.end());
  return rows;
}

}  // namespace

TEST_CASE("providers: the same tables copy between every pair of providers, sliced and not, row by row") {
  TempDir dir;
  AzuriteProcess azurite;  // the azure region's blob service
  EmulatorProcess emulator({std::filesystem::path(KBC_SOURCE_DIR) / "tests/data/providers/stacks.json",
                            {"--slice-size", "65536", "--azure-blob-endpoint", azurite.blob_endpoint()}});
  std::map<std::string, std::vector<std::string>> source_small, source_big;
  for (const auto& stack : k_stacks) {
    StorageTestClient master(emulator.url(stack.region), stack.master, emulator.s3_url(), emulator.gcs_url());
    source_small[stack.provider] = sorted_rows(master.export_table("in.c-src.small", {{"gzip", true}}));
    source_big[stack.provider] = sorted_rows(master.export_table("in.c-src.big", {{"gzip", true}}));
    // The premise: "big" comes sliced, "small" in one file.
    const auto sliced = master.run_job("/v2/storage/tables/in.c-src.big/export-async", {{"gzip", true}});
    const auto file = master.get("/v2/storage/files/" + std::to_string(sliced.at("results").at("file").at("id").get<std::int64_t>())).json();
    REQUIRE(file.at("isSliced") == true);
    REQUIRE(file.at("provider") == stack.provider);
    REQUIRE(source_small[stack.provider].size() == 4);
    REQUIRE(source_big[stack.provider].size() == 4000);
  }

  for (const auto& from : k_stacks) {
    for (const auto& to : k_stacks) {
      INFO("copy from " << from.provider << " to " << to.provider);
      const std::string bucket = "in.c-from-" + from.provider;
      const json config = {
          {"source", {{"url", emulator.url(from.region)}}},
          {"destination", {{"url", emulator.url(to.region)}, {"bucket", bucket}}},
          {"tables", json::array({{{"name", "small"}, {"incremental", true}, {"primaryKey", {"id"}}}, {{"name", "big"}}})}};
      const auto file = dir.path() / (from.provider + "-to-" + to.provider + ".json");
      std::ofstream(file) << config.dump(2);
      const auto result = run_process({KBC_EXTRACT_BIN, "run", file.string(), "--parallel", "3"},
                                      {{"KBC_SOURCE_TOKEN", from.reader},
                                       {"KBC_DESTINATION_TOKEN", to.master},
                                       {"AWS_ENDPOINT_URL_S3", emulator.s3_url()},
                                       {"AWS_ENDPOINT_URL", kUnsetEnv},
                                       {"STORAGE_EMULATOR_HOST", emulator.gcs_url()}},
                                      std::chrono::seconds(120));
      INFO("stdout:\n" << result.out << "\nstderr:\n" << result.err);
      REQUIRE(result.exit_code == 0);
      StorageTestClient destination(emulator.url(to.region), to.master, emulator.s3_url(), emulator.gcs_url());
      CHECK(sorted_rows(destination.export_table(bucket + ".small", {{"gzip", true}})) == source_small[from.provider]);
      CHECK(sorted_rows(destination.export_table(bucket + ".big", {{"gzip", true}})) == source_big[from.provider]);
      CHECK(destination.get("/v2/storage/tables/" + bucket + ".small").json().at("primaryKey") == json::array({"id"}));
    }
  }
}
