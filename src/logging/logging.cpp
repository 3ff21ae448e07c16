#include "kbc_storage_extract/logging.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

#include "logging/json_formatter.hpp"
#include "logging/redacting_sink.hpp"
#include "logging/status_area.hpp"

namespace kbc::logging {

namespace {
std::atomic<bool> g_progress_enabled{false};

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

std::shared_ptr<spdlog::sinks::sink> make_stderr_sink(Format format) {
  if (format == Format::json) {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    sink->set_formatter(std::make_unique<JsonFormatter>());
    return sink;
  }
  // Text lines are written above the progress view, when one is shown (StatusArea).
  if (stderr_is_terminal()) {
    // A person is watching: short lines, coloured level.
    auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    sink->set_pattern("%^%l%$: %v");
    return std::make_shared<StatusAreaSink>(sink);
  }
  // A file or a CI log: timestamps make the lines useful later.
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  sink->set_formatter(std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%eZ %l: %v",
                                                                  spdlog::pattern_time_type::utc));
  return std::make_shared<StatusAreaSink>(sink);
}
}  // namespace

std::shared_ptr<spdlog::sinks::sink> make_redacting_sink(std::shared_ptr<spdlog::sinks::sink> inner) {
  return std::make_shared<RedactingSink>(std::move(inner));
}

spdlog::level::level_enum effective_level(const Options& options) {
  if (options.level) return *options.level;
  if (options.verbose >= 2) return spdlog::level::trace;
  if (options.verbose == 1) return spdlog::level::debug;
  if (options.quiet) return spdlog::level::warn;
  return spdlog::level::info;
}

Result<spdlog::level::level_enum> parse_level(const std::string& name) {
  if (name == "warning") return spdlog::level::warn;
  const auto level = spdlog::level::from_str(name);
  // from_str answers "off" for anything it does not know.
  if (level == spdlog::level::off && name != "off")
    return make_error(ErrorKind::invalid_input, "unknown log level \"" + name + "\"",
                      "Use one of trace, debug, info, warn, error, critical, off");
  return level;
}

void setup_logging(const Options& options) {
  auto logger = std::make_shared<spdlog::logger>("kbc-storage-extract",
                                                 make_redacting_sink(make_stderr_sink(options.format)));
  logger->set_level(effective_level(options));
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
  g_progress_enabled = options.format == Format::text && !options.quiet && stderr_is_terminal();
}

bool progress_enabled() { return g_progress_enabled; }

bool stderr_terminal() { return stderr_is_terminal(); }

void log_event(spdlog::level::level_enum level, const std::string& message, const nlohmann::ordered_json& fields) {
  auto& current = current_event_fields();
  current = &fields;
  spdlog::log(level, "{}", message);
  current = nullptr;
}

void show_status(std::vector<std::string> lines) { StatusArea::instance().show(std::move(lines)); }
void clear_status() { StatusArea::instance().clear(); }

}  // namespace kbc::logging
