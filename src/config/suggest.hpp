#pragma once
// "Did you mean …?": the closest known word to a mistyped one.
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kbc::config {

// The candidate nearest to `word` (case-insensitive edit distance), if it is near enough to be
// a plausible typo; nullopt otherwise.
std::optional<std::string> closest_match(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace kbc::config
