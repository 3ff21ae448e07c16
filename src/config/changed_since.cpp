// changedSince: "-2 days" / "2 days ago" (relative) or an ISO 8601 date or timestamp (absolute).
// Parsed by hand with a small cursor: the grammar is tiny, and std::regex trips GCC 12's
// -Wmaybe-uninitialized in sanitizer builds.
#include "kbc_storage_extract/changed_since.hpp"
#include "kbc_storage_extract/clock_years.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace kbc {

namespace {

using std::chrono::seconds;

// A relative value further back than this is a typo, not an intent (and would overflow).
constexpr seconds kMaxRelative = std::chrono::hours(24 * 366 * 100);

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  bool done() const { return pos_ == text_.size(); }
  char peek() const { return done() ? '\0' : text_[pos_]; }
  bool take(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  std::size_t skip_spaces() {
    const auto start = pos_;
    while (!done() && is_space(peek())) ++pos_;
    return pos_ - start;
  }
  // Between `min` and `max` digits; nullopt when fewer. Digits beyond `max` are left unread.
  std::optional<long long> digits(std::size_t min, std::size_t max) {
    std::size_t count = 0;
    long long value = 0;
    while (!done() && is_digit(peek()) && count < max) {
      value = value * 10 + (peek() - '0');
      ++pos_;
      ++count;
    }
    if (count < min) return std::nullopt;
    return value;
  }
  std::string word() {
    std::string out;
    while (!done() && is_alpha(peek())) out += static_cast<char>(std::tolower(static_cast<unsigned char>(text_[pos_++])));
    return out;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

std::optional<seconds> unit_length(const std::string& word) {
  static constexpr std::array<std::pair<std::string_view, long long>, 5> units{{
      {"second", 1}, {"minute", 60}, {"hour", 3600}, {"day", 86400}, {"week", 7 * 86400}}};
  for (const auto& [name, length] : units)
    if (word == name || (word.size() == name.size() + 1 && word.starts_with(name) && word.back() == 's'))
      return seconds(length);
  return std::nullopt;
}

std::optional<seconds> offset(long long count, const std::string& unit_word) {
  const auto unit = unit_length(unit_word);
  if (!unit || count < 1 || count > kMaxRelative / *unit) return std::nullopt;
  return *unit * count;
}

// "-N unit(s)" or "N unit(s) ago".
std::optional<seconds> parse_relative(std::string_view text) {
  Cursor minus_form(text);
  if (minus_form.take('-')) {
    minus_form.skip_spaces();
    const auto count = minus_form.digits(1, 9);
    if (!count || is_digit(minus_form.peek())) return std::nullopt;
    minus_form.skip_spaces();
    const auto unit = minus_form.word();
    if (!minus_form.done()) return std::nullopt;
    return offset(*count, unit);
  }
  Cursor ago_form(text);
  const auto count = ago_form.digits(1, 9);
  if (!count || is_digit(ago_form.peek())) return std::nullopt;
  ago_form.skip_spaces();
  const auto unit = ago_form.word();
  if (ago_form.skip_spaces() == 0 || ago_form.word() != "ago" || !ago_form.done()) return std::nullopt;
  return offset(*count, unit);
}

// "YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]][Z|±HH[:]MM]]"; no offset means UTC.
std::optional<ChangedSince::Clock::time_point> parse_absolute(std::string_view text) {
  Cursor c(text);
  const auto y = c.digits(4, 4);
  if (!y || !year_fits_clock(*y) || !c.take('-')) return std::nullopt;  // docs/configuration.md
  const auto mo = c.digits(2, 2);
  if (!mo || !c.take('-')) return std::nullopt;
  const auto d = c.digits(2, 2);
  if (!d) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{static_cast<int>(*y)},
                                         std::chrono::month{static_cast<unsigned>(*mo)},
                                         std::chrono::day{static_cast<unsigned>(*d)}};
  if (!date.ok()) return std::nullopt;
  std::chrono::sys_time<std::chrono::nanoseconds> point = std::chrono::sys_days(date);
  if (c.done()) return std::chrono::time_point_cast<ChangedSince::Clock::duration>(point);

  if (!(c.take('T') || c.take('t') || c.take(' '))) return std::nullopt;
  const auto h = c.digits(2, 2);
  if (!h || *h > 23 || !c.take(':')) return std::nullopt;
  const auto mi = c.digits(2, 2);
  if (!mi || *mi > 59) return std::nullopt;
  point += std::chrono::hours(*h) + std::chrono::minutes(*mi);
  if (c.take(':')) {
    const auto s = c.digits(2, 2);
    if (!s || *s > 59) return std::nullopt;
    point += seconds(*s);
    if (c.take('.') || c.take(',')) {
      long long fraction = 0;
      int digits = 0;
      for (; !c.done() && is_digit(c.peek()) && digits < 9; ++digits) {
        fraction = fraction * 10 + (c.peek() - '0');
        c.take(c.peek());
      }
      if (digits == 0 || (!c.done() && is_digit(c.peek()))) return std::nullopt;
      for (int i = digits; i < 9; ++i) fraction *= 10;
      point += std::chrono::nanoseconds(fraction);
    }
  }
  if (c.take('Z') || c.take('z')) {
    // UTC
  } else if (c.peek() == '+' || c.peek() == '-') {
    const int sign = c.peek() == '-' ? -1 : 1;
    c.take(c.peek());
    const auto zh = c.digits(2, 2);
    if (!zh || *zh > 23) return std::nullopt;
    c.take(':');
    const auto zm = c.digits(2, 2);
    if (!zm || *zm > 59) return std::nullopt;
    point -= sign * (std::chrono::hours(*zh) + std::chrono::minutes(*zm));
  }
  if (!c.done()) return std::nullopt;
  return std::chrono::time_point_cast<ChangedSince::Clock::duration>(point);
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<ChangedSince> ChangedSince::parse(std::string_view raw) {
  const std::string_view text = trim(raw);
  if (text.empty()) return std::nullopt;
  ChangedSince result;
  result.text_ = std::string(text);
  if (auto back = parse_relative(text)) {
    result.value_ = *back;
    return result;
  }
  if (auto point = parse_absolute(text)) {
    result.value_ = *point;
    return result;
  }
  return std::nullopt;
}

ChangedSince::Clock::time_point ChangedSince::resolve(Clock::time_point now) const {
  if (const auto* back = std::get_if<seconds>(&value_)) return now - *back;
  return std::get<Clock::time_point>(value_);
}

}  // namespace kbc
