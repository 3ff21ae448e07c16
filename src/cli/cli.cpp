// kbc::cli::main: parse with CLI11, set up logging, dispatch. Every failure ends as one clear
// message and an exit code from exit_codes.hpp.
#include "kbc_storage_extract/cli.hpp"

#include <cstdlib>
#include <exception>
#include <iostream>

#include <spdlog/spdlog.h>

#include "cli/commands.hpp"
#include "cli/invocation.hpp"
#include "cli/usage_errors.hpp"
#include "kbc_storage_extract/redact.hpp"

namespace kbc::cli {

namespace {

logging::Options logging_options(const Invocation& invocation) {
  logging::Options options;
  options.format = invocation.log_format == "json" ? logging::Format::json : logging::Format::text;
  options.quiet = invocation.quiet;
  options.verbose = invocation.verbose;
  if (!invocation.log_level.empty()) {
    if (auto level = logging::parse_level(invocation.log_level)) options.level = *level;
  }
  return options;
}

ExitCode dispatch(const Invocation& invocation) {
  if (invocation.run_command->parsed()) return run_command(invocation);
  if (invocation.validate_command->parsed()) return validate_command(invocation);
  if (invocation.tables_command->parsed()) return tables_command(invocation);
  if (invocation.check_command->parsed()) return check_command(invocation);
  if (invocation.token_verify_command->parsed()) return token_verify_command(invocation);
  if (invocation.token_create_command->parsed()) return token_create_command(invocation);
  if (invocation.token_refresh_command->parsed()) return token_refresh_command(invocation);
  if (invocation.init_command->parsed()) return init_command(invocation);
  return ExitCode::usage_error;  // unreachable: CLI11 requires a subcommand
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"kbc-storage-extract", "kbc-storage-extract"};
  Invocation invocation;
  define_cli(app, invocation);
  // Keboola's job runner starts a component without arguments, with KBC_DATADIR set.
  const char* data_dir = std::getenv("KBC_DATADIR");
  const bool component_by_environment = argc == 1 && data_dir != nullptr && *data_dir != '\0';
  try {
    if (!component_by_environment) app.parse(argc, argv);
  } catch (const CLI::Success& done) {  // --help, --version
    return app.exit(done);
  } catch (const CLI::ParseError& error) {
    // Flags may hold secrets (a token pasted where a name belongs), so the message is masked.
    const auto explained = explain_usage_error(app, error, argc, argv);
    std::cerr << "kbc-storage-extract: " << kbc::redact(explained ? *explained : std::string(error.what()))
              << "\nRun 'kbc-storage-extract --help' (or '<command> --help') for usage.\n";
    return to_int(ExitCode::usage_error);
  }

  const auto log_options = logging_options(invocation);
  logging::setup_logging(log_options);
  spdlog::trace("kbc-storage-extract {}, log level {}", KBC_VERSION,
                spdlog::level::to_string_view(logging::effective_level(log_options)));
  try {
    if (component_by_environment || invocation.component_command->parsed()) return component_command(invocation);
    return to_int(dispatch(invocation));
  } catch (const std::exception& error) {
    spdlog::critical("internal error: {}; please report it", error.what());
    return to_int(ExitCode::runtime_failure);
  }
}

}  // namespace kbc::cli
