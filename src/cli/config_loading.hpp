#pragma once
// The common first step of every command that takes a CONFIG: load, report, resolve tokens.
#include <filesystem>
#include <optional>

#include "kbc_storage_extract/config.hpp"
#include "kbc_storage_extract/exit_codes.hpp"

namespace kbc::cli {

// Print an error for the user (through the logger, so it is masked and follows --log-format).
void print_error(const std::string& message);

// Load `file`; print every issue ("<file>: <json path>: <message>") and every warning. On any
// issue, nullopt and `exit_code` = usage_error.
std::optional<Config> load_valid_config(const std::filesystem::path& file, ExitCode& exit_code);

// Resolve both tokens into the config (registering them with the redactor); on failure print the
// problem, set `exit_code` = usage_error and return false.
bool resolve_config_tokens(Config& config, ExitCode& exit_code);
// The same for the source token alone.
bool resolve_source_token(Config& config, ExitCode& exit_code);

}  // namespace kbc::cli
