// Uploads into GCS. A resumable session is written in order, one chunk per part: the server
// says in each 308 answer how many bytes it has persisted, and after a cut the part is
// written again from that offset, so bytes the server kept are not sent twice. The session
// URI is the upload's credential (no bearer token on its requests), so an upload outlives the
// hour-long access token that started it.
#include "kbc_storage_extract/decimal.hpp"
#include "gcs_uploads.hpp"

#include "../upload_parts.hpp"

#include <spdlog/spdlog.h>

#include <mutex>

namespace kbc::transfer::gcs {
namespace {

// Pull and drop `count` bytes of `source`: bytes the server already has.
bool skip(const ByteSource& source, std::uint64_t count) {
  char buffer[64 * 1024];
  while (count > 0) {
    const std::size_t got = source(buffer, static_cast<std::size_t>(std::min<std::uint64_t>(sizeof buffer, count)));
    if (got == 0) return false;
    count -= got;
  }
  return true;
}

// "bytes=0-1048575" -> 1048576 persisted bytes; no header -> 0.
std::optional<std::uint64_t> persisted_of(const http::Response& response) {
  const auto range = response.header("range");
  if (!range) return 0;
  const auto dash = range->find('-');
  if (range->rfind("bytes=", 0) != 0 || dash == std::string::npos) return std::nullopt;
  const auto last = parse_decimal_u64(std::string_view(*range).substr(dash + 1));
  if (!last || *last == UINT64_MAX) return std::nullopt;
  return *last + 1;
}

class ResumableUpload final : public ObjectUpload {
 public:
  ResumableUpload(std::shared_ptr<Connection> connection, std::string key, std::uint64_t size, std::uint64_t part_size,
                  std::string session)
      : connection_(std::move(connection)), key_(std::move(key)), size_(size), part_size_(part_size),
        session_(std::move(session)) {}

  ~ResumableUpload() override {
    if (!committed_) abort();  // a session left open holds the bytes until it expires
  }

  std::uint64_t part_size() const override { return part_size_; }
  int part_count() const override { return static_cast<int>((size_ + part_size_ - 1) / part_size_); }

  Status write_part(int number, std::uint64_t length, const ByteSource& source) override {
    std::lock_guard lock(mutex_);  // one chunk at a time: the session is a single stream
    const std::string what = "writing part " + std::to_string(number) + " of " + connection_->url_of(key_);
    if (auto ok = check_part(number, length, part_size_, size_, what); !ok) return ok;
    const std::uint64_t offset = static_cast<std::uint64_t>(number - 1) * part_size_;
    const std::uint64_t end = offset + length;

    if (persisted_ != offset || unsure_) {
      auto status = query_persisted(what);
      if (!status) return status;
    }
    if (persisted_ < offset)
      return make_error(ErrorKind::protocol, what + ": the upload session has only " + std::to_string(persisted_) +
                                                 " bytes, parts before this one are missing");
    if (persisted_ >= end) return skip(source, length) ? Status{} : cancelled(what);
    if (!skip(source, persisted_ - offset)) return cancelled(what);

    auto request = unauthorised("PUT");
    request.headers.emplace_back("Content-Range", "bytes " + std::to_string(persisted_) + "-" + std::to_string(end - 1) +
                                                      "/" + std::to_string(size_));
    request.upload_length = end - persisted_;
    request.upload_source = source;
    auto response = connection_->send_to_session(request, what, {308});
    if (!response) {
      unsure_ = true;  // the server may have kept part of what was sent: ask before the next try
      return response.error();
    }
    return take_answer(*response, end, what);
  }

  Status commit() override {
    std::lock_guard lock(mutex_);
    if (!complete_)
      return make_error(ErrorKind::internal, "completing the upload of " + connection_->url_of(key_) + ": " +
                                                 std::to_string(persisted_) + " of " + std::to_string(size_) + " bytes were written");
    committed_ = true;
    return {};
  }

  // Before the last chunk: cancel the session (GCS answers 499). After it the object already
  // exists (GCS finalises with the last chunk), so it is removed.
  void abort() noexcept override {
    if (committed_ || aborted_.exchange(true)) return;
    try {
      const CleanupScope cleanup;  // also after a stop: leave no parts behind
      const bool complete = complete_;
      auto response = complete ? connection_->send(connection_->request("DELETE", connection_->object_url(key_)),
                                                   "removing " + connection_->url_of(key_))
                               : connection_->send_to_session(unauthorised("DELETE"),
                                                              "cancelling the upload of " + connection_->url_of(key_), {499});
      if (!response && response.error().kind != ErrorKind::not_found) spdlog::warn("{}", response.error().describe());
    } catch (...) {
    }
  }

