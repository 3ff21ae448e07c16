#include "s3/credentials.hpp"

#include "s3/crypto.hpp"

namespace kbc::emulator::s3 {

namespace {
constexpr std::string_view upper_alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view secret_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
}  // namespace

S3Credentials CredentialRegistry::issue(const std::string& bucket, const std::string& key_prefix,
                                        std::chrono::seconds ttl, bool exact_key) {
  IssuedCredential issued;
  // Shaped like AWS STS answers: ASIA… ids for temporary credentials, 40-char secrets.
  issued.credentials.access_key_id = "ASIA" + random_string(16, upper_alnum);
  issued.credentials.secret_access_key = random_string(40, secret_alphabet);
  issued.credentials.session_token = "FwoGZXIvYXdzE" + random_string(180, secret_alphabet);
  issued.credentials.expiration = std::chrono::system_clock::now() + ttl;
  issued.bucket = bucket;
  issued.key_prefix = key_prefix;
  issued.exact_key = exact_key;
  std::lock_guard lock(mutex_);
  by_access_key_[issued.credentials.access_key_id] = issued;
  return issued.credentials;
}

void CredentialRegistry::expire_all() {
  auto now = std::chrono::system_clock::now();
  std::lock_guard lock(mutex_);
  for (auto& [id, issued] : by_access_key_) issued.credentials.expiration = std::min(issued.credentials.expiration, now);
}

void CredentialRegistry::expire(const std::string& access_key_id) {
  auto now = std::chrono::system_clock::now();
  std::lock_guard lock(mutex_);
  if (auto it = by_access_key_.find(access_key_id); it != by_access_key_.end()) {
    it->second.credentials.expiration = std::min(it->second.credentials.expiration, now);
  }
}

std::optional<IssuedCredential> CredentialRegistry::find(const std::string& access_key_id) const {
  std::lock_guard lock(mutex_);
  auto it = by_access_key_.find(access_key_id);
  if (it == by_access_key_.end()) return std::nullopt;
  return it->second;
}

bool CredentialRegistry::knows_bucket(const std::string& bucket) const {
  std::lock_guard lock(mutex_);
  for (const auto& [id, issued] : by_access_key_) {
    if (issued.bucket == bucket) return true;
  }
  return false;
}

std::vector<std::string> CredentialRegistry::issued_secrets() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> secrets;
  for (const auto& [id, issued] : by_access_key_) {
    secrets.push_back(issued.credentials.secret_access_key);
    secrets.push_back(issued.credentials.session_token);
  }
  return secrets;
}

}  // namespace kbc::emulator::s3
