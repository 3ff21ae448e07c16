#pragma once
// The e2e tests' world: an emulator with two projects in two regions (tests/data/e2e/
// two-projects.json), configs written to a temp dir, the real kbc-storage-extract binary run
// against them, and the destination read back row by row through the Storage API.
#include <algorithm>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "emulator_process.hpp"
#include "process.hpp"
#include "storage_test_client.hpp"

namespace kbc::e2e {

// Tokens of the seed (fixed strings, documented in the seed file itself).
inline const std::string source_reader = "101-2-readerreaderreaderreaderreader02";
inline const std::string source_master = "101-1-mastermastermastermastermaster01";
inline const std::string destination_writer = "202-22-writerwriterwriterwriterwriter02";
inline const std::string destination_master = "202-21-mastermastermastermastermaster01";

using Row = std::vector<std::string>;
using Rows = std::vector<Row>;

// RFC 4180 CSV (quotes doubled, quoted newlines) into rows.
inline Rows parse_csv(const std::string& text) {
  Rows rows;
  Row row;
  std::string field;
  bool quoted = false, any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      quoted = any = true;
    } else if (c == ',') {
      row.push_back(std::move(field)), field.clear(), any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (any || !field.empty()) row.push_back(std::move(field)), rows.push_back(std::move(row));
      row.clear(), field.clear(), any = false;
    } else {
      field += c, any = true;
    }
  }
  if (any || !field.empty()) row.push_back(std::move(field)), rows.push_back(std::move(row));
  return rows;
}

inline Rows sorted(Rows rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

struct RunWorld {
  explicit RunWorld(std::vector<std::string> emulator_args = {"--faults"},
                    const std::string& seed = "tests/data/e2e/two-projects.json")
      : emulator({std::filesystem::path(KBC_SOURCE_DIR) / seed, std::move(emulator_args)}),
        source_url(emulator.url("eu-central-1")),
        destination_url(emulator.url("us-east-1")),
        source(source_url, source_master, emulator.s3_url()),
        destination(destination_url, destination_master, emulator.s3_url()) {
    env = {{"KBC_SOURCE_TOKEN", source_reader},
           {"KBC_DESTINATION_TOKEN", destination_writer},
           {"AWS_ENDPOINT_URL_S3", emulator.s3_url()},
           {"AWS_ENDPOINT_URL", test::kUnsetEnv}};
  }

  // A config file from the tables array (and optional overrides of the top level).
  std::filesystem::path config(const nlohmann::json& tables, const std::string& bucket = "in.c-from-eu",
                               const std::string& name = "config.json") const {
    nlohmann::json document = {{"source", {{"url", source_url}}},
                               {"destination", {{"url", destination_url}, {"bucket", bucket}}},
                               {"tables", tables}};
    const auto file = dir.path() / name;
    std::ofstream(file) << document.dump(2);
    return file;
  }

  test::ProcessResult run(std::vector<std::string> args, std::chrono::seconds timeout = std::chrono::seconds(120)) const {
    args.insert(args.begin(), KBC_EXTRACT_BIN);
    auto result = test::run_process(args, env, timeout);
    UNSCOPED_INFO("exit " << result.exit_code << "\nstdout:\n" << result.out << "\nstderr:\n" << result.err);
    return result;
  }

  // The rows of a destination (or source) table, sorted, in the table's column order.
  Rows rows_of(const test::StorageTestClient& client, const std::string& table_id) const {
    return sorted(parse_csv(client.export_table(table_id)));
  }
  Rows destination_rows(const std::string& table_id) const { return rows_of(destination, table_id); }

  nlohmann::json destination_table(const std::string& table_id) const {
    return destination.get("/v2/storage/tables/" + table_id).json();
  }
  bool destination_has(const std::string& table_id) const {
    return destination.get("/v2/storage/tables/" + table_id).status == 200;
  }

  // Load `csv` (with a header) into a source table: incremental or full.
  void load_source(const std::string& table_id, const std::string& csv, bool incremental) const {
    const auto file = source.upload_file("load.csv", csv);
    const auto job = source.run_job("/v2/storage/tables/" + table_id + "/import-async",
                                    {{"dataFileId", file}, {"incremental", incremental}});
    REQUIRE(job["status"] == "success");
  }

  // Move the emulator's clock (rows imported from now on carry the shifted _timestamp).
  void advance_clock(std::int64_t seconds) const {
    const auto answer = test::http_request("POST", source_url + "/_emulator/clock",
                                           nlohmann::json{{"advanceSeconds", seconds}}.dump(),
                                           {"Content-Type: application/json"});
    REQUIRE(answer.status == 200);
  }

  void add_fault(const nlohmann::json& fault) const {
    const auto answer = test::http_request("POST", destination_url + "/_emulator/faults", fault.dump(),
                                           {"Content-Type: application/json"});
    REQUIRE(answer.status == 201);
  }
  int faults_fired() const {
    return test::http_request("GET", destination_url + "/_emulator/faults").json()["fired"].get<int>();
  }

  test::TempDir dir;
  test::EmulatorProcess emulator;
  std::string source_url;
  std::string destination_url;
  test::StorageTestClient source;       // master token of the source project
  test::StorageTestClient destination;  // master token of the destination project
  std::map<std::string, std::string> env;
};

inline const Rows seed_orders = {{"1", "10", "100.50", "new"}, {"2", "11", "20.00", "paid"}, {"3", "10", "7.25", "new, \"rush\""}};
inline const Rows seed_customers = {{"10", "Alice", "CZ"}, {"11", "Bob", "DE"}};
inline const Rows seed_order_items = {{"1", "A-1", "2"}, {"1", "B-7", "1"}, {"2", "A-1", "5"}, {"3", "C-3", "1"}};

}  // namespace kbc::e2e