 private:
  http::Request unauthorised(const std::string& method) const {
    http::Request request;
    request.method = method;
    request.url = session_;
    return request;
  }

  static Error cancelled(const std::string& what) { return make_error(ErrorKind::cancelled, what + ": the source stopped"); }

  // "bytes */TOTAL": how much the session has; 200/201 when it is already complete.
  Status query_persisted(const std::string& what) {
    auto request = unauthorised("PUT");
    request.headers.emplace_back("Content-Range", "bytes */" + std::to_string(size_));
    auto response = with_retries(connection_->options.retry, what, [&] { return connection_->send_to_session(request, what, {308}); });
    if (!response) return response.error();
    return take_answer(*response, std::nullopt, what);
  }

  // A 308 says how many bytes are persisted; 200/201 that the object is complete. With
  // `wanted`, fewer persisted bytes than that are a transient failure of this part.
  Status take_answer(const http::Response& response, std::optional<std::uint64_t> wanted, const std::string& what) {
    if (response.status == 308) {
      const auto persisted = persisted_of(response);
      if (!persisted) return make_error(ErrorKind::protocol, what + ": the answer's Range header cannot be read");
      persisted_ = *persisted;
      unsure_ = false;
      if (wanted && persisted_ < *wanted) {
        unsure_ = true;
        return make_error(ErrorKind::transient, what + ": the server kept " + std::to_string(persisted_) + " of " +
                                                    std::to_string(*wanted) + " bytes; the rest is sent again");
      }
      return {};
    }
    persisted_ = size_;  // 200/201: the object exists with every byte
    complete_ = true;
    unsure_ = false;
    if (wanted && *wanted != size_)
      return make_error(ErrorKind::protocol, what + ": the server completed the object before its last part");
    return {};
  }

  std::shared_ptr<Connection> connection_;
  std::string key_;
  std::uint64_t size_;
  std::uint64_t part_size_;
  std::string session_;
  std::mutex mutex_;
  std::uint64_t persisted_ = 0;
  bool unsure_ = false;
  bool complete_ = false;   // the server has every byte: the object exists
  bool committed_ = false;  // commit() accepted it
  std::atomic<bool> aborted_{false};
};

}  // namespace

std::unique_ptr<ObjectUpload> media_upload(std::shared_ptr<Connection> connection, std::string key, std::uint64_t size) {
  const std::string name = connection->url_of(key);
  auto write = [connection, key, name](std::uint64_t length, const ByteSource& source) -> Status {
    auto request = connection->request("POST", connection->upload_url(key, "media"));
    request.headers.emplace_back("Content-Type", "application/octet-stream");
    if (length > 0) {  // else an empty body, not a source that stops at once
      request.upload_length = length;
      request.upload_source = source;
    }
    auto response = connection->send(request, "writing " + name);
    if (!response) return response.error();
    return {};
  };
  auto remove = [connection, key, name]() -> Status {
    auto response = connection->send(connection->request("DELETE", connection->object_url(key)), "removing " + name);
    if (!response) return response.error();
    return {};
  };
  return std::make_unique<SingleRequestUpload>(name, size, std::move(write), std::move(remove));
}

Result<std::unique_ptr<ObjectUpload>> start_resumable_upload(std::shared_ptr<Connection> connection, std::string key,
                                                             std::uint64_t size, std::uint64_t part_size) {
  const std::string what = "starting the upload of " + connection->url_of(key);
  auto request = connection->request("POST", connection->upload_url(key, "resumable"));
  request.headers.emplace_back("Content-Type", "application/json; charset=UTF-8");
  request.headers.emplace_back("X-Upload-Content-Type", "application/octet-stream");
  request.headers.emplace_back("X-Upload-Content-Length", std::to_string(size));
  request.body = "{}";
  auto response = connection->send_retried(request, what);
  if (!response) return response.error();
  auto session = response->header("location");
  if (!session || session->empty()) return make_error(ErrorKind::protocol, what + ": the answer has no Location (session URI)");
  return std::unique_ptr<ObjectUpload>(
      std::make_unique<ResumableUpload>(std::move(connection), std::move(key), size, part_size, std::move(*session)));
}

}  // namespace kbc::transfer::gcs
