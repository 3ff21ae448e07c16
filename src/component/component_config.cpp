// config.json -> Config: "parameters" translated into our configuration document (secret keys
// "#token" become "token", the destination filled from the job's environment, ex-storage's flat
// keys mapped to one table), then checked by the one config parser, so a component config gets
// exactly the checks and messages of a config file.
#include "kbc_storage_extract/component/component.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace kbc::component {

using nlohmann::json;

namespace {

constexpr const char* kParameters = "/parameters";
// Stands for "the source token's bucket" until the token is verified (Job::
// destination_bucket_from_token says so; the id itself is never used).
constexpr const char* kBucketFromToken = "in.c-source-token-bucket";

struct Translation {
  json document;
  std::vector<ConfigIssue> issues;
  bool bucket_from_token = false;
  std::set<std::string> source_primary_key_tables;
};

// "#token" (the platform's encrypted form) -> "token"; both at once is an error.
void take_secret_token(json& side, const std::string& path, Translation& out) {
  if (!side.is_object() || !side.contains("#token")) return;
  if (side.contains("token")) {
    out.issues.push_back({path + "/token", "give the token once: \"#token\" (encrypted by the platform) or \"token\", not both"});
    return;
  }
  side["token"] = side["#token"];
  side.erase("#token");
}

// keboola/ex-storage's parameters: {"#token", "url", "tableName", "changedSince", "incremental",
// "primaryKey", "fullSync", "extractMetadata"}: one table of the token's bucket.
bool is_ex_storage_form(const json& parameters) {
  return parameters.contains("tableName") || (parameters.contains("url") && !parameters.contains("source"));
}

void translate_ex_storage(const json& parameters, Translation& out, std::vector<ConfigIssue>& warnings) {
  json source = json::object();
  if (parameters.contains("url")) source["url"] = parameters["url"];
  if (parameters.contains("#token")) source["token"] = parameters["#token"];
  json table = json::object();
  if (parameters.contains("tableName")) table["name"] = parameters["tableName"];
  else out.issues.push_back({std::string(kParameters) + "/tableName", "missing required key \"tableName\" (the source table's name in the token's bucket)"});
  if (parameters.contains("changedSince") && !(parameters["changedSince"].is_string() && parameters["changedSince"].get<std::string>().empty()))
    table["changedSince"] = parameters["changedSince"];
  if (parameters.contains("incremental")) table["incremental"] = parameters["incremental"];
  if (parameters.contains("primaryKey")) table["primaryKey"] = parameters["primaryKey"];
  if (parameters.contains("fullSync") && parameters["fullSync"] == true) {
    // ex-storage: the source's primary key and a full load; primaryKey and incremental ignored.
    table["incremental"] = false;
    table.erase("primaryKey");
    if (table.contains("name") && table["name"].is_string()) out.source_primary_key_tables.insert(table["name"].get<std::string>());
  }
  if (parameters.contains("extractMetadata") && parameters["extractMetadata"] == true)
    warnings.push_back({std::string(kParameters) + "/extractMetadata", "extractMetadata is not supported: table and column metadata are not copied"});
  for (const auto& [key, value] : parameters.items()) {
    static const std::set<std::string> known = {"#token", "url", "tableName", "changedSince", "incremental",
                                                "primaryKey", "fullSync", "extractMetadata"};
    if (!known.count(key) && key.rfind("//", 0) != 0)
      out.issues.push_back({std::string(kParameters) + "/" + key,
                            "unknown key \"" + key + "\" in the ex-storage form of parameters (#token, url, tableName, "
                            "changedSince, incremental, primaryKey, fullSync, extractMetadata); or give our form: "
                            "source, destination, defaults, tables (docs/component.md)"});
  }
  out.document = {{"source", source}, {"tables", json::array({table})}};
}

Translation translate(const json& root, const Environment& environment, std::vector<ConfigIssue>& warnings) {
  Translation out;
  if (!root.is_object()) {
    out.issues.push_back({"", "config.json must be a JSON object with \"parameters\""});
    return out;
  }
  if (root.contains("action") && root["action"] != "run") {
    out.issues.push_back({"/action", "unknown action " + root["action"].dump() + "; only \"run\" is supported"});
  }
  if (!root.contains("parameters") || !root["parameters"].is_object()) {
    out.issues.push_back({kParameters, "missing \"parameters\" object (the configuration: source, destination, "
                                       "defaults, tables; see docs/component.md)"});
    return out;
  }
  const json& parameters = root["parameters"];
  if (is_ex_storage_form(parameters)) {
    translate_ex_storage(parameters, out, warnings);
  } else {
    out.document = parameters;
    if (out.document.contains("source")) take_secret_token(out.document["source"], std::string(kParameters) + "/source", out);
    if (out.document.contains("destination")) take_secret_token(out.document["destination"], std::string(kParameters) + "/destination", out);
  }
  if (!out.document.contains("destination")) out.document["destination"] = json::object();
  json& destination = out.document["destination"];
  if (!destination.is_object()) return out;  // the parser names the wrong type
  if (environment.kbc_token) {
    // Storage to storage into the job's own project, unless the parameters say otherwise.
    if (!destination.contains("url") && !destination.contains("region")) {
      if (environment.kbc_url) destination["url"] = *environment.kbc_url;
      else out.issues.push_back({"", "KBC_TOKEN is set but KBC_URL is not: the job's project cannot be reached"});
    }
    if (!destination.contains("token")) destination["token"] = {{"env", kJobTokenEnv}};
    if (!destination.contains("bucket"))
      out.issues.push_back({std::string(kParameters) + "/destination/bucket",
                            "missing required key \"bucket\" (the bucket of this project to copy into, e.g. "
                            "\"in.c-from-eu\"): with KBC_TOKEN forwarded the tables are copied storage to storage"});
  } else {
    // Nothing is sent to the destination: the platform imports out/tables. The parser still
    // wants a URL; the manifests need only the bucket.
    if (!destination.contains("url") && !destination.contains("region"))
      destination["url"] = environment.kbc_url.value_or("https://connection.keboola.com");
    if (!destination.contains("bucket")) {
      destination["bucket"] = kBucketFromToken;
      out.bucket_from_token = true;
    }
  }
  return out;
}

// The parser's paths are relative to "parameters"; point them into config.json.
std::vector<ConfigIssue> rooted(std::vector<ConfigIssue> issues) {
  for (auto& issue : issues) issue.json_path = std::string(kParameters) + issue.json_path;
  return issues;
}

}  // namespace

