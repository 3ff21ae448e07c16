// copy_object: parts flow from the source store to the destination store through a bounded
// BytePipe each, a reader thread filling it while the part's uploader drains it. A failed part
// is retried alone; the first part that fails for good stops the others and aborts the upload.
#include "kbc_storage_extract/transfer/copy.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "kbc_storage_extract/transfer/byte_pipe.hpp"

namespace kbc::transfer {
namespace {

class ObjectCopy {
 public:
  ObjectCopy(ObjectStore& from, const std::string& from_key, ObjectUpload& upload, std::uint64_t size, const CopyOptions& options)
      : from_(from), from_key_(from_key), upload_(upload), size_(size), options_(options) {}

  // Copies every part with `options.parallel_parts` workers; the first error that stopped it.
  std::optional<Error> run() {
    const int workers = std::max(1, std::min(options_.parallel_parts, upload_.part_count()));
    if (workers == 1) {
      work();
    } else {
      std::vector<std::thread> threads;
      for (int i = 0; i < workers; ++i) threads.emplace_back([this] { work(); });
      for (auto& thread : threads) thread.join();
    }
    return first_error_;
  }

  int retries() const { return retries_; }

 private:
  void work() {
    while (!stop_) {
      const int number = next_part_++;
      if (number > upload_.part_count()) return;
      auto status = copy_part_with_retries(number);
      if (!status.ok()) {
        std::lock_guard lock(error_mutex_);
        if (!first_error_) first_error_ = status.error();
        stop_ = true;
      }
    }
  }

  Status copy_part_with_retries(int number) {
    for (int attempt = 1;; ++attempt) {
      auto status = copy_part(number);
      if (status.ok() || stop_) return status;
      // A download that gave up after its own resumes (retries_exhausted) is not tried again
      // here: this loop owns the streamed upload's failures (the bytes cannot be sent twice).
      if (!options_.retry.before_next_attempt(
              attempt, status.error(), fmt::format("copying part {} of {}", number, upload_.part_count())))
        return status;
      ++retries_;
    }
  }

  // One attempt at one part: a reader thread downloads its byte range into the pipe while
  // this thread uploads from it. Either side stopping ends the other.
  Status copy_part(int number) {
    const std::uint64_t offset = static_cast<std::uint64_t>(number - 1) * upload_.part_size();
    const std::uint64_t length = std::min(upload_.part_size(), size_ - offset);
    BytePipe pipe(options_.buffer_bytes);
    Status read_status;
    std::thread reader;
    if (length == 0) {
      pipe.close();  // the one empty part of an empty object
    } else {
      reader = std::thread([&] {
        read_status = from_.read(from_key_, ByteRange{offset, length}, [&](const char* data, std::size_t size) {
          return !stop_ && pipe.write(data, size);
        });
        if (read_status.ok()) pipe.close();
        else pipe.fail();
      });
    }

    std::uint64_t moved_in_part = 0;
    const Status write_status = upload_.write_part(number, length, [&](char* buffer, std::size_t capacity) -> std::size_t {
      if (stop_) return 0;
      const std::size_t got = pipe.read(buffer, capacity);
      moved_in_part += got;
      const std::uint64_t total = moved_ += got;
      if (got > 0 && options_.on_progress) options_.on_progress(total);
      return got;
    });
    pipe.cancel();  // wakes the reader if the upload ended early; harmless when all bytes went through
    if (reader.joinable()) reader.join();
    if (!write_status.ok()) moved_ -= moved_in_part;

    // When the download broke, the upload only saw its source stop: report the cause.
    if (!read_status.ok() && read_status.error().kind != ErrorKind::cancelled) return read_status;
    if (!write_status.ok()) return write_status;
    return read_status;
  }

  ObjectStore& from_;
  const std::string& from_key_;
  ObjectUpload& upload_;
  const std::uint64_t size_;
  const CopyOptions& options_;
  std::atomic<int> next_part_{1};
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> moved_{0};
  std::atomic<int> retries_{0};
  std::mutex error_mutex_;
  std::optional<Error> first_error_;
};

// The uploads copy_object has begun and not yet committed or aborted. An upload is removed
// under the lock before it is destroyed, so abort_uploads_in_flight never sees a dead one.
class InFlightUploads {
 public:
  void add(ObjectUpload* upload) {
    std::lock_guard lock(mutex_);
    uploads_.push_back(upload);
  }
  void remove(ObjectUpload* upload) {
    std::lock_guard lock(mutex_);
    uploads_.erase(std::remove(uploads_.begin(), uploads_.end(), upload), uploads_.end());
  }
  void abort_all() noexcept {
    std::lock_guard lock(mutex_);
    std::vector<std::thread> aborting;
    try {
      for (ObjectUpload* upload : uploads_) aborting.emplace_back([upload] { upload->abort(); });
    } catch (...) {  // no thread to be had: abort the rest here
      for (std::size_t i = aborting.size(); i < uploads_.size(); ++i) uploads_[i]->abort();
    }
    for (auto& thread : aborting) thread.join();
  }

 private:
  std::mutex mutex_;
  std::vector<ObjectUpload*> uploads_;
};

InFlightUploads& in_flight_uploads() {
  static InFlightUploads uploads;
  return uploads;
}

// Registers an upload for the time copy_object works on it.
struct InFlight {
  explicit InFlight(ObjectUpload& upload) : upload_(upload) { in_flight_uploads().add(&upload_); }
  ~InFlight() { in_flight_uploads().remove(&upload_); }
  ObjectUpload& upload_;
};

}  // namespace

void abort_uploads_in_flight() noexcept { in_flight_uploads().abort_all(); }

Result<CopyStats> copy_object(ObjectStore& from, const std::string& from_key, ObjectStore& to, const std::string& to_key,
                              const CopyOptions& options) {
  auto size = options.size ? Result<std::uint64_t>(*options.size) : from.size(from_key);
  if (!size) return size.error();
  auto upload = to.begin_upload(to_key, *size);
  if (!upload) return upload.error();

  CopyOptions effective = options;
  if (!to.capabilities().parallel_parts) effective.parallel_parts = 1;  // parts must go in order
  const InFlight registered(**upload);
  ObjectCopy copy(from, from_key, **upload, *size, effective);
  if (auto error = copy.run()) {
    (*upload)->abort();
    return *error;
  }
  if (auto committed = (*upload)->commit(); !committed) {
    (*upload)->abort();
    return committed.error();
  }
  return CopyStats{*size, copy.retries()};
}

}  // namespace kbc::transfer
