#include "cli/config_loading.hpp"

#include <iostream>

#include <spdlog/spdlog.h>

#include "kbc_storage_extract/redact.hpp"

namespace kbc::cli {

namespace {
std::string issue_line(const std::filesystem::path& file, const ConfigIssue& issue) {
  std::string line = file.string() + ": ";
  if (!issue.json_path.empty()) line += issue.json_path + ": ";
  return line + issue.message;
}
}  // namespace

void print_error(const std::string& message) { spdlog::error("{}", message); }

namespace {
// A token that could not be read: the problem printed, exit code 2.
bool token_resolved(const Config& config, const Status& status, ExitCode& exit_code) {
  if (status) return true;
  print_error(config.file.string() + ": " + status.error().describe());
  exit_code = ExitCode::usage_error;
  return false;
}
}  // namespace

std::optional<Config> load_valid_config(const std::filesystem::path& file, ExitCode& exit_code) {
  ConfigLoad load = load_config(file);
  for (const auto& warning : load.warnings) spdlog::warn("{}", issue_line(file, warning));
  if (load.issues.empty() && load.config) {
    spdlog::debug("{}: {} table(s), source {}, destination {} bucket {}", file.string(), load.config->tables.size(),
                  load.config->source.url, load.config->destination.url, load.config->destination_bucket);
    return std::move(load.config);
  }
  // One line per problem, like a compiler, so that editors and grep can use them.
  for (const auto& issue : load.issues) spdlog::error("{}", issue_line(file, issue));
  const auto count = load.issues.size();
  spdlog::error("{}: {} problem{} found; nothing was contacted", file.string(), count, count == 1 ? "" : "s");
  exit_code = ExitCode::usage_error;
  return std::nullopt;
}

bool resolve_config_tokens(Config& config, ExitCode& exit_code) {
  // Both read before giving up, so that every token problem is told at once.
  const bool source = token_resolved(config, resolve_token_of(config.source), exit_code);
  const bool destination = token_resolved(config, resolve_token_of(config.destination), exit_code);
  if (!source || !destination) return false;
  spdlog::debug("source token {}, destination token {}", config.source.resolved_token,
                config.destination.resolved_token);
  return true;
}

bool resolve_source_token(Config& config, ExitCode& exit_code) {
  if (!token_resolved(config, resolve_token_of(config.source), exit_code)) return false;
  spdlog::debug("source token {}", config.source.resolved_token);
  return true;
}

}  // namespace kbc::cli
