#pragma once
// Keboola component mode: the tool as a job of Keboola's own job runner (docs/component.md).
// It reads $KBC_DATADIR/config.json, whose "parameters" hold our configuration keys (or the
// keys of keboola/ex-storage, mapped), secrets under "#"-prefixed keys as the platform
// encrypts them ("#token"). Two outputs:
//  - storage: the job forwards its own KBC_URL and KBC_TOKEN; the tables are copied storage to
//    storage into that project, exactly as `run` does;
//  - out_tables (the platform's default, no KBC_TOKEN): each table is written as a folder of
//    headerless gzip slices under $KBC_DATADIR/out/tables/<name>.csv/ with its manifest
//    <name>.csv.manifest, and the platform's output mapping imports it.
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kbc_storage_extract/config.hpp"
#include "kbc_storage_extract/exit_codes.hpp"

namespace kbc::component {

enum class Output { storage, out_tables };
const char* to_string(Output output);

// What the job runner hands the process.
struct Environment {
  std::filesystem::path data_dir;      // KBC_DATADIR
  std::optional<std::string> kbc_url;  // KBC_URL: the job's own project
  bool kbc_token = false;              // KBC_TOKEN is set (read later, as a token spec)
  static Environment from_process();   // the variables of this process
};

// The destination token's variable in storage output: the job's own token.
inline constexpr const char* kJobTokenEnv = "KBC_TOKEN";

struct Job {
  Config config;  // a complete configuration; config.file is $KBC_DATADIR/config.json
  Output output = Output::out_tables;
  std::filesystem::path data_dir;
  // out_tables without destination.bucket: the manifests name the source token's bucket.
  bool destination_bucket_from_token = false;
  // ex-storage's "fullSync": these tables take the source table's primary key, full load.
  std::set<std::string> source_primary_key_tables;
};

// Every problem of config.json at once (JSON paths from the file's root: "/parameters/..."),
// or the job. Warnings: keys of ex-storage that have no effect here.
struct JobLoad {
  std::optional<Job> job;
  std::vector<ConfigIssue> issues;
  std::vector<ConfigIssue> warnings;
};
JobLoad load_job(const Environment& environment);
// The same from config.json's text (fuzzing and unit tests).
JobLoad parse_job(std::string_view config_json, const Environment& environment);

// Our exit codes in the component convention: 0 success, 1 user error (bad configuration,
// token, some tables failed), 2 application error (runtime failure, interrupted).
int component_exit_code(ExitCode code);

}  // namespace kbc::component
