// The GCS ObjectStore over the JSON API v1: object metadata for sizes, media downloads with
// Range (resumed where a dropped connection stopped), media or resumable uploads.
#include "kbc_storage_extract/decimal.hpp"
#include "kbc_storage_extract/transfer/checksum.hpp"
#include "gcs_store.hpp"

#include <nlohmann/json.hpp>

#include "../ranged_get.hpp"
#include "gcs_connection.hpp"
#include "gcs_uploads.hpp"
#include "kbc_storage_extract/transfer/gcs/addressing.hpp"

namespace kbc::transfer::gcs {
namespace {

class Store final : public ObjectStore {
 public:
  Store(const GcsAccess& access, const ObjectStoreOptions& options) : connection_(std::make_shared<Connection>(access, options)) {}

  Result<std::uint64_t> size(const std::string& key) override {
    auto object = facts(key);
    if (!object) return object.error();
    return object->size;
  }

  Result<ObjectFacts> facts(const std::string& key) override {
    const std::string what = "reading the size of " + connection_->url_of(key);
    auto response =
        connection_->send_retried(connection_->request("GET", connection_->object_url(key, "fields=size,md5Hash")), what);
    if (!response) return response.error();
    const auto body = nlohmann::json::parse(response->body, nullptr, false);
    // The JSON API gives 64-bit numbers as strings.
    if (!body.is_object() || !body.contains("size") || !body["size"].is_string())
      return make_error(ErrorKind::protocol, what + ": the answer has no \"size\"");
    const auto bytes = parse_decimal_u64(body["size"].get_ref<const std::string&>());
    if (!bytes) return make_error(ErrorKind::protocol, what + ": \"size\" is not a number");
    ObjectFacts object{*bytes, {}};
    // Composite objects have no md5Hash (crc32c only).
    if (body.contains("md5Hash") && body["md5Hash"].is_string())
      object.md5 = md5_of_base64(body["md5Hash"].get_ref<const std::string&>()).value_or("");
    return object;
  }

  Status read(const std::string& key, ByteRange range, const ByteSink& sink) override {
    RangedGet get;
    get.what = "reading " + connection_->url_of(key);
    get.make_request = [&] {
      auto request = connection_->request("GET", connection_->object_url(key, "alt=media"));
      // Bytes as stored: no decompressive transcoding of objects stored with Content-Encoding: gzip.
      request.headers.emplace_back("Accept-Encoding", "gzip");
      return request;
    };
    get.send = [&](const http::Request& request) { return connection_->send(request, get.what); };
    get.object_size = [&] { return size(key); };
    get.retry = connection_->options.retry;
    return read_with_resume(get, range, sink);
  }

  Result<std::unique_ptr<ObjectUpload>> begin_upload(const std::string& key, std::uint64_t size) override {
    const auto part_size = choose_part_size(connection_->options.part_size);
    if (size <= part_size) return media_upload(connection_, key, size);
    return start_resumable_upload(connection_, key, size, part_size);
  }

  Status put_small(const std::string& key, std::string_view body) override {
    auto request = connection_->request("POST", connection_->upload_url(key, "media"));
    request.headers.emplace_back("Content-Type", "application/octet-stream");
    request.body = std::string(body);
    auto response = connection_->send_retried(request, "writing " + connection_->url_of(key));
    if (!response) return response.error();
    return {};
  }

  std::string url_of(const std::string& key) const override { return connection_->url_of(key); }

  std::optional<std::string> key_of(std::string_view url) const override {
    const std::string prefix = "gs://" + connection_->access.bucket + "/";
    if (!url.starts_with(prefix) || url.size() == prefix.size()) return std::nullopt;
    return std::string(url.substr(prefix.size()));
  }

  // A resumable session is one ordered stream of chunks.
  StoreCapabilities capabilities() const override { return {.parallel_parts = false}; }

 private:
  std::shared_ptr<Connection> connection_;
};

}  // namespace

std::unique_ptr<ObjectStore> make_store(const GcsAccess& access, const ObjectStoreOptions& options) {
  return std::make_unique<Store>(access, options);
}

}  // namespace kbc::transfer::gcs
