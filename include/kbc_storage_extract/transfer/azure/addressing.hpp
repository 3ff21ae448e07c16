#pragma once
// The Azure Blob backend's addressing rules, exposed for tests: the SAS connection string the
// Storage API hands out, blob URLs, the manifest URL form, block ids and part sizes.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kbc_storage_extract/result.hpp"

namespace kbc::transfer::azure {

inline constexpr std::uint64_t k_default_part_size = 64ULL << 20;  // one block
inline constexpr int k_max_blocks = 50'000;                          // per blob

// "BlobEndpoint=https://acct.blob.core.windows.net;SharedAccessSignature=sv=…&sig=…": the two
// parts this tool needs (other keys are ignored; DefaultEndpointsProtocol + AccountName +
// EndpointSuffix stand in for a missing BlobEndpoint).
struct SasConnection {
  std::string blob_endpoint;  // no trailing '/'; may carry a path (azurite: /devstoreaccount1)
  std::string sas;            // the query string, without '?'
};
Result<SasConnection> parse_sas_connection_string(std::string_view text);

// The signed expiry (`se`) of a SAS query, when it has a readable one.
std::optional<std::chrono::system_clock::time_point> sas_expiry(std::string_view sas);

// The account of an endpoint: the first label of "<acct>.blob.…", else the first path segment
// (an emulator's path-style endpoint); empty when neither.
std::string account_of(std::string_view blob_endpoint);

// {endpoint}/{container}/{blob, percent-encoded but '/'}?{sas}[&extra]
std::string blob_url(const SasConnection& connection, const std::string& container, std::string_view blob,
                     std::string_view extra_query = {});

// "azure://<account>.blob.core.windows.net/<container>/": the manifest entry prefix of a
// container (the real service's form, also when the endpoint is local).
std::string manifest_prefix(const std::string& account, const std::string& container);

// A block id for block `number` (1-based): the same length for every block of a blob, base64.
std::string block_id(int number);

// `requested` (0 = 64 MiB), raised so that an object fits in 50 000 blocks.
std::uint64_t choose_part_size(std::uint64_t object_size, std::uint64_t requested);

}  // namespace kbc::transfer::azure
