#pragma once
// Calls `tick` every `every` on its own thread until destroyed (which waits for the thread),
// so a consumer can show time passing while no event comes (a long export job).
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace kbc::progress {

class Ticker {
 public:
  Ticker(std::chrono::milliseconds every, std::function<void()> tick)
      : every_(every), tick_(std::move(tick)), thread_([this] { loop(); }) {}
  ~Ticker() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  Ticker(const Ticker&) = delete;
  Ticker& operator=(const Ticker&) = delete;

 private:
  void loop() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, every_, [this] { return stopping_; })) {
      lock.unlock();
      tick_();
      lock.lock();
    }
  }
  std::chrono::milliseconds every_;
  std::function<void()> tick_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after everything it uses
};

}  // namespace kbc::progress
