#pragma once
// What every fuzz target shares: the input as text, and a check that turns a broken promise
// (not only a crash) into a libFuzzer finding with its input saved.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace kbc::fuzz {

inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// abort() is what libFuzzer reports as a crash ("deadly signal") and minimizes like one.
inline void check(bool ok, const char* promise) {
  if (ok) return;
  std::fprintf(stderr, "fuzz: broken promise: %s\n", promise);
  std::abort();
}

}  // namespace kbc::fuzz
