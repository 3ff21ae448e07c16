#pragma once
// CLI11's own words for a mistyped command line ("A subcommand is required", "The following
// argument was not expected") name neither the word nor the fix: this says which command or flag
// is unknown and, where one is close, which was meant.
#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace kbc::cli {

// A better message for `error`, raised by parsing argv with `app`; nullopt to keep CLI11's.
std::optional<std::string> explain_usage_error(const CLI::App& app, const CLI::ParseError& error, int argc,
                                               const char* const* argv);

}  // namespace kbc::cli
