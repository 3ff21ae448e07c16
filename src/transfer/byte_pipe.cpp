#include "kbc_storage_extract/transfer/byte_pipe.hpp"

#include <algorithm>

namespace kbc::transfer {

BytePipe::BytePipe(std::size_t capacity) : buffer_(std::max<std::size_t>(capacity, 1)) {}

bool BytePipe::write(const char* data, std::size_t size) {
  std::unique_lock lock(mutex_);
  while (size > 0) {
    writable_.wait(lock, [&] { return cancelled_ || used_ < buffer_.size(); });
    if (cancelled_) return false;
    // Copy into the free space, which may wrap around the end of the ring.
    const std::size_t tail = (head_ + used_) % buffer_.size();
    const std::size_t n = std::min(size, std::min(buffer_.size() - used_, buffer_.size() - tail));
    std::copy_n(data, n, buffer_.data() + tail);
    used_ += n;
    data += n;
    size -= n;
    readable_.notify_one();
  }
  return true;
}

void BytePipe::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  readable_.notify_all();
}

void BytePipe::fail() {
  std::lock_guard lock(mutex_);
  failed_ = true;
  readable_.notify_all();
}

std::size_t BytePipe::read(char* out, std::size_t capacity) {
  std::unique_lock lock(mutex_);
  readable_.wait(lock, [&] { return used_ > 0 || closed_ || failed_ || cancelled_; });
  if (failed_ || cancelled_) return 0;
  std::size_t total = 0;
  while (used_ > 0 && total < capacity) {
    const std::size_t n = std::min({capacity - total, used_, buffer_.size() - head_});
    std::copy_n(buffer_.data() + head_, n, out + total);
    head_ = (head_ + n) % buffer_.size();
    used_ -= n;
    total += n;
  }
  if (total > 0) writable_.notify_one();
  return total;
}

void BytePipe::cancel() {
  std::lock_guard lock(mutex_);
  cancelled_ = true;
  writable_.notify_all();
  readable_.notify_all();
}

}  // namespace kbc::transfer
