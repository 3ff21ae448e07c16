#include "kbc_storage_extract/stop.hpp"

namespace kbc {

void StopSignal::request() {
  {
    std::lock_guard lock(mutex_);
    requested_ = true;
  }
  woken_.notify_all();
}

bool StopSignal::sleep_for(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  return !woken_.wait_for(lock, delay, [this] { return requested_.load(); });
}

void StopSignal::reset() {
  std::lock_guard lock(mutex_);
  requested_ = false;
}

namespace {
thread_local int cleanup_depth = 0;
}

CleanupScope::CleanupScope() { ++cleanup_depth; }
CleanupScope::~CleanupScope() { --cleanup_depth; }
bool CleanupScope::active() noexcept { return cleanup_depth > 0; }

StopSignal& process_stop() {
  static StopSignal stop;
  return stop;
}

}  // namespace kbc
