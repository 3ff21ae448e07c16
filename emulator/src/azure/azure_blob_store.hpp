#pragma once
// The file storage of azure regions: a real Azure Blob service (azurite in tests) that the
// emulator is pointed at with --azure-blob-endpoint. The emulator never serves blobs itself:
// it creates one container per Storage file (as Keboola's Azure stacks do), hands clients
// container SAS tokens signed with the account key, writes exports there (Put Blob, or Put
// Block + Put Block List, streamed from disk) and reads imports from there (Get Blob, streamed
// to disk). Its own calls carry an account SAS. Tested with azurite over plain HTTP; https://
// endpoints go through cpp-httplib's OpenSSL client (untested against real Azure).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "azure/azure_sas.hpp"

namespace kbc::emulator::azure {

struct BlobStoreConfig {
  std::string endpoint;  // "http://127.0.0.1:10000/devstoreaccount1" (path-style) or "http://host:port"
  std::string account = "devstoreaccount1";
  std::string account_key;  // base64
  std::uint64_t block_size = 4ull * 1024 * 1024;  // Put Blob up to this size, else blocks of it
};

class BlobError : public std::runtime_error {
 public:
  BlobError(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }  // 0: no answer

 private:
  int status_;
};

class AzureBlobStore {
 public:
  // Throws std::invalid_argument for an endpoint that is not http://host[:port][/path] or a
  // key that is not base64.
  explicit AzureBlobStore(BlobStoreConfig config);

  const std::string& endpoint() const { return config_.endpoint; }
  const std::string& account() const { return config_.account; }
  const SasSigner& signer() const { return signer_; }

  // Lists containers once: throws std::runtime_error with a clear message when the endpoint
  // does not answer or refuses the account key.
  void check_reachable() const;

  // Creates the container; an existing one is fine.
  void create_container(const std::string& container) const;
  // Deletes the container and every blob in it; a missing one is fine.
  void delete_container(const std::string& container) const;
  // Uploads the file at `path` as a block blob (streamed from disk).
  void put_file(const std::string& container, const std::string& blob, const std::filesystem::path& path,
                const std::string& content_type = "application/octet-stream") const;
  void put_text(const std::string& container, const std::string& blob, const std::string& text,
                const std::string& content_type) const;
  // Downloads the blob into `path` (streamed). false when the blob (or container) is missing.
  bool download(const std::string& container, const std::string& blob, const std::filesystem::path& path) const;

  // "BlobEndpoint=<endpoint>;SharedAccessSignature=<sas>", as absCredentials carries it.
  std::string connection_string(const Sas& sas) const;
  // <endpoint>/<container>/<blob>?<sas>
  std::string blob_url(const std::string& container, const std::string& blob, const Sas& sas) const;
  // The manifest entry form: azure://<account>.blob.core.windows.net/<container>/<blob>.
  std::string entry_url(const std::string& container, const std::string& blob) const;

 private:
  std::string path_of(const std::string& container, const std::string& blob) const;
  void put_block_list(const std::string& container, const std::string& blob, int blocks,
                      const std::string& content_type) const;

  BlobStoreConfig config_;
  SasSigner signer_;
  std::string host_;
  int port_ = 80;
  std::string origin_;     // "http://host:port"
  std::string base_path_;  // "/devstoreaccount1" or ""
};

}  // namespace kbc::emulator::azure
