#pragma once
// Retries with exponential backoff and jitter for faults that may pass by themselves
// (Error::retryable()); honours a server's Retry-After. Low-level: one HTTP request or one
// part; the run retries nothing above that (a failed table is reported, and a re-run is safe).
#include <algorithm>
#include <chrono>
#include <optional>
#include <random>
#include <string_view>
#include <thread>

#include <spdlog/spdlog.h>

#include "kbc_storage_extract/result.hpp"

namespace kbc {

struct RetryPolicy {
  int max_attempts = 8;
  std::chrono::milliseconds initial_delay{250};
  std::chrono::milliseconds max_delay{30'000};

  // How long to wait after failed attempt number `attempt` (1-based); nullopt = give up.
  std::optional<std::chrono::milliseconds> next_delay(int attempt, const Error& error) const {
    if (!error.retryable() || attempt >= max_attempts) return std::nullopt;
    if (error.retry_after) return std::min(*error.retry_after, std::chrono::milliseconds{300'000});
    const auto exp = initial_delay * (1LL << std::min(attempt - 1, 20));
    const auto capped = std::min<std::chrono::milliseconds>(exp, max_delay);
    thread_local std::mt19937 rng{std::random_device{}()};
    std::uniform_int_distribution<long long> jitter(capped.count() / 2, capped.count());
    return std::chrono::milliseconds{jitter(rng)};
  }
};

// Call `operation` (returning Result<T>) until it succeeds, fails for good, or attempts run out.
template <class Operation>
auto with_retries(const RetryPolicy& policy, std::string_view what, Operation&& operation) -> decltype(operation()) {
  for (int attempt = 1;; ++attempt) {
    auto result = operation();
    if (result.ok()) return result;
    const auto delay = policy.next_delay(attempt, result.error());
    if (!delay) return result;
    spdlog::warn("{} failed (attempt {} of {}): {}; retrying in {} ms", what, attempt, policy.max_attempts,
                 result.error().describe(), delay->count());
    std::this_thread::sleep_for(*delay);
  }
}

}  // namespace kbc
