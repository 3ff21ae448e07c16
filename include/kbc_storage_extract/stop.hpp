#pragma once
// The run's stop request: set once (by the signal watcher, or a test) and seen at once by every
// wait (retry backoff, job polling) and every transfer in flight (curl's progress callback), so
// that SIGINT/SIGTERM never waits behind a stuck job, a backoff or a server that never answers.
// One per process, because signals are.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace kbc {

class StopSignal {
 public:
  void request();
  bool requested() const noexcept { return requested_.load(std::memory_order_relaxed); }
  // Sleep for `delay` unless a stop is requested first (or was already); false when stopped.
  bool sleep_for(std::chrono::milliseconds delay);
  // Tests only: a process that ran a stopped run in-process starts the next one clean.
  void reset();

 private:
  std::atomic<bool> requested_{false};
  std::mutex mutex_;
  std::condition_variable woken_;
};

StopSignal& process_stop();

// While one lives, the requests its thread makes are cleanup (aborting an upload, removing a
// partial object): they go out even after a stop, each bounded in time (http::Client gives
// them a total timeout), so that a stopped run still leaves no parts behind.
class CleanupScope {
 public:
  CleanupScope();
  ~CleanupScope();
  CleanupScope(const CleanupScope&) = delete;
  CleanupScope& operator=(const CleanupScope&) = delete;
  static bool active() noexcept;
};

}  // namespace kbc
