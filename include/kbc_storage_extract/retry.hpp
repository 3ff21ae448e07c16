#pragma once
// Retries with exponential backoff and jitter for faults that may pass by themselves
// (Error::retryable()); honours a server's Retry-After within the cap. Each level owns its own
// retries: a request (with_retries, StorageClient::call), a download resumed where it broke
// (ranged_get), a streamed part (copy_object). The level that gives up marks the error
// (Error::retries_exhausted) so that no level around it retries it again. Every wait wakes at
// once when the run is stopped (process_stop()), and then ends as ErrorKind::cancelled.
#include <algorithm>
#include <chrono>
#include <optional>
#include <random>
#include <string_view>

#include <spdlog/spdlog.h>

#include "kbc_storage_extract/result.hpp"
#include "kbc_storage_extract/stop.hpp"

namespace kbc {

struct RetryPolicy {
  int max_attempts = 8;  // --retries 7: the first attempt and 7 more
  std::chrono::milliseconds initial_delay{250};
  std::chrono::milliseconds max_delay{30'000};  // --retry-max-wait: also caps a Retry-After

  // Whether failed attempt number `attempt` (1-based) is the last one at this level.
  bool gives_up(int attempt, const Error& error) const {
    return !error.retryable() || attempt >= max_attempts || process_stop().requested();
  }

  // How long to wait after failed attempt number `attempt` (1-based); nullopt = give up.
  std::optional<std::chrono::milliseconds> next_delay(int attempt, const Error& error) const {
    if (gives_up(attempt, error)) return std::nullopt;
    if (error.retry_after) return std::min(*error.retry_after, max_delay);
    const auto exp = initial_delay * (1LL << std::min(attempt - 1, 20));
    const auto capped = std::min<std::chrono::milliseconds>(exp, max_delay);
    thread_local std::mt19937 rng{std::random_device{}()};
    std::uniform_int_distribution<long long> jitter(capped.count() / 2, capped.count());
    return std::chrono::milliseconds{jitter(rng)};
  }

  // After failed attempt `attempt`: the wait before the next one, or nullopt when this level
  // gives up. Giving up marks `error` as exhausted; a stop (before or during the wait) turns it
  // into `cancelled`. Logs the retry as "<what> failed (attempt i of n): …".
  std::optional<std::chrono::milliseconds> before_next_attempt(int attempt, Error& error, std::string_view what) const {
    const auto delay = next_delay(attempt, error);
    if (!delay) {
      settle(error);
      return std::nullopt;
    }
    spdlog::warn("{} failed (attempt {} of {}): {}; retrying in {} ms", what, attempt, max_attempts, error.describe(),
                 delay->count());
    if (!process_stop().sleep_for(*delay)) {
      settle(error);
      return std::nullopt;
    }
    return delay;
  }

  // The error as this level leaves it: cancelled when the run was stopped, else exhausted.
  static void settle(Error& error) {
    if (process_stop().requested() && error.kind != ErrorKind::cancelled && error.retryable()) {
      error.message += " (stopped by a signal before the next attempt)";
      error.kind = ErrorKind::cancelled;
    }
    if (error.may_pass()) error.retries_exhausted = true;
  }
};

// An error that says the run was stopped (SIGINT/SIGTERM) while `what` waited.
inline Error stopped_error(std::string_view what) {
  return make_error(ErrorKind::cancelled, std::string(what) + ": stopped by a signal");
}

// Call `operation` (returning Result<T>) until it succeeds, fails for good, or attempts run out.
template <class Operation>
auto with_retries(const RetryPolicy& policy, std::string_view what, Operation&& operation) -> decltype(operation()) {
  for (int attempt = 1;; ++attempt) {
    auto result = operation();
    if (result.ok()) return result;
    if (!policy.before_next_attempt(attempt, result.error(), what)) return result;
  }
}

}  // namespace kbc
