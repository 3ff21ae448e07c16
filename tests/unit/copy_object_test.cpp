// copy_object's engine with in-memory stores that misbehave on demand: parts in order and in
// parallel, retried parts, a failure that aborts the upload, empty objects.
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "kbc_storage_extract/transfer/copy.hpp"

using namespace kbc;
using namespace kbc::transfer;

namespace {

// An ObjectStore in memory. Faults: the first `read_failures` reads break halfway with
// `read_error`; part `failing_part` fails `write_failures` times with `write_error`.
class MemoryStore final : public ObjectStore {
 public:
  std::map<std::string, std::string> objects;
  std::uint64_t part_size = 4;
  int read_failures = 0;
  ErrorKind read_error = ErrorKind::transient;
  bool read_exhausted = false;  // the read's own retries are spent (as ranged_get marks them)
  std::atomic<int> reads{0};
  int failing_part = 0;
  int write_failures = 0;
  ErrorKind write_error = ErrorKind::transient;
  std::atomic<int> aborted{0};
  std::atomic<int> committed{0};
  std::atomic<int> max_parts_at_once{0};
  std::atomic<int> parts_now{0};
  std::vector<int> part_order;  // part numbers in the order write_part was called
  std::mutex mutex;

  Result<std::uint64_t> size(const std::string& key) override {
    std::lock_guard lock(mutex);
    const auto it = objects.find(key);
    if (it == objects.end()) return make_error(ErrorKind::not_found, "no object " + key);
    return static_cast<std::uint64_t>(it->second.size());
  }

  Status read(const std::string& key, ByteRange range, const ByteSink& sink) override {
    ++reads;
    std::string data;
    bool fail = false;
    {
      std::lock_guard lock(mutex);
      data = objects.at(key).substr(range.offset, range.length == 0 ? std::string::npos : range.length);
      if (read_failures > 0) {
        --read_failures;
        fail = true;
      }
    }
    const std::size_t upto = fail ? data.size() / 2 : data.size();
    for (std::size_t i = 0; i < upto; ++i)
      if (!sink(&data[i], 1)) return make_error(ErrorKind::cancelled, "reader stopped");
    if (fail) {
      auto error = make_error(read_error, "read broke");
      error.retries_exhausted = read_exhausted;
      return error;
    }
    return {};
  }

  class Upload final : public ObjectUpload {
   public:
    Upload(MemoryStore& store, std::string key, std::uint64_t size) : store_(store), key_(std::move(key)), size_(size) {
      parts_.resize(static_cast<std::size_t>(part_count()));
    }
    std::uint64_t part_size() const override { return store_.part_size; }
    int part_count() const override { return size_ == 0 ? 1 : static_cast<int>((size_ + store_.part_size - 1) / store_.part_size); }
    Status write_part(int number, std::uint64_t length, const ByteSource& source) override {
      {
        std::lock_guard lock(store_.mutex);
        store_.part_order.push_back(number);
      }
      const int now = ++store_.parts_now;
      for (int seen = store_.max_parts_at_once; now > seen && !store_.max_parts_at_once.compare_exchange_weak(seen, now);) {}
      std::string part;
      char buffer[3];
      while (part.size() < length) {
        const auto got = source(buffer, std::min<std::size_t>(sizeof buffer, length - part.size()));
        if (got == 0) break;
        part.append(buffer, got);
        std::this_thread::sleep_for(std::chrono::microseconds(50));  // let parts overlap
      }
      --store_.parts_now;
      {
        std::lock_guard lock(store_.mutex);
        if (number == store_.failing_part && store_.write_failures > 0) {
          --store_.write_failures;
          return make_error(store_.write_error, "part " + std::to_string(number) + " refused");
        }
      }
      if (part.size() != length) return make_error(ErrorKind::cancelled, "source stopped");
      parts_[static_cast<std::size_t>(number - 1)] = part;
      return {};
    }
    Status commit() override {
      std::string all;
      for (const auto& part : parts_) all += part;
      std::lock_guard lock(store_.mutex);
      store_.objects[key_] = all;
      ++store_.committed;
      return {};
    }
    void abort() noexcept override { ++store_.aborted; }

   private:
    MemoryStore& store_;
    std::string key_;
    std::uint64_t size_;
    std::vector<std::string> parts_;
  };

  Result<std::unique_ptr<ObjectUpload>> begin_upload(const std::string& key, std::uint64_t size) override {
    return std::unique_ptr<ObjectUpload>(std::make_unique<Upload>(*this, key, size));
  }
  Status put_small(const std::string& key, std::string_view body) override {
    std::lock_guard lock(mutex);
    objects[key] = std::string(body);
    return {};
  }
  std::string url_of(const std::string& key) const override { return "memory://" + key; }
  std::optional<std::string> key_of(std::string_view url) const override {
    if (!url.starts_with("memory://")) return std::nullopt;
    return std::string(url.substr(9));
  }
  StoreCapabilities capabilities() const override { return {parallel_parts}; }

  bool parallel_parts = true;
};

CopyOptions fast_options(int parallel) {
  CopyOptions options;
  options.buffer_bytes = 2;
  options.parallel_parts = parallel;
  options.retry.initial_delay = std::chrono::milliseconds(1);
  options.retry.max_attempts = 3;
  return options;
}

}  // namespace

