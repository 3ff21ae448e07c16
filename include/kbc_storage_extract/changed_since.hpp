#pragma once
// Changes Since: a relative time ("-2 days", "-3 hours", "-15 minutes") or an absolute
// ISO 8601 timestamp. Relative values are resolved once, at the start of a run.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace kbc {

class ChangedSince {
 public:
  using Clock = std::chrono::system_clock;
  // nullopt when `text` is neither form.
  static std::optional<ChangedSince> parse(std::string_view text);

  Clock::time_point resolve(Clock::time_point now) const;
  const std::string& text() const { return text_; }
  bool relative() const { return std::holds_alternative<std::chrono::seconds>(value_); }

 private:
  std::string text_;
  std::variant<std::chrono::seconds, Clock::time_point> value_;  // offset back from now, or absolute
};

}  // namespace kbc
