// The S3 ObjectStore: HEAD for sizes, (ranged) GET streamed to the caller, PUT or multipart
// uploads. Reads resume where a dropped connection stopped, so a retry never re-sends bytes
// the caller already has.
#include "kbc_storage_extract/decimal.hpp"
#include "kbc_storage_extract/transfer/s3/addressing.hpp"
#include "kbc_storage_extract/transfer/checksum.hpp"
#include "../ranged_get.hpp"
#include "s3_connection.hpp"
#include "s3_store.hpp"
#include "s3_uploads.hpp"

namespace kbc::transfer::s3 {
namespace {

class Store final : public ObjectStore {
 public:
  Store(const AwsAccess& access, const ObjectStoreOptions& options) : connection_(std::make_shared<Connection>(access, options)) {}

  Result<std::uint64_t> size(const std::string& key) override {
    auto object = facts(key);
    if (!object) return object.error();
    return object->size;
  }

  Result<ObjectFacts> facts(const std::string& key) override {
    const std::string what = "reading the size of " + connection_->url_of(key);
    auto response = connection_->send_retried(connection_->request("HEAD", key), what);
    if (!response) return explain_head_failure(key, what, std::move(response.error()));
    const auto length = response->header("content-length");
    const auto bytes = length ? parse_decimal_u64(*length) : std::nullopt;
    if (!bytes) return make_error(ErrorKind::protocol, what + ": the answer has no valid Content-Length");
    ObjectFacts object{*bytes, {}};
    if (const auto etag = response->header("etag")) {
      const auto sse = response->header("x-amz-server-side-encryption");
      const bool sse_customer = response->header("x-amz-server-side-encryption-customer-algorithm").has_value();
      object.md5 = md5_of_s3_etag(*etag, sse ? *sse : "", sse_customer).value_or("");
    }
    return object;
  }

  Status read(const std::string& key, ByteRange range, const ByteSink& sink) override {
    RangedGet get;
    get.make_request = [&] { return connection_->request("GET", key); };
    get.what = "reading " + connection_->url_of(key);
    get.send = [&](const http::Request& request) { return connection_->send(request, get.what); };
    get.object_size = [&] { return size(key); };
    get.retry = connection_->options.retry;
    return read_with_resume(get, range, sink);
  }

  Result<std::unique_ptr<ObjectUpload>> begin_upload(const std::string& key, std::uint64_t size) override {
    const auto part_size = choose_part_size(size, connection_->options.part_size);
    if (size <= part_size) return single_put_upload(connection_, key, size);
    return start_multipart_upload(connection_, key, size, part_size);
  }

  std::string url_of(const std::string& key) const override { return connection_->url_of(key); }

  std::optional<std::string> key_of(std::string_view url) const override {
    const std::string prefix = "s3://" + connection_->access.bucket + "/";
    if (!url.starts_with(prefix) || url.size() == prefix.size()) return std::nullopt;
    return std::string(url.substr(prefix.size()));
  }

  Status put_small(const std::string& key, std::string_view body) override {
    auto request = connection_->request("PUT", key);
    request.body = std::string(body);
    add_encryption_header(*connection_, request);
    auto response = connection_->send_retried(request, "writing " + connection_->url_of(key));
    if (!response) return response.error();
    return {};
  }

 private:
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
