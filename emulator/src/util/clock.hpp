#pragma once
// The emulator's clock: real time plus an offset that tests move forward
// (POST /_emulator/clock), so Changes Since and token expiry are testable without sleeping.
#include <atomic>
#include <chrono>
#include <cstdint>

namespace kbc::emulator {

class Clock {
 public:
  std::chrono::system_clock::time_point now() const {
    return std::chrono::system_clock::now() + std::chrono::seconds(offset_seconds_.load());
  }
  // Unix seconds.
  std::int64_t now_seconds() const {
    return std::chrono::duration_cast<std::chrono::seconds>(now().time_since_epoch()).count();
  }
  void advance(std::int64_t seconds) { offset_seconds_ += seconds; }
  std::int64_t offset_seconds() const { return offset_seconds_.load(); }

 private:
  std::atomic<std::int64_t> offset_seconds_{0};
};

}  // namespace kbc::emulator