TEST_CASE("copy engine: every size arrives byte-exact, one part at a time and several at once") {
  for (const int parallel : {1, 3}) {
    for (const std::size_t size : {0, 1, 4, 5, 37}) {
      MemoryStore from, to;
      std::string data;
      for (std::size_t i = 0; i < size; ++i) data.push_back(static_cast<char>('a' + i % 26));
      from.objects["src"] = data;
      std::atomic<std::uint64_t> last_progress{0};
      auto options = fast_options(parallel);
      options.on_progress = [&](std::uint64_t done) { last_progress = std::max<std::uint64_t>(last_progress, done); };
      auto stats = copy_object(from, "src", to, "dst", options);
      REQUIRE(stats.ok());
      CHECK(stats->bytes == size);
      CHECK(to.objects.at("dst") == data);
      CHECK(to.committed == 1);
      CHECK(to.aborted == 0);
      CHECK(last_progress == size);
    }
  }
}

TEST_CASE("copy engine: parallel_parts bounds how many parts upload at once") {
  MemoryStore from, to;
  from.objects["src"] = std::string(64, 'x');
  REQUIRE(copy_object(from, "src", to, "dst", fast_options(3)).ok());
  CHECK(to.max_parts_at_once <= 3);
  CHECK(to.max_parts_at_once >= 2);
}

TEST_CASE("copy engine: a destination without parallel parts gets them one at a time, in order") {
  MemoryStore from, to;
  to.parallel_parts = false;
  const std::string data(64, 'y');
  from.objects["src"] = data;
  REQUIRE(copy_object(from, "src", to, "dst", fast_options(4)).ok());
  CHECK(to.max_parts_at_once == 1);
  std::vector<int> expected(to.part_order.size());
  for (std::size_t i = 0; i < expected.size(); ++i) expected[i] = static_cast<int>(i + 1);
  CHECK(expected.size() > 2);
  CHECK(to.part_order == expected);
  CHECK(to.objects.at("dst") == data);
}

TEST_CASE("copy engine: a download that breaks is retried from its part's range") {
  MemoryStore from, to;
  from.objects["src"] = "0123456789abcdefghij";
  from.read_failures = 2;
  auto stats = copy_object(from, "src", to, "dst", fast_options(1));
  REQUIRE(stats.ok());
  CHECK(stats->retries == 2);
  CHECK(to.objects.at("dst") == "0123456789abcdefghij");
}

TEST_CASE("copy engine: an upload part refused once is retried") {
  MemoryStore from, to;
  from.objects["src"] = "0123456789abcdefghij";
  to.failing_part = 3;
  to.write_failures = 1;
  auto stats = copy_object(from, "src", to, "dst", fast_options(3));
  REQUIRE(stats.ok());
  CHECK(stats->retries == 1);
  CHECK(to.objects.at("dst") == "0123456789abcdefghij");
}

TEST_CASE("copy engine: a permanent failure stops the copy, aborts the upload and keeps the cause") {
  MemoryStore from, to;
  from.objects["src"] = std::string(40, 'y');
  to.failing_part = 2;
  to.write_failures = 100;
  to.write_error = ErrorKind::permission;
  auto stats = copy_object(from, "src", to, "dst", fast_options(3));
  REQUIRE_FALSE(stats.ok());
  CHECK(stats.error().kind == ErrorKind::permission);
  CHECK(to.aborted == 1);
  CHECK(to.committed == 0);
  CHECK(to.objects.count("dst") == 0);
}

TEST_CASE("copy engine: a download that keeps failing reports the download's error, not the upload's") {
  MemoryStore from, to;
  from.objects["src"] = std::string(12, 'z');
  from.read_failures = 100;
  from.read_error = ErrorKind::not_found;
  auto stats = copy_object(from, "src", to, "dst", fast_options(1));
  REQUIRE_FALSE(stats.ok());
  CHECK(stats.error().kind == ErrorKind::not_found);
  CHECK(to.aborted == 1);
}

TEST_CASE("copy engine: a missing source object fails before any upload starts") {
  MemoryStore from, to;
  auto stats = copy_object(from, "nope", to, "dst", fast_options(1));
  REQUIRE_FALSE(stats.ok());
  CHECK(stats.error().kind == ErrorKind::not_found);
  CHECK(to.aborted == 0);
}

TEST_CASE("copy engine: a download whose own retries are spent is not retried again by the part (no 8 x 8)") {
  MemoryStore from, to;
  from.objects["src"] = std::string(4, 'q');  // one part
  from.read_failures = 100;
  from.read_exhausted = true;
  auto stats = copy_object(from, "src", to, "dst", fast_options(1));
  REQUIRE_FALSE(stats.ok());
  CHECK(from.reads == 1);
  CHECK(stats.error().retries_exhausted);
  CHECK_FALSE(stats.error().retryable());
  CHECK(to.aborted == 1);
}

TEST_CASE("retries: the loop that gives up marks the error, and a stop ends the wait at once as cancelled") {
  RetryPolicy policy;
  policy.initial_delay = std::chrono::milliseconds(1);
  policy.max_attempts = 3;
  int calls = 0;
  auto failing = [&]() -> Status {
    ++calls;
    return make_error(ErrorKind::transient, "flaky");
  };
  auto result = with_retries(policy, "test", failing);
  CHECK(calls == 3);
  CHECK(result.error().retries_exhausted);
  CHECK(result.error().may_pass());
  CHECK_FALSE(result.error().retryable());

  // A Retry-After of an hour: the stop, requested from another thread, ends the wait.
  policy.max_delay = std::chrono::hours(1);
  calls = 0;
  auto throttled = [&]() -> Status {
    ++calls;
    auto error = make_error(ErrorKind::throttled, "slow down");
    error.retry_after = std::chrono::hours(1);
    return error;
  };
  const auto started = std::chrono::steady_clock::now();
  std::thread stopper([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    process_stop().request();
  });
  auto stopped = with_retries(policy, "test", throttled);
  stopper.join();
  process_stop().reset();
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
  CHECK(calls == 1);
  CHECK(stopped.error().kind == ErrorKind::cancelled);
}
