// Uploads into S3. Objects of at most one part go up in a single PUT; larger ones as a
// multipart upload whose parts may be written from several threads at once.
#include "s3_uploads.hpp"

#include "../upload_parts.hpp"

#include <atomic>
#include <mutex>
#include <vector>

#include <spdlog/spdlog.h>

#include "kbc_storage_extract/transfer/s3/sigv4.hpp"
#include "kbc_storage_extract/transfer/s3/errors.hpp"

namespace kbc::transfer::s3 {
namespace {

std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

// A streamed PUT: the source is read once, so a failed attempt is not retried here.
Result<http::Response> put_streamed(Connection& connection, http::Request request, std::uint64_t length,
                                    const ByteSource& source, const std::string& what) {
  request.upload_length = length;
  request.upload_source = source;
  return connection.send(request, what);
}

class MultipartUpload final : public ObjectUpload {
 public:
  MultipartUpload(std::shared_ptr<Connection> connection, std::string key, std::uint64_t size, std::uint64_t part_size,
                  std::string upload_id)
      : connection_(std::move(connection)), key_(std::move(key)), size_(size), part_size_(part_size),
        upload_id_(std::move(upload_id)), etags_(static_cast<std::size_t>((size + part_size - 1) / part_size)) {}

  ~MultipartUpload() override {
    if (!committed_) abort();  // never leave parts behind that the bucket owner pays for
  }

  std::uint64_t part_size() const override { return part_size_; }
  int part_count() const override { return static_cast<int>(etags_.size()); }

  Status write_part(int number, std::uint64_t length, const ByteSource& source) override {
    const std::string what = "writing part " + std::to_string(number) + " of " + connection_->url_of(key_);
    if (auto ok = check_part(number, length, part_size_, size_, what); !ok) return ok;
    auto request = connection_->request("PUT", key_, "partNumber=" + std::to_string(number) + "&uploadId=" + encoded_id());
    auto response = put_streamed(*connection_, std::move(request), length, source, what);
    if (!response) return response.error();
    auto etag = response->header("etag");
    if (!etag || etag->empty()) return make_error(ErrorKind::protocol, what + ": the answer has no ETag");
    std::lock_guard lock(mutex_);
    etags_[static_cast<std::size_t>(number - 1)] = *etag;
    return {};
  }

  Status commit() override {
    const std::string what = "completing the upload of " + connection_->url_of(key_);
    std::string body = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
    {
      std::lock_guard lock(mutex_);
      for (std::size_t i = 0; i < etags_.size(); ++i) {
        if (etags_[i].empty()) return make_error(ErrorKind::internal, what + ": part " + std::to_string(i + 1) + " was never written");
        body += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>" + xml_escape(etags_[i]) + "</ETag></Part>";
      }
    }
    body += "</CompleteMultipartUpload>";
    auto request = connection_->request("POST", key_, "uploadId=" + encoded_id());
    request.headers.emplace_back("Content-Type", "application/xml");
    request.body = std::move(body);
    auto response = connection_->send_retried(request, what);
    if (!response) return response.error();
    // S3 may answer 200 and still report a failure in the body.
    if (response->body.find("<Error>") != std::string::npos) {
      http::Response failed = *response;
      failed.status = 500;
      return to_error(failed, what);
    }
    committed_ = true;
    return {};
  }

  void abort() noexcept override {
    if (committed_ || aborted_.exchange(true)) return;
    try {
      const CleanupScope cleanup;  // also after a stop: leave no parts behind
      const std::string what = "aborting the upload of " + connection_->url_of(key_);
      auto response = connection_->send_retried(connection_->request("DELETE", key_, "uploadId=" + encoded_id()), what);
      if (!response && response.error().kind != ErrorKind::not_found) spdlog::warn("{}", response.error().describe());
    } catch (...) {
    }
  }

 private:
  std::string encoded_id() const { return sigv4::uri_encode(upload_id_, false); }

  std::shared_ptr<Connection> connection_;
  std::string key_;
  std::uint64_t size_;
  std::uint64_t part_size_;
  std::string upload_id_;
  std::mutex mutex_;
  std::vector<std::string> etags_;
  bool committed_ = false;
  std::atomic<bool> aborted_{false};
};

}  // namespace

void add_encryption_header(const Connection& connection, http::Request& request) {
  if (connection.access.server_side_encryption) request.headers.emplace_back("x-amz-server-side-encryption", "AES256");
}

std::unique_ptr<ObjectUpload> single_put_upload(std::shared_ptr<Connection> connection, std::string key, std::uint64_t size) {
  const std::string name = connection->url_of(key);
  auto write = [connection, key, name](std::uint64_t length, const ByteSource& source) -> Status {
    auto request = connection->request("PUT", key);
    add_encryption_header(*connection, request);
    auto response = put_streamed(*connection, std::move(request), length, source, "writing " + name);
    if (!response) return response.error();
    return {};
  };
  auto remove = [connection, key, name]() -> Status {
    auto response = connection->send(connection->request("DELETE", key), "removing " + name);
    if (!response) return response.error();
    return {};
  };
  return std::make_unique<SingleRequestUpload>(name, size, std::move(write), std::move(remove));
}

Result<std::unique_ptr<ObjectUpload>> start_multipart_upload(std::shared_ptr<Connection> connection, std::string key,
                                                             std::uint64_t size, std::uint64_t part_size) {
  const std::string what = "starting the upload of " + connection->url_of(key);
  auto request = connection->request("POST", key, "uploads");
  add_encryption_header(*connection, request);
  auto response = connection->send_retried(request, what);
  if (!response) return response.error();
  auto upload_id = http::xml_field(response->body, "UploadId");
  if (upload_id.empty()) return make_error(ErrorKind::protocol, what + ": the answer has no UploadId");
  return std::unique_ptr<ObjectUpload>(
      std::make_unique<MultipartUpload>(std::move(connection), std::move(key), size, part_size, std::move(upload_id)));
}

}  // namespace kbc::transfer::s3
