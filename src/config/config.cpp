// load_config / parse_config: the whole file is read and every problem collected before any
// result is returned, so a user fixes a config in one pass.
#include "kbc_storage_extract/config.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "config/endpoint.hpp"
#include "config/json_document.hpp"
#include "config/tables.hpp"

namespace kbc {

ConfigLoad parse_config(std::string_view json_text, const std::filesystem::path& file_for_messages) {
  using namespace config;
  Issues issues;
  ConfigLoad load;
  const auto document = parse_document(json_text, issues);
  if (document && !document->is_object())
    issues.error("", "expected a JSON object with \"source\", \"destination\" and \"tables\" at the top level, got " +
                         describe_type(*document));
  if (!issues.errors.empty() || !document) {
    load.issues = std::move(issues.errors);
    return load;
  }

  ObjectReader root(*document, "", issues);
  root.reject_unknown_keys({"source", "destination", "defaults", "tables"});
  Config config;
  config.file = file_for_messages;
  const auto config_dir = file_for_messages.parent_path();

  std::optional<Endpoint> source, destination;
  if (root.require("source", "where to copy from: {\"region\": ..., \"token\": ...}"))
    source = read_endpoint(*root.find("source"), {"source", kSourceTokenEnv, false}, config_dir, issues,
                           config.destination_bucket);
  if (root.require("destination", "where to copy to: {\"region\": ..., \"token\": ..., \"bucket\": ...}"))
    destination = read_endpoint(*root.find("destination"), {"destination", kDestinationTokenEnv, true}, config_dir,
                                issues, config.destination_bucket);
  const TableSettings defaults = read_defaults(root.find("defaults"), issues);
  if (root.require("tables", "the tables to copy, in order: [{\"name\": \"orders\"}, ...]"))
    config.tables = read_tables(*root.find("tables"), defaults, issues);

  load.warnings = std::move(issues.warnings);
  if (!issues.errors.empty()) {
    load.issues = std::move(issues.errors);
    return load;
  }
  config.source = std::move(*source);
  config.destination = std::move(*destination);
  load.config = std::move(config);
  return load;
}

ConfigLoad load_config(const std::filesystem::path& file) {
  std::error_code status_error;
  if (std::filesystem::is_directory(file, status_error)) {
    ConfigLoad load;
    load.issues.push_back({"", "is a directory; expected a JSON configuration file"});
    return load;
  }
  // A data file passed by mistake must not be read into memory whole.
  constexpr std::uintmax_t kMaxConfigBytes = 16 * 1024 * 1024;
  if (const auto size = std::filesystem::file_size(file, status_error); !status_error && size > kMaxConfigBytes) {
    ConfigLoad load;
    load.issues.push_back({"", "is " + std::to_string(size) + " bytes, too large for a configuration file (at most 16 MiB); "
                               "is this the right file?"});
    return load;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    ConfigLoad load;
    load.issues.push_back({"", std::string("cannot read the file: ") + std::strerror(errno) + "; check the path"});
    return load;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), file);
}

const TableConfig* find_table(const Config& config, std::string_view name) {
  for (const auto& table : config.tables)
    if (table.name == name) return &table;
  return nullptr;
}

}  // namespace kbc
