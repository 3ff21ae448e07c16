#include "kbc_storage_extract/transfer/gcs/addressing.hpp"

#include "kbc_storage_extract/http/client.hpp"

#include <cctype>
#include <cstdlib>

namespace kbc::transfer::gcs {

std::string endpoint(const std::string& override_endpoint) {
  std::string value = override_endpoint;
  if (value.empty()) {
    if (const char* emulator = std::getenv("STORAGE_EMULATOR_HOST")) value = emulator;
  }
  if (value.empty()) return "https://storage.googleapis.com";
  if (value.find("://") == std::string::npos) value = "http://" + value;
  while (!value.empty() && value.back() == '/') value.pop_back();
  return value;
}

std::string encode_object_name(std::string_view name) { return http::percent_encode(name, false); }

std::string object_url(const std::string& endpoint, const std::string& bucket, std::string_view name) {
  return endpoint + "/storage/v1/b/" + encode_object_name(bucket) + "/o/" + encode_object_name(name);
}

std::uint64_t choose_part_size(std::uint64_t requested) {
  const std::uint64_t wanted = requested == 0 ? k_default_part_size : requested;
  const std::uint64_t chunks = (wanted + k_chunk_granularity - 1) / k_chunk_granularity;
  return std::max<std::uint64_t>(chunks, 1) * k_chunk_granularity;
}

}  // namespace kbc::transfer::gcs
