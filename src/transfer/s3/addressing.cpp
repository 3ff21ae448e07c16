#include <cstdlib>

#include "kbc_storage_extract/transfer/s3/addressing.hpp"
#include "kbc_storage_extract/transfer/s3/sigv4.hpp"

namespace kbc::transfer::s3 {

std::uint64_t choose_part_size(std::uint64_t object_size, std::uint64_t requested) {
  std::uint64_t part = std::max(requested == 0 ? k_default_part_size : requested, k_min_part_size);
  const std::uint64_t fit = (object_size + k_max_parts - 1) / k_max_parts;
  if (part < fit) part = (fit + (1ULL << 20) - 1) & ~((1ULL << 20) - 1);  // whole MiB
  return part;
}

std::string bucket_url(const AwsAccess& access, const std::string& override_endpoint) {
  std::string endpoint = override_endpoint;
  for (const char* name : {"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"}) {
    if (!endpoint.empty()) break;
    if (const char* value = std::getenv(name)) endpoint = value;
  }
  if (endpoint.empty()) return "https://" + access.bucket + ".s3." + access.region + ".amazonaws.com";
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  return endpoint + "/" + access.bucket;
}

std::string object_url(const std::string& bucket_url, const std::string& key) {
  return bucket_url + "/" + sigv4::uri_encode(key, true);
}

}  // namespace kbc::transfer::s3
