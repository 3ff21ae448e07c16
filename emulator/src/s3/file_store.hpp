#pragma once
// The emulator's S3-compatible file storage: objects are files on disk under root/bucket/key,
// served on their own listener with the S3 REST API (path-style). Every request must carry an
// AWS Signature V4 (header or pre-signed query) made with credentials this store issued and
// that have not expired; anything else gets S3's own XML errors.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace httplib { class Server; }

namespace kbc::emulator {

class FaultInjector;
namespace s3 { class ObjectFiles; }

struct S3Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  std::chrono::system_clock::time_point expiration;
};

class FileStore {
 public:
  // `root` holds the objects; `region` is the signing region clients must use.
  FileStore(std::filesystem::path root, std::string region, FaultInjector& faults);
  ~FileStore();

  // Register the S3 routes on `server` (a listener of its own). `public_url` is how clients
  // reach it, e.g. "http://127.0.0.1:9000", used in pre-signed URLs.
  void mount(httplib::Server& server, std::string public_url);

  // Temporary credentials valid for `ttl`, allowed to read/write keys under `key_prefix` of
  // `bucket` (empty prefix = whole bucket).
  S3Credentials issue_credentials(const std::string& bucket, const std::string& key_prefix,
                                  std::chrono::seconds ttl);
  // Fault injection: every credential issued so far is expired from now on.
  void expire_all_credentials();
  std::vector<std::string> issued_secrets() const;  // secret keys and session tokens issued so far
  std::size_t open_multipart_uploads() const;        // created, neither completed nor aborted

  // A pre-signed GET URL (SigV4 query) for bucket/key valid for `ttl`.
  std::string presign_get(const std::string& bucket, const std::string& key, std::chrono::seconds ttl);

  // Direct access for the Storage API side (exports write here, imports read from here).
  std::filesystem::path path_of(const std::string& bucket, const std::string& key) const;
  bool exists(const std::string& bucket, const std::string& key) const;
  std::optional<std::uint64_t> size_of(const std::string& bucket, const std::string& key) const;
  std::vector<std::string> list(const std::string& bucket, const std::string& prefix) const;  // keys, sorted
  // Creates parent folders; the returned path is written by the caller (atomically via rename).
  std::filesystem::path prepare_write(const std::string& bucket, const std::string& key);
  const std::string& region() const;
  // The object files behind this store (the GCS endpoint serves its own bucket from them).
  s3::ObjectFiles& objects();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kbc::emulator
