#include "kbc_storage_extract/transfer/gcs/addressing.hpp"

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

std::string encode_object_name(std::string_view name) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(name.size());
  for (unsigned char c : name) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(digits[c >> 4]);
      out.push_back(digits[c & 0xF]);
    }
  }
  return out;
}

std::string object_url(const std::string& endpoint, const std::string& bucket, std::string_view name) {
  return endpoint + "/storage/v1/b/" + encode_object_name(bucket) + "/o/" + encode_object_name(name);
}

std::uint64_t choose_part_size(std::uint64_t requested) {
  const std::uint64_t wanted = requested == 0 ? k_default_part_size : requested;
  const std::uint64_t chunks = (wanted + k_chunk_granularity - 1) / k_chunk_granularity;
  return std::max<std::uint64_t>(chunks, 1) * k_chunk_granularity;
}

}  // namespace kbc::transfer::gcs
