// run, validate, tables, check: the commands that take a CONFIG.
#include <algorithm>
#include <cstdlib>
#include <iostream>

#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include "cli/commands.hpp"
#include "cli/config_loading.hpp"
#include "kbc_storage_extract/commands.hpp"
#include "kbc_storage_extract/extract/plan.hpp"
#include "kbc_storage_extract/report/report.hpp"

namespace kbc::cli {

namespace {

std::string table_names(const Config& config) {
  std::string names;
  for (const auto& table : config.tables) names += (names.empty() ? "" : ", ") + table.name;
  return names;
}

std::string describe_endpoint(const Endpoint& endpoint) {
  return endpoint.region ? *endpoint.region + " (" + endpoint.url + ")" : endpoint.url;
}

// The same path, or two names of one existing file.
bool same_file(const std::filesystem::path& a, const std::filesystem::path& b) {
  std::error_code ec;
  return std::filesystem::weakly_canonical(a, ec) == std::filesystem::weakly_canonical(b, ec) ||
         std::filesystem::equivalent(a, b, ec);
}

}  // namespace

ExitCode run_command(const Invocation& invocation) {
  auto options = invocation.run;
  options.view = invocation.run_progress == "always"  ? progress::ViewMode::always
                 : invocation.run_progress == "never" ? progress::ViewMode::never
                                                      : progress::ViewMode::automatic;
  options.json_events = invocation.log_format == "json";
  options.quiet = invocation.quiet;
  if (!invocation.run_changed_since.empty()) {
    options.changed_since = ChangedSince::parse(invocation.run_changed_since);
    if (!options.changed_since) {
      print_error("--changed-since: \"" + invocation.run_changed_since +
                  "\" is neither a relative time (\"-2 days\", \"-3 hours\") nor an ISO 8601 timestamp (\"2026-11-20T10:00:00Z\", years 1900 to 2200)");
      return ExitCode::usage_error;
    }
  }
  if (!invocation.run_shard.empty()) {
    auto shard = extract::parse_shard(invocation.run_shard, [](const char* name) -> std::optional<std::string> {
      const char* value = std::getenv(name);
      return value ? std::optional<std::string>(value) : std::nullopt;
    });
    if (!shard) {
      print_error(shard.error().describe());
      return ExitCode::usage_error;
    }
    options.shard = *shard;
  }
  ExitCode exit_code = ExitCode::success;
  auto config = load_valid_config(invocation.config_file, exit_code);
  if (!config) return exit_code;
  for (const auto& name : invocation.run.tables) {
    if (!extract::select_tables(*config, {name})) {  // a configured name, or one a glob entry matches
      print_error("unknown table \"" + name + "\"; configured tables: " + table_names(*config));
      return ExitCode::usage_error;
    }
  }
  // Before any work: a report that cannot be written must not fail a run after its copies.
  if (options.report_file) {
    if (auto usable = report::check_report_target(*options.report_file, {invocation.config_file}); !usable) {
      print_error(usable.error().describe());
      return ExitCode::usage_error;
    }
  }
  if (options.state_file && (same_file(*options.state_file, invocation.config_file) ||
                             (options.report_file && same_file(*options.state_file, *options.report_file)))) {
    print_error("--state " + options.state_file->string() + ": is the configuration or the report file; give the run "
                "state a file of its own, e.g. --state config.state.json");
    return ExitCode::usage_error;
  }
  if (!resolve_config_tokens(*config, exit_code)) return exit_code;
  spdlog::trace("run options: tables [{}], shard {}, dry run {}, parallel {}", fmt::join(invocation.run.tables, ", "),
                options.shard ? options.shard->label() : "none", invocation.run.dry_run, invocation.run.parallel);
  return commands::run(*config, options);
}

ExitCode validate_command(const Invocation& invocation) {
  ExitCode exit_code = ExitCode::success;
  auto config = load_valid_config(invocation.config_file, exit_code);
  if (!config) return exit_code;
  if (!resolve_config_tokens(*config, exit_code)) return exit_code;
  const auto enabled = std::count_if(config->tables.begin(), config->tables.end(), [](const auto& t) { return t.enabled; });
  std::cout << invocation.config_file.string() << " is valid: " << config->tables.size() << " table"
            << (config->tables.size() == 1 ? "" : "s") << ", " << enabled << " enabled; from "
            << describe_endpoint(config->source) << " to " << describe_endpoint(config->destination) << " bucket "
            << config->destination_bucket << "\n";
  return ExitCode::success;
}

ExitCode check_command(const Invocation& invocation) {
  ExitCode exit_code = ExitCode::success;
  auto config = load_valid_config(invocation.config_file, exit_code);
  if (!config) return exit_code;
  for (const auto& name : invocation.check.tables) {
    if (find_table(*config, name) == nullptr) {
      print_error("unknown table \"" + name + "\"; configured tables: " + table_names(*config));
      return ExitCode::usage_error;
    }
  }
  if (!resolve_config_tokens(*config, exit_code)) return exit_code;
  return commands::check(*config, invocation.check);
}

ExitCode tables_command(const Invocation& invocation) {
  ExitCode exit_code = ExitCode::success;
  auto config = load_valid_config(invocation.config_file, exit_code);
  if (!config) return exit_code;
  if (!resolve_source_token(*config, exit_code)) return exit_code;  // the destination is not contacted
  return commands::tables(*config, invocation.tables);
}

}  // namespace kbc::cli
