#pragma once
// Whole numbers read from answers (Content-Length, Content-Range, "size"): digits only, and a
// value past 2^64 is unreadable rather than an exception (std::stoull throws on overflow).
#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace kbc {

inline std::optional<std::uint64_t> parse_decimal_u64(std::string_view text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace kbc
