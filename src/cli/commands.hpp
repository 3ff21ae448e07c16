#pragma once
// The CLI side of each subcommand: turn flags into a validated Config/options, then hand over
// to kbc::commands (or, for validate, finish here: it needs no network).
#include "cli/invocation.hpp"
#include "kbc_storage_extract/exit_codes.hpp"

namespace kbc::cli {

ExitCode run_command(const Invocation& invocation);
ExitCode validate_command(const Invocation& invocation);
ExitCode tables_command(const Invocation& invocation);
ExitCode check_command(const Invocation& invocation);
ExitCode token_verify_command(const Invocation& invocation);
ExitCode token_create_command(const Invocation& invocation);
ExitCode token_refresh_command(const Invocation& invocation);
ExitCode init_command(const Invocation& invocation);
// Component mode: returns the component convention's exit code (0, 1 user error, 2 application).
int component_command(const Invocation& invocation);

}  // namespace kbc::cli
