#pragma once
// One JSON object per line: {"time":"2026-11-25T08:00:00.123Z","level":"info","message":"…"}.
// An event logged with log_event() adds its fields after "message" (strings redacted).
#include <nlohmann/json.hpp>
#include <spdlog/formatter.h>

namespace kbc::logging {

// The fields of the event being logged on this thread (log_event sets them around its call).
const nlohmann::ordered_json*& current_event_fields();

class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }
};

}  // namespace kbc::logging
