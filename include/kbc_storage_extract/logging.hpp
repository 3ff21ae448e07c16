#pragma once
// Logging: spdlog's default logger, writing to stderr through a sink that passes every message
// through kbc::redact() first, so no call site can leak a secret by mistake.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <spdlog/common.h>
#include <spdlog/sinks/sink.h>

#include "kbc_storage_extract/redact.hpp"
#include "kbc_storage_extract/result.hpp"
#include "kbc_storage_extract/secret.hpp"

namespace kbc::logging {

enum class Format { text, json };

struct Options {
  Format format = Format::text;
  std::optional<spdlog::level::level_enum> level;  // --log-level; wins over quiet/verbose
  bool quiet = false;                              // -q: warnings and errors only, no progress
  int verbose = 0;                                 // -v: debug, -vv: trace
};

// Replace the default logger. Text on a terminal: "warning: message"; text elsewhere adds a UTC
// timestamp; JSON: one object per line {"time","level","message"}.
void setup_logging(const Options& options);

// A sink that masks every message with kbc::redact() and passes it on to `inner`: what
// setup_logging() installs; for code (and tests) that log somewhere else than stderr.
std::shared_ptr<spdlog::sinks::sink> make_redacting_sink(std::shared_ptr<spdlog::sinks::sink> inner);

// The level setup_logging() chose from the options.
spdlog::level::level_enum effective_level(const Options& options);

// "trace", "debug", "info", "warn"/"warning", "error", "critical", "off".
Result<spdlog::level::level_enum> parse_level(const std::string& name);

// True when progress output makes sense: text logs, stderr is a terminal and not --quiet.
bool progress_enabled();

// stderr is a terminal.
bool stderr_terminal();

// One event of the run (docs/progress.md): as JSON its `fields` follow "message" in the line's
// object (their strings redacted like messages); as text only the message is written.
void log_event(spdlog::level::level_enum level, const std::string& message, const nlohmann::ordered_json& fields);

// The progress view: lines kept at the bottom of stderr, every log line written above them.
// show_status replaces them (drawn in place), clear_status removes them.
void show_status(std::vector<std::string> lines);
void clear_status();

// Same as kbc::register_secret (kept here too for code that thinks of it as a logging concern).
inline void register_secret(const Secret& secret) { kbc::register_secret(secret); }

}  // namespace kbc::logging
