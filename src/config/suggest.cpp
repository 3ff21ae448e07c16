#include "config/suggest.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace kbc::config {

namespace {
char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Levenshtein distance, ignoring case and treating '_'/'-' as equal (primary_key ~ primaryKey
// is one edit, not a rename).
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const char x = lower(a[i - 1]), y = lower(b[j - 1]);
      const bool same = x == y || ((x == '_' || x == '-') && (y == '_' || y == '-'));
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (same ? 0 : 1)});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}
}  // namespace

std::optional<std::string> closest_match(std::string_view word, std::span<const std::string_view> candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  for (const auto candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    if (!best || distance < best_distance) {
      best = std::string(candidate);
      best_distance = distance;
    }
  }
  // Up to a third of the longer word may differ (at least 2 edits): "tabels", "destinaton",
  // "primary_key", "eu-central" match; "foo" matches nothing.
  const std::size_t allowed = std::max<std::size_t>(2, std::max(word.size(), best ? best->size() : 0) / 3);
  if (best && best_distance <= allowed && best_distance < word.size()) return best;
  return std::nullopt;
}

}  // namespace kbc::config
