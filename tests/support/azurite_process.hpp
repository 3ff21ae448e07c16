#pragma once
// azurite (npm, Microsoft's Azure Storage emulator) as an independent Azure Blob peer: its blob
// service on a free loopback port with a fresh data directory, telemetry off. Azurite has one
// well-known development account; this fixture makes SAS tokens for it the way the Storage API
// hands them out (a container SAS in a SASConnectionString), signed with the account key.
#include <chrono>
#include <string>

#include "peer_process.hpp"

namespace kbc::test {

class AzuriteProcess {
 public:
  static constexpr const char* account = "devstoreaccount1";
  static constexpr const char* account_key =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  AzuriteProcess();

  // "http://127.0.0.1:<port>"
  const std::string& url() const { return process_.url(); }
  // The account's blob endpoint, path-style: "http://127.0.0.1:<port>/devstoreaccount1".
  std::string blob_endpoint() const { return url() + "/" + account; }

  // Create `container` (with an account SAS); throws on failure.
  void create_container(const std::string& container) const;
  // A container SAS query (no '?'), permissions e.g. "racwdl", valid for `ttl` (negative: expired).
  static std::string container_sas(const std::string& container, const std::string& permissions, std::chrono::seconds ttl);
  // "BlobEndpoint=<endpoint>;SharedAccessSignature=<container SAS>", as absCredentials gives it.
  std::string sas_connection_string(const std::string& container, std::chrono::seconds ttl,
                                    const std::string& endpoint = {}) const;

 private:
  PeerProcess process_;
};

// The SAS signature of `string_to_sign` with a base64 account key: base64(HMAC-SHA256).
std::string azure_sas_signature(const std::string& base64_key, const std::string& string_to_sign);

}  // namespace kbc::test
