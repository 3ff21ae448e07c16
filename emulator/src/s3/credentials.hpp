#pragma once
// The temporary credentials the file storage has issued, each scoped to a bucket and key
// prefix, looked up by access key id when a request's signature is verified.
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "s3/file_store.hpp"

namespace kbc::emulator::s3 {

struct IssuedCredential {
  S3Credentials credentials;
  std::string bucket;
  std::string key_prefix;  // "" = whole bucket
  bool exact_key = false;  // pre-signed URLs: only the one key named by key_prefix

  bool expired(std::chrono::system_clock::time_point now) const { return now >= credentials.expiration; }
  bool allows(const std::string& bucket_name, const std::string& key) const {
    if (bucket_name != bucket) return false;
    return exact_key ? key == key_prefix : key.compare(0, key_prefix.size(), key_prefix) == 0;
  }
  // Listing needs a prefix inside the credential's own.
  bool allows_listing(const std::string& bucket_name, const std::string& prefix) const {
    return bucket_name == bucket && !exact_key && prefix.compare(0, key_prefix.size(), key_prefix) == 0;
  }
};

class CredentialRegistry {
 public:
  S3Credentials issue(const std::string& bucket, const std::string& key_prefix, std::chrono::seconds ttl,
                      bool exact_key = false);
  void expire_all();
  void expire(const std::string& access_key_id);
  std::optional<IssuedCredential> find(const std::string& access_key_id) const;
  // True when some issued credential names this bucket (buckets exist implicitly that way).
  bool knows_bucket(const std::string& bucket) const;
  // Every secret access key and session token issued so far (tests scan outputs for them).
  std::vector<std::string> issued_secrets() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, IssuedCredential> by_access_key_;
};

}  // namespace kbc::emulator::s3
