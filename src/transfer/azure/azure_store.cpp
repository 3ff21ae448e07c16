// The Azure Blob ObjectStore over the Blob REST API with the SAS the Storage API hands out:
// Get Blob Properties for sizes, Get Blob with Range (resumed where a dropped connection
// stopped), Put Blob or blocks + Put Block List.
#include "kbc_storage_extract/decimal.hpp"
#include "kbc_storage_extract/transfer/checksum.hpp"
#include "azure_store.hpp"

#include "../ranged_get.hpp"
#include "azure_connection.hpp"
#include "azure_uploads.hpp"

namespace kbc::transfer::azure {
namespace {

class Store final : public ObjectStore {
 public:
  explicit Store(std::shared_ptr<Connection> connection) : connection_(std::move(connection)) {}

  Result<std::uint64_t> size(const std::string& blob) override {
    auto object = facts(blob);
    if (!object) return object.error();
    return object->size;
  }

  Result<ObjectFacts> facts(const std::string& blob) override {
    const std::string what = "reading the size of " + connection_->url_of(blob);
    auto response = connection_->send_retried(connection_->request("HEAD", blob), what);
    if (!response) return response.error();
    const auto length = response->header("content-length");
    const auto bytes = length ? parse_decimal_u64(*length) : std::nullopt;
    if (!bytes) return make_error(ErrorKind::protocol, what + ": the answer has no valid Content-Length");
    ObjectFacts object{*bytes, {}};
    if (const auto md5 = response->header("content-md5")) object.md5 = md5_of_base64(*md5).value_or("");
    return object;
  }

  Status read(const std::string& blob, ByteRange range, const ByteSink& sink) override {
    RangedGet get;
    get.what = "reading " + connection_->url_of(blob);
    get.make_request = [&] { return connection_->request("GET", blob); };
    get.send = [&](const http::Request& request) { return connection_->send(request, get.what); };
    get.object_size = [&] { return size(blob); };
    get.retry = connection_->options.retry;
    return read_with_resume(get, range, sink);
  }

  Result<std::unique_ptr<ObjectUpload>> begin_upload(const std::string& blob, std::uint64_t size) override {
    const auto part_size = choose_part_size(size, connection_->options.part_size);
    if (size <= part_size) return put_blob_upload(connection_, blob, size);
    return block_upload(connection_, blob, size, part_size);
  }

  Status put_small(const std::string& blob, std::string_view body) override {
    auto request = connection_->request("PUT", blob);
    request.headers.emplace_back("x-ms-blob-type", "BlockBlob");
    request.headers.emplace_back("Content-Type", "application/octet-stream");
    request.body = std::string(body);
    auto response = connection_->send_retried(request, "writing " + connection_->url_of(blob));
    if (!response) return response.error();
    return {};
  }

  std::string url_of(const std::string& blob) const override { return connection_->url_of(blob); }

  std::optional<std::string> key_of(std::string_view url) const override {
    const std::string prefix = manifest_prefix(connection_->account, connection_->access.container);
    if (!url.starts_with(prefix) || url.size() == prefix.size()) return std::nullopt;
    return std::string(url.substr(prefix.size()));
  }

 private:
  std::shared_ptr<Connection> connection_;
};

}  // namespace

Result<std::unique_ptr<ObjectStore>> make_store(const AzureAccess& access, const ObjectStoreOptions& options) {
  auto sas = sas_connection(access, options.endpoint);  // refuse a broken connection string now, not per request
  if (!sas) return sas.error();
  if (access.container.empty())
    return make_error(ErrorKind::protocol, "the Azure file has no container", "check that the URL points at a Keboola Storage API");
  return std::unique_ptr<ObjectStore>(std::make_unique<Store>(std::make_shared<Connection>(access, std::move(*sas), options)));
}

}  // namespace kbc::transfer::azure
