// The S3 ObjectStore: HEAD for sizes, (ranged) GET streamed to the caller, PUT or multipart
// uploads. Reads resume where a dropped connection stopped, so a retry never re-sends bytes
// the caller already has.
#include <spdlog/spdlog.h>

#include "kbc_storage_extract/transfer/s3.hpp"
#include "s3_connection.hpp"
#include "s3_store.hpp"
#include "s3_uploads.hpp"

namespace kbc::transfer::s3 {
namespace {

class Store final : public ObjectStore {
 public:
  Store(const AwsAccess& access, const ObjectStoreOptions& options) : connection_(std::make_shared<Connection>(access, options)) {}

  Result<std::uint64_t> size(const std::string& key) override {
    const std::string what = "reading the size of " + connection_->describe(key);
    auto response = connection_->send_retried(connection_->request("HEAD", key), what);
    if (!response) return explain_head_failure(key, what, std::move(response.error()));
    const auto length = response->header("content-length");
    if (!length || length->empty() || length->find_first_not_of("0123456789") != std::string::npos)
      return make_error(ErrorKind::protocol, what + ": the answer has no valid Content-Length");
    return static_cast<std::uint64_t>(std::stoull(*length));
  }

  Status read(const std::string& key, ByteRange range, const ByteSink& sink) override {
    const std::string what = "reading " + connection_->describe(key);
    std::uint64_t received = 0;
    std::optional<std::uint64_t> total;  // bytes wanted; unknown for a whole-object read until needed
    if (range.length > 0) total = range.length;
    for (int attempt = 1;; ++attempt) {
      auto status = read_once(key, range, received, total, sink, what);
      if (status.ok()) return status;
      const auto delay = connection_->options.retry.next_delay(attempt, status.error());
      if (!delay) return status;
      if (!total && received > 0) {
        // Resuming needs to know where the object ends.
        auto whole = size(key);
        if (!whole) return whole.error();
        total = *whole - range.offset;
      }
      spdlog::warn("{} failed after {} bytes (attempt {} of {}): {}; resuming in {} ms", what, received, attempt,
                   connection_->options.retry.max_attempts, status.error().describe(), delay->count());
      std::this_thread::sleep_for(*delay);
    }
  }

  Result<std::unique_ptr<ObjectUpload>> begin_upload(const std::string& key, std::uint64_t size) override {
    const auto part_size = choose_part_size(size, connection_->options.part_size);
    if (size <= part_size) return single_put_upload(connection_, key, size);
    return start_multipart_upload(connection_, key, size, part_size);
  }

  Status put_small(const std::string& key, std::string_view body) override {
    auto request = connection_->request("PUT", key);
    request.body = std::string(body);
    add_encryption_header(*connection_, request);
    auto response = connection_->send_retried(request, "writing " + connection_->describe(key));
    if (!response) return response.error();
    return {};
  }

 private:
  // One GET of what is still missing: bytes [offset + received, offset + total).
  Status read_once(const std::string& key, ByteRange range, std::uint64_t& received, std::optional<std::uint64_t> total,
                   const ByteSink& sink, const std::string& what) {
    if (total && received == *total) return {};
    auto request = connection_->request("GET", key);
    const std::uint64_t first = range.offset + received;
    if (total) request.headers.emplace_back("Range", "bytes=" + std::to_string(first) + "-" + std::to_string(range.offset + *total - 1));
    else if (first > 0) request.headers.emplace_back("Range", "bytes=" + std::to_string(first) + "-");
    bool overrun = false;
    request.download_sink = [&](const char* data, std::size_t size) {
      if (total && received + size > *total) {
        overrun = true;  // the server ignored the Range: never hand the caller bytes it did not ask for
        return false;
      }
      received += size;
      return sink(data, size);
    };
    auto response = connection_->send(request, what);
    if (overrun) return make_error(ErrorKind::protocol, what + ": the server sent more bytes than the requested range");
    if (!response) return response.error();
    if (total && received != *total)
      return make_error(ErrorKind::transient, what + ": the answer ended after " + std::to_string(received) + " of " +
                                                  std::to_string(*total) + " bytes");
    return {};
  }

  // A HEAD answer has no body, so S3's error code is missing; a one-byte GET tells why.
  Error explain_head_failure(const std::string& key, const std::string& what, Error error) {
    if (error.http_status < 400 || error.http_status == 404 || error.http_status >= 500 || !error.api_code.empty()) return error;
    auto probe = connection_->request("GET", key);
    probe.headers.emplace_back("Range", "bytes=0-0");
    probe.download_sink = [](const char*, std::size_t) { return true; };
    auto response = connection_->send(probe, what);
    if (!response && !response.error().api_code.empty()) return std::move(response.error());
    return error;
  }

  std::shared_ptr<Connection> connection_;
};

}  // namespace

std::unique_ptr<ObjectStore> make_store(const AwsAccess& access, const ObjectStoreOptions& options) {
  return std::make_unique<Store>(access, options);
}

}  // namespace kbc::transfer::s3
