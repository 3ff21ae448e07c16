#include "util/time_format.hpp"

#include <cctype>
#include <charconv>
#include <ctime>
#include <map>

namespace kbc::emulator {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool read_int(std::string_view& s, std::size_t digits, int& out) {
  if (s.size() < digits) return false;
  for (std::size_t i = 0; i < digits; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  std::from_chars(s.data(), s.data() + digits, out);
  s.remove_prefix(digits);
  return true;
}

bool eat(std::string_view& s, char c) {
  if (s.empty() || s.front() != c) return false;
  s.remove_prefix(1);
  return true;
}

std::optional<std::int64_t> unit_seconds(std::string unit) {
  for (auto& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (unit.size() > 1 && unit.back() == 's') unit.pop_back();
  static const std::map<std::string, std::int64_t> units = {
      {"sec", 1},        {"second", 1},      {"min", 60},       {"minute", 60},
      {"hour", 3600},    {"day", 86400},     {"week", 604800},  {"fortnight", 1209600},
      {"month", 2592000}, {"year", 31536000}};
  auto it = units.find(unit);
  if (it == units.end()) return std::nullopt;
  return it->second;
}

}  // namespace

std::string format_datetime(std::int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S+0000", &tm);
  return buffer;
}

std::optional<std::int64_t> parse_datetime(std::string_view text) {
  std::string_view s = trim(text);
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_int(s, 4, year) || !eat(s, '-') || !read_int(s, 2, month) || !eat(s, '-') || !read_int(s, 2, day)) {
    return std::nullopt;
  }
  if (!s.empty() && (s.front() == 'T' || s.front() == ' ')) {
    s.remove_prefix(1);
    if (!read_int(s, 2, hour) || !eat(s, ':') || !read_int(s, 2, minute)) return std::nullopt;
    if (eat(s, ':') && !read_int(s, 2, second)) return std::nullopt;
    if (eat(s, '.')) {
      while (!s.empty() && std::isdigit(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    }
  }
  std::int64_t offset = 0;
  if (eat(s, 'Z') || eat(s, 'z')) {
  } else if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    int sign = s.front() == '-' ? -1 : 1;
    s.remove_prefix(1);
    int oh = 0, om = 0;
    if (!read_int(s, 2, oh)) return std::nullopt;
    eat(s, ':');
    if (!s.empty() && !read_int(s, 2, om)) return std::nullopt;
    offset = sign * (oh * 3600 + om * 60);
  }
  if (!s.empty()) return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<std::int64_t>(timegm(&tm)) - offset;
}

std::optional<std::int64_t> parse_time_expression(std::string_view text, std::int64_t now) {
  std::string_view s = trim(text);
  if (s.empty()) return std::nullopt;
  bool all_digits = true;
  for (char c : s) all_digits = all_digits && std::isdigit(static_cast<unsigned char>(c));
  if (all_digits) {
    std::int64_t value = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
    return value;
  }
  if (auto absolute = parse_datetime(s)) return absolute;
  if (s == "now") return now;
  if (s == "today") return now - now % 86400;
  if (s == "yesterday") return now - now % 86400 - 86400;
  // Relative: a sequence of "[+-]N unit" terms, optionally ending in "ago".
  std::int64_t total = 0;
  bool any = false;
  while (!s.empty()) {
    s = trim(s);
    if (s == "ago") {
      if (!any) return std::nullopt;
      total = -total;
      break;
    }
    int sign = 1;
    if (s.front() == '+' || s.front() == '-') {
      sign = s.front() == '-' ? -1 : 1;
      s.remove_prefix(1);
      s = trim(s);
    }
    std::int64_t amount = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), amount);
    if (ec != std::errc()) return std::nullopt;
    s.remove_prefix(static_cast<std::size_t>(ptr - s.data()));
    s = trim(s);
    std::size_t end = 0;
    while (end < s.size() && std::isalpha(static_cast<unsigned char>(s[end]))) ++end;
    auto unit = unit_seconds(std::string(s.substr(0, end)));
    if (!unit) return std::nullopt;
    s.remove_prefix(end);
    total += sign * amount * *unit;
    any = true;
  }
  if (!any) return std::nullopt;
  return now + total;
}

}  // namespace kbc::emulator