const char* to_string(Output output) { return output == Output::storage ? "storage" : "out/tables"; }

Environment Environment::from_process() {
  Environment environment;
  if (const char* dir = std::getenv("KBC_DATADIR")) environment.data_dir = dir;
  if (const char* url = std::getenv("KBC_URL"); url && *url) environment.kbc_url = url;
  if (const char* token = std::getenv(kJobTokenEnv); token && *token) environment.kbc_token = true;
  return environment;
}

JobLoad parse_job(std::string_view config_json, const Environment& environment) {
  JobLoad load;
  const auto file = environment.data_dir / "config.json";
  const json root = json::parse(config_json, nullptr, false);
  if (root.is_discarded()) {
    load.issues.push_back({"", "is not valid JSON"});
    return load;
  }
  Translation translation = translate(root, environment, load.warnings);
  load.issues = std::move(translation.issues);
  if (translation.document.is_null()) return load;
  ConfigLoad parsed = parse_config(translation.document.dump(), file);
  for (auto& issue : rooted(std::move(parsed.issues))) load.issues.push_back(std::move(issue));
  for (auto& warning : rooted(std::move(parsed.warnings))) {
    // "#token" is how the platform keeps a secret: a token in config.json is expected here.
    if (warning.json_path.size() >= 6 && warning.json_path.compare(warning.json_path.size() - 6, 6, "/token") == 0) continue;
    load.warnings.push_back(std::move(warning));
  }
  if (!load.issues.empty() || !parsed.config) return load;
  Job job;
  job.config = std::move(*parsed.config);
  job.output = environment.kbc_token ? Output::storage : Output::out_tables;
  job.data_dir = environment.data_dir;
  job.destination_bucket_from_token = translation.bucket_from_token;
  job.source_primary_key_tables = std::move(translation.source_primary_key_tables);
  load.job = std::move(job);
  return load;
}

JobLoad load_job(const Environment& environment) {
  if (environment.data_dir.empty()) return {std::nullopt, {{"", "KBC_DATADIR is not set: component mode reads $KBC_DATADIR/config.json"}}, {}};
  const auto file = environment.data_dir / "config.json";
  std::ifstream in(file);
  if (!in) return {std::nullopt, {{"", "cannot be read (the job's data folder must hold config.json)"}}, {}};
  std::stringstream text;
  text << in.rdbuf();
  return parse_job(text.str(), environment);
}

int component_exit_code(ExitCode code) {
  switch (code) {
    case ExitCode::success: return 0;
    case ExitCode::usage_error:
    case ExitCode::auth_error:
    case ExitCode::partial_failure: return 1;
    default: return 2;
  }
}

}  // namespace kbc::component
