#pragma once
// Times as the Storage API writes and reads them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kbc::emulator {

// "2017-02-13T10:27:50+0000", the Storage API's datetime format (always UTC here).
std::string format_datetime(std::int64_t unix_seconds);

// ISO 8601 "YYYY-MM-DD[( |T)HH:MM[:SS]][Z|±HH[:]MM]"; nullopt when not that shape.
std::optional<std::int64_t> parse_datetime(std::string_view text);

// What changedSince/changedUntil accept: a unix timestamp, an ISO datetime, or a relative
// strtotime-style phrase ("-2 days", "-1 hour", "3 weeks ago", "now"), resolved against `now`.
std::optional<std::int64_t> parse_time_expression(std::string_view text, std::int64_t now);

}  // namespace kbc::emulator
