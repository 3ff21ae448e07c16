#include "azure/azure_blob_store.hpp"

#include <httplib.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <vector>

namespace kbc::emulator::azure {

namespace {

// The REST version of the emulator's own requests (any version azurite 3.x accepts).
constexpr const char* kRestVersion = "2021-08-06";
constexpr std::chrono::seconds kOwnSasTtl{15 * 60};
constexpr std::size_t kErrorBodyLimit = 4096;

std::string status_text(const httplib::Result& result) {
  if (!result) return "no answer (" + httplib::to_string(result.error()) + ")";
  return "HTTP " + std::to_string(result->status) + " " + result->body.substr(0, kErrorBodyLimit);
}

// The blob service's error code (x-ms-error-code) or the XML <Code>.
std::string error_code(const httplib::Response& response) {
  auto code = response.get_header_value("x-ms-error-code");
  if (!code.empty()) return code;
  auto start = response.body.find("<Code>");
  auto end = response.body.find("</Code>");
  if (start != std::string::npos && end != std::string::npos && end > start) return response.body.substr(start + 6, end - start - 6);
  return "";
}

}  // namespace

AzureBlobStore::AzureBlobStore(BlobStoreConfig config)
    : config_(std::move(config)), signer_(config_.account, config_.account_key) {
  while (!config_.endpoint.empty() && config_.endpoint.back() == '/') config_.endpoint.pop_back();
  const bool tls = config_.endpoint.rfind("https://", 0) == 0;
  const std::string scheme = tls ? "https://" : "http://";
  if (config_.endpoint.rfind(scheme, 0) != 0) {
    throw std::invalid_argument("--azure-blob-endpoint " + config_.endpoint + " is not an http://host:port[/account] URL");
  }
  if (tls) port_ = 443;
  auto rest = config_.endpoint.substr(scheme.size());
  auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  base_path_ = slash == std::string::npos ? "" : rest.substr(slash);
  auto colon = authority.rfind(':');
  host_ = authority.substr(0, colon);
  if (colon != std::string::npos) {
    try {
      port_ = std::stoi(authority.substr(colon + 1));
    } catch (const std::exception&) {
      throw std::invalid_argument("--azure-blob-endpoint " + config_.endpoint + ": bad port");
    }
  }
  if (host_.empty() || port_ <= 0 || port_ > 65535) {
    throw std::invalid_argument("--azure-blob-endpoint " + config_.endpoint + " is not an http://host:port[/account] URL");
  }
  origin_ = scheme + host_ + ":" + std::to_string(port_);
  if (config_.block_size == 0) config_.block_size = 4ull * 1024 * 1024;
}

namespace {

std::unique_ptr<httplib::Client> make_client(const std::string& origin) {
  auto client = std::make_unique<httplib::Client>(origin);
  client->set_connection_timeout(5);
  client->set_read_timeout(120);
  client->set_write_timeout(120);
  client->set_url_encode(false);  // paths and queries are encoded here
  client->set_keep_alive(false);
  return client;
}

httplib::Headers headers(std::initializer_list<std::pair<std::string, std::string>> more = {}) {
  httplib::Headers out{{"x-ms-version", kRestVersion}};
  for (const auto& [name, value] : more) out.emplace(name, value);
  return out;
}

// Streams [start, start+length) of a file as a request body, a bounded buffer at a time.
httplib::ContentProvider file_range(const std::filesystem::path& path, std::uint64_t start) {
  auto file = std::make_shared<std::ifstream>(path, std::ios::binary);
  if (!*file) throw std::runtime_error("cannot read " + path.string());
  return [file, start](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
    std::vector<char> buffer(std::min<std::size_t>(length, 256 * 1024));
    file->clear();
    file->seekg(static_cast<std::streamoff>(start + offset));
    file->read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    auto got = static_cast<std::size_t>(file->gcount());
    if (got == 0) return false;
    return sink.write(buffer.data(), got);
  };
}

std::string block_id(int index) {
  char text[32];
  std::snprintf(text, sizeof text, "block-%06d", index % 1000000);
  return base64_encode(text);
}

}  // namespace

std::string AzureBlobStore::path_of(const std::string& container, const std::string& blob) const {
  return base_path_ + "/" + url_encode(container) + (blob.empty() ? "" : "/" + url_encode(blob, true));
}

void AzureBlobStore::check_reachable() const {
  auto client = make_client(origin_);
  auto result = client->Get(base_path_ + "/?comp=list&maxresults=1&" + signer_.account_sas(kOwnSasTtl), headers());
  if (!result) {
    throw std::runtime_error("the Azure blob endpoint " + config_.endpoint + " (--azure-blob-endpoint) does not answer: " +
                             httplib::to_string(result.error()));
  }
  if (result->status == 403) {
    throw std::runtime_error("the Azure blob endpoint " + config_.endpoint + " refuses account " + config_.account +
                             " with this key (--azure-account, --azure-account-key): " + status_text(result));
  }
  if (result->status != 200) {
    throw std::runtime_error("the Azure blob endpoint " + config_.endpoint +
                             " (--azure-blob-endpoint) does not list containers: " + status_text(result));
  }
}

void AzureBlobStore::create_container(const std::string& container) const {
  auto client = make_client(origin_);
  auto result = client->Put(path_of(container, "") + "?restype=container&" + signer_.account_sas(kOwnSasTtl),
                            headers(), "", "text/plain");
  if (result && (result->status == 201 || (result->status == 409 && error_code(*result) == "ContainerAlreadyExists"))) return;
  throw BlobError(result ? result->status : 0, "creating container " + container + ": " + status_text(result));
}

void AzureBlobStore::delete_container(const std::string& container) const {
  auto client = make_client(origin_);
  auto result = client->Delete(path_of(container, "") + "?restype=container&" + signer_.account_sas(kOwnSasTtl), headers());
  if (result && (result->status == 202 || result->status == 404)) return;
  throw BlobError(result ? result->status : 0, "deleting container " + container + ": " + status_text(result));
}

void AzureBlobStore::put_text(const std::string& container, const std::string& blob, const std::string& text,
                              const std::string& content_type) const {
  auto client = make_client(origin_);
  auto result = client->Put(path_of(container, blob) + "?" + signer_.account_sas(kOwnSasTtl),
                            headers({{"x-ms-blob-type", "BlockBlob"}}), text, content_type);
  if (!result || result->status != 201) {
    throw BlobError(result ? result->status : 0, "uploading blob " + container + "/" + blob + ": " + status_text(result));
  }
}

void AzureBlobStore::put_file(const std::string& container, const std::string& blob, const std::filesystem::path& path,
                              const std::string& content_type) const {
  const auto size = std::filesystem::file_size(path);
  auto client = make_client(origin_);
  const auto where = container + "/" + blob;
  if (size <= config_.block_size) {
    httplib::Result result = size == 0
        ? client->Put(path_of(container, blob) + "?" + signer_.account_sas(kOwnSasTtl),
                      headers({{"x-ms-blob-type", "BlockBlob"}}), "", content_type)
        : client->Put(path_of(container, blob) + "?" + signer_.account_sas(kOwnSasTtl),
                      headers({{"x-ms-blob-type", "BlockBlob"}}), static_cast<std::size_t>(size), file_range(path, 0),
                      content_type);
    if (!result || result->status != 201) {
      throw BlobError(result ? result->status : 0, "uploading blob " + where + ": " + status_text(result));
    }
    return;
  }
  int blocks = 0;
  for (std::uint64_t start = 0; start < size; start += config_.block_size, ++blocks) {
    const auto length = std::min<std::uint64_t>(config_.block_size, size - start);
    auto result = client->Put(path_of(container, blob) + "?comp=block&blockid=" + url_encode(block_id(blocks)) + "&" +
                                  signer_.account_sas(kOwnSasTtl),
                              headers(), static_cast<std::size_t>(length), file_range(path, start),
                              "application/octet-stream");
    if (!result || result->status != 201) {
      throw BlobError(result ? result->status : 0,
                      "uploading block " + std::to_string(blocks) + " of blob " + where + ": " + status_text(result));
    }
  }
  put_block_list(container, blob, blocks, content_type);
}

void AzureBlobStore::put_block_list(const std::string& container, const std::string& blob, int blocks,
                                    const std::string& content_type) const {
  std::string body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>";
  for (int i = 0; i < blocks; ++i) body += "<Latest>" + block_id(i) + "</Latest>";
  body += "</BlockList>";
  auto client = make_client(origin_);
  auto result = client->Put(path_of(container, blob) + "?comp=blocklist&" + signer_.account_sas(kOwnSasTtl),
                            headers({{"x-ms-blob-content-type", content_type}}), body, "application/xml");
  if (!result || result->status != 201) {
    throw BlobError(result ? result->status : 0,
                    "committing the block list of blob " + container + "/" + blob + ": " + status_text(result));
  }
}

bool AzureBlobStore::download(const std::string& container, const std::string& blob,
                              const std::filesystem::path& path) const {
  auto client = make_client(origin_);
  int status = 0;
  std::string error_body;
  std::ofstream out;
  auto result = client->Get(
      path_of(container, blob) + "?" + signer_.account_sas(kOwnSasTtl), headers(),
      [&](const httplib::Response& response) {
        status = response.status;
        if (status == 200) {
          out.open(path, std::ios::binary | std::ios::trunc);
          if (!out) return false;
        }
        return true;
      },
      [&](const char* data, std::size_t size) {
        if (status == 200) {
          out.write(data, static_cast<std::streamsize>(size));
          return static_cast<bool>(out);
        }
        if (error_body.size() < kErrorBodyLimit) error_body.append(data, std::min(size, kErrorBodyLimit));
        return true;
      });
  out.close();
  const auto where = container + "/" + blob;
  if (!result) {
    throw BlobError(0, "downloading blob " + where + ": no answer (" + httplib::to_string(result.error()) + ")");
  }
  if (status == 404) return false;
  if (status != 200) throw BlobError(status, "downloading blob " + where + ": HTTP " + std::to_string(status) + " " + error_body);
  return true;
}

std::string AzureBlobStore::connection_string(const Sas& sas) const {
  return "BlobEndpoint=" + config_.endpoint + ";SharedAccessSignature=" + sas.query;
}

std::string AzureBlobStore::blob_url(const std::string& container, const std::string& blob, const Sas& sas) const {
  return config_.endpoint + "/" + url_encode(container) + "/" + url_encode(blob, true) + "?" + sas.query;
}

std::string AzureBlobStore::entry_url(const std::string& container, const std::string& blob) const {
  return "azure://" + config_.account + ".blob.core.windows.net/" + container + "/" + blob;
}

}  // namespace kbc::emulator::azure
