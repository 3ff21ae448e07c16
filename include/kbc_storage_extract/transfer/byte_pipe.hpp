#pragma once
// A bounded byte pipe between one producer thread (a download) and one consumer thread (an
// upload): a ring buffer of fixed capacity, so memory stays bounded whatever flows through.
// Either side can stop the other: the producer by fail(), the consumer by cancel().
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <vector>

namespace kbc::transfer {

class BytePipe {
 public:
  explicit BytePipe(std::size_t capacity);

  // Producer: append all `size` bytes, waiting while the pipe is full. False when the consumer
  // cancelled (the bytes are dropped).
  bool write(const char* data, std::size_t size);
  // Producer: no more bytes; the consumer reads what is left, then gets 0.
  void close();
  // Producer: stop with an error; the consumer gets 0 at once, even if bytes are left.
  void fail();

  // Consumer: up to `capacity` bytes, waiting while the pipe is empty; 0 at the end of the
  // stream, after fail() or after cancel().
  std::size_t read(char* buffer, std::size_t capacity);
  // Consumer: stop; a waiting or later write() returns false.
  void cancel();

  std::size_t capacity() const { return buffer_.size(); }

 private:
  std::mutex mutex_;
  std::condition_variable readable_;
  std::condition_variable writable_;
  std::vector<char> buffer_;
  std::size_t head_ = 0;  // next byte to read
  std::size_t used_ = 0;
  bool closed_ = false;
  bool failed_ = false;
  bool cancelled_ = false;
};

}  // namespace kbc::transfer
