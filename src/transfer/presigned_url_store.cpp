// Reading by pre-signed URL. A URL signed for GET is not valid for HEAD, so the size comes
// from a one-byte ranged GET's Content-Range.
#include "kbc_storage_extract/decimal.hpp"
#include "kbc_storage_extract/transfer/presigned_url.hpp"

#include "kbc_storage_extract/http/client.hpp"
#include "ranged_get.hpp"

namespace kbc::transfer {
namespace {

// The total of "bytes 0-0/12345" or "bytes */0"; nullopt when absent or unreadable.
std::optional<std::uint64_t> total_of_content_range(const std::optional<std::string>& header) {
  if (!header) return std::nullopt;
  const auto slash = header->rfind('/');
  if (slash == std::string::npos || slash + 1 >= header->size()) return std::nullopt;
  return parse_decimal_u64(std::string_view(*header).substr(slash + 1));
}

class PresignedUrlReader final : public ObjectStore {
 public:
  explicit PresignedUrlReader(const ObjectStoreOptions& options) : options_(options), client_(options.limits) {}

  Result<std::uint64_t> size(const std::string& url) override {
    const std::string what = "reading the size of " + http::redact_url(url);
    return with_retries(options_.retry, what, [&]() -> Result<std::uint64_t> {
      http::Request request;
      request.url = url;
      request.headers.emplace_back("Range", "bytes=0-0");
      std::size_t received = 0;
      request.download_sink = [&](const char*, std::size_t size) { return (received += size) <= 1; };
      auto response = client_.send(request);
      if (!response) {
        if (response.error().kind == ErrorKind::cancelled)
          return make_error(ErrorKind::protocol, what + ": the server ignored the Range header");
        response.error().message = what + ": " + response.error().message;
        return response.error();
      }
      if (response->status == 206 || response->status == 416) {
        if (auto total = total_of_content_range(response->header("content-range"))) return *total;
      }
      if (response->status == 200) return static_cast<std::uint64_t>(received);  // an object of at most one byte
      if (response->status >= 200 && response->status < 300)
        return make_error(ErrorKind::protocol, what + ": the answer has no valid Content-Range");
      return http::error_from_response(*response, what);
    });
  }

  Status read(const std::string& url, ByteRange range, const ByteSink& sink) override {
    RangedGet get;
    get.what = "reading " + http::redact_url(url);
    get.make_request = [&] {
      http::Request request;
      request.url = url;
      return request;
    };
    get.send = [&](const http::Request& request) -> Result<http::Response> {
      auto response = client_.send(request);
      if (!response) {
        response.error().message = get.what + ": " + response.error().message;
        return response.error();
      }
      if (response->status < 200 || response->status >= 300) return http::error_from_response(*response, get.what);
      return response;
    };
    get.object_size = [&] { return size(url); };
    get.retry = options_.retry;
    return read_with_resume(get, range, sink);
  }

  Result<std::unique_ptr<ObjectUpload>> begin_upload(const std::string& url, std::uint64_t) override {
    return read_only(url);
  }
  Status put_small(const std::string& url, std::string_view) override { return read_only(url); }
  // Its keys are URLs already; it cannot resolve a manifest's provider URLs (s3://…).
  std::string url_of(const std::string& url) const override { return http::redact_url(url); }
  std::optional<std::string> key_of(std::string_view) const override { return std::nullopt; }

 private:
  static Error read_only(const std::string& url) {
    return make_error(ErrorKind::internal, "cannot write to " + http::redact_url(url) + ": a pre-signed URL reader is read-only");
  }

  ObjectStoreOptions options_;
  http::Client client_;
};

}  // namespace

std::unique_ptr<ObjectStore> open_presigned_url_reader(const ObjectStoreOptions& options) {
  return std::make_unique<PresignedUrlReader>(options);
}

}  // namespace kbc::transfer
