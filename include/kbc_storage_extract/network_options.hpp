#pragma once
// How patient a run is with the network, from run's flags (docs/cli.md#retries-and-timeouts):
// each request is retried on its own level (retry.hpp), abandoned when it stalls or takes too
// long, and a job is waited for up to a deadline. Every wait still ends at once on a signal.
#include <chrono>

#include "kbc_storage_extract/http/client.hpp"
#include "kbc_storage_extract/retry.hpp"
#include "kbc_storage_extract/storage_api/client.hpp"

namespace kbc {

struct NetworkOptions {
  int retries = 7;                                      // --retries: attempts after the first
  std::chrono::seconds retry_max_wait{30};              // --retry-max-wait: longest backoff or Retry-After
  std::chrono::seconds request_timeout{300};            // --timeout: one Storage API request
  std::chrono::seconds job_timeout{6 * 3600};           // --job-timeout: one Storage job
  long min_speed = 1024;                                // --min-speed: bytes per second, 0 = off
  std::chrono::seconds stall_timeout{60};               // --stall-timeout: how long below it

  RetryPolicy retry_policy() const {
    RetryPolicy policy;
    policy.max_attempts = retries + 1;
    policy.max_delay = retry_max_wait;
    policy.initial_delay = std::min<std::chrono::milliseconds>(policy.initial_delay, retry_max_wait);
    return policy;
  }
  http::Limits http_limits() const {
    http::Limits limits;
    limits.min_speed = min_speed;
    limits.stall_time = stall_timeout;
    return limits;
  }
  storage_api::JobPolling job_polling() const {
    storage_api::JobPolling polling;
    polling.timeout = job_timeout;
    return polling;
  }
};

}  // namespace kbc
