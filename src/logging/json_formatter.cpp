#include "logging/json_formatter.hpp"

#include <ctime>

#include <nlohmann/json.hpp>

#include "kbc_storage_extract/redact.hpp"

namespace kbc::logging {

namespace {
std::string utc_timestamp(spdlog::log_clock::time_point time) {
  const auto since_epoch = time.time_since_epoch();
  const std::time_t seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count();
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count() % 1000;
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[32];
  const auto length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &parts);
  return std::string(text, length) + fmt::format(".{:03}Z", millis);
}
// An error message may quote a URL: event fields pass the same redaction as messages.
nlohmann::ordered_json redacted(const nlohmann::ordered_json& value) {
  if (value.is_string()) return kbc::redact(value.get<std::string>());
  if (!value.is_structured()) return value;
  nlohmann::ordered_json out = value;
  for (auto& item : out) item = redacted(item);
  return out;
}
}  // namespace

const nlohmann::ordered_json*& current_event_fields() {
  thread_local const nlohmann::ordered_json* fields = nullptr;
  return fields;
}

void JsonFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
  nlohmann::ordered_json line{
      {"time", utc_timestamp(msg.time)},
      {"level", std::string(spdlog::level::to_string_view(msg.level).data(), spdlog::level::to_string_view(msg.level).size())},
      {"message", std::string(msg.payload.data(), msg.payload.size())},
  };
  if (const auto* fields = current_event_fields(); fields && fields->is_object()) {
    for (const auto& [key, value] : fields->items()) line[key] = redacted(value);
  }
  // Invalid UTF-8 in a message must not throw from inside the logger.
  const std::string text = line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  dest.append(text.data(), text.data() + text.size());
}

}  // namespace kbc::logging
