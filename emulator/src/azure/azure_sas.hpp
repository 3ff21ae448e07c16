#pragma once
// Shared Access Signatures for Azure Blob Storage, signed with the storage account's key the
// way the Storage API on Azure stacks issues them (docs/emulator.md "Azure Blob Storage"):
// service SAS scoped to one container (sr=c), version 2017-11-09, no protocol or IP limits.
// The emulator's own requests to the blob service use an account SAS (ss=b, srt=sco). Nothing
// here talks to the network; azurite (or Azure) verifies what is signed.
#include <chrono>
#include <string>
#include <string_view>

namespace kbc::emulator::azure {

// The SAS version Keboola's Azure stacks sign with (apiary.apib, files/prepare for Azure).
inline constexpr const char* kSasVersion = "2017-11-09";

std::string base64_encode(std::string_view bytes);
// Throws std::invalid_argument on text that is not base64.
std::string base64_decode(std::string_view text);
// "2024-01-31T10:11:12Z", the form SAS st/se take.
std::string sas_time(std::chrono::system_clock::time_point at);
// Percent-encodes everything but unreserved characters (and '/' when keep_slash).
std::string url_encode(std::string_view text, bool keep_slash = false);

struct Sas {
  std::string query;  // "sv=…&sr=c&st=…&se=…&sp=…&sig=…" (no leading '?')
  std::chrono::system_clock::time_point expiry;
};

class SasSigner {
 public:
  // `account_key`: the base64 account key (throws std::invalid_argument when not base64).
  SasSigner(std::string account, const std::string& account_key);

  const std::string& account() const { return account_; }

  // A service SAS for `container` with `permissions` (e.g. "rwl", "rl"), valid until now+ttl
  // (ttl <= 0: already expired). Its start time is now (or before the expiry when expired).
  Sas container_sas(const std::string& container, const std::string& permissions, std::chrono::seconds ttl) const;
  // An account SAS for the blob service (containers and blobs), for the emulator's own calls.
  std::string account_sas(std::chrono::seconds ttl) const;
  // base64(HMAC-SHA256(key, string_to_sign)).
  std::string sign(std::string_view string_to_sign) const;

 private:
  std::string account_;
  std::string key_;  // raw key bytes
};

}  // namespace kbc::emulator::azure
