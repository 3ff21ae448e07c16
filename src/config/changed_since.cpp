// changedSince: "-2 days" / "2 days ago" (relative) or an ISO 8601 date or timestamp (absolute).
#include "kbc_storage_extract/changed_since.hpp"

#include <cctype>
#include <regex>

namespace kbc {

namespace {

using std::chrono::seconds;

// A relative value further back than this is a typo, not an intent (and would overflow).
constexpr seconds kMaxRelative = std::chrono::hours(24 * 366 * 100);

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

seconds unit_length(const std::string& unit) {
  const char first = static_cast<char>(std::tolower(static_cast<unsigned char>(unit.front())));
  switch (first) {
    case 's': return seconds(1);
    case 'm': return std::chrono::minutes(1);
    case 'h': return std::chrono::hours(1);
    case 'd': return std::chrono::hours(24);
    default: return std::chrono::hours(24 * 7);  // week
  }
}

std::optional<seconds> parse_relative(const std::string& text) {
  static const std::regex minus_form(R"(-\s*(\d{1,9})\s*(second|minute|hour|day|week)s?)", std::regex::icase);
  static const std::regex ago_form(R"((\d{1,9})\s*(second|minute|hour|day|week)s?\s+ago)", std::regex::icase);
  std::smatch match;
  if (!std::regex_match(text, match, minus_form) && !std::regex_match(text, match, ago_form)) return std::nullopt;
  const long long count = std::stoll(match[1].str());
  const seconds unit = unit_length(match[2].str());
  if (count < 1 || count > kMaxRelative / unit) return std::nullopt;
  return unit * count;
}

std::optional<ChangedSince::Clock::time_point> parse_absolute(const std::string& text) {
  static const std::regex iso(
      R"((\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2})?)?)");
  std::smatch m;
  if (!std::regex_match(text, m, iso)) return std::nullopt;
  const auto number = [&](int group) { return m[group].matched ? std::stoi(m[group].str()) : 0; };
  const std::chrono::year_month_day date{std::chrono::year{number(1)}, std::chrono::month{static_cast<unsigned>(number(2))},
                                         std::chrono::day{static_cast<unsigned>(number(3))}};
  if (!date.ok()) return std::nullopt;
  const int hour = number(4), minute = number(5), second = number(6);
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;

  std::chrono::nanoseconds fraction{0};
  if (m[7].matched) {
    std::string digits = m[7].str();
    digits.resize(9, '0');
    fraction = std::chrono::nanoseconds(std::stoll(digits));
  }
  seconds offset{0};
  if (m[8].matched && m[8].str() != "Z" && m[8].str() != "z") {
    std::string zone = m[8].str();  // "+01:00" or "+0100"
    const int sign = zone[0] == '-' ? -1 : 1;
    std::erase(zone, ':');
    const int zone_hours = std::stoi(zone.substr(1, 2)), zone_minutes = std::stoi(zone.substr(3, 2));
    if (zone_hours > 23 || zone_minutes > 59) return std::nullopt;
    offset = sign * (std::chrono::hours(zone_hours) + std::chrono::minutes(zone_minutes));
  }
  const auto local = std::chrono::sys_days(date) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
                     seconds(second) + fraction;
  return std::chrono::time_point_cast<ChangedSince::Clock::duration>(local - offset);
}

}  // namespace

std::optional<ChangedSince> ChangedSince::parse(std::string_view raw) {
  const std::string text(trim(raw));
  if (text.empty()) return std::nullopt;
  ChangedSince result;
  result.text_ = text;
  if (auto offset = parse_relative(text)) {
    result.value_ = *offset;
    return result;
  }
  if (auto point = parse_absolute(text)) {
    result.value_ = *point;
    return result;
  }
  return std::nullopt;
}

ChangedSince::Clock::time_point ChangedSince::resolve(Clock::time_point now) const {
  if (const auto* offset = std::get_if<seconds>(&value_)) return now - *offset;
  return std::get<Clock::time_point>(value_);
}

}  // namespace kbc
