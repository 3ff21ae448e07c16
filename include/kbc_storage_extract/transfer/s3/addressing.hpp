#pragma once
// The S3 ObjectStore's addressing and sizing rules, exposed for tests and diagnostics.
#include <cstdint>
#include <string>

#include "kbc_storage_extract/transfer/file_access.hpp"

namespace kbc::transfer::s3 {

inline constexpr std::uint64_t k_default_part_size = 64ULL << 20;
inline constexpr std::uint64_t k_min_part_size = 5ULL << 20;  // S3's minimum for all but the last part
inline constexpr int k_max_parts = 10'000;

// The part size for an object of `object_size` bytes: `requested` (0 = default), raised to
// S3's minimum and so that the object fits in at most 10 000 parts.
std::uint64_t choose_part_size(std::uint64_t object_size, std::uint64_t requested);

// Where requests go: `override_endpoint`, else AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL
// (all path-style: {endpoint}/{bucket}), else https://{bucket}.s3.{region}.amazonaws.com.
std::string bucket_url(const AwsAccess& access, const std::string& override_endpoint);

// bucket_url + "/" + the key, percent-encoded except '/'.
std::string object_url(const std::string& bucket_url, const std::string& key);

}  // namespace kbc::transfer::s3
