#pragma once
// The GCS backend's addressing and sizing rules (JSON API v1), exposed for tests.
#include <cstdint>
#include <string>
#include <string_view>

namespace kbc::transfer::gcs {

inline constexpr std::uint64_t k_chunk_granularity = 256 * 1024;  // resumable chunks: multiples of this
inline constexpr std::uint64_t k_default_part_size = 64ULL << 20;

// Where requests go: `override_endpoint`, else STORAGE_EMULATOR_HOST (Google's convention for
// emulators; "host:port" gets http://), else https://storage.googleapis.com. No trailing '/'.
std::string endpoint(const std::string& override_endpoint);

// An object name as one path segment: everything but unreserved characters percent-encoded,
// '/' included (the JSON API's rule).
std::string encode_object_name(std::string_view name);

// {endpoint}/storage/v1/b/{bucket}/o/{name}
std::string object_url(const std::string& endpoint, const std::string& bucket, std::string_view name);

// The part (resumable chunk) size: `requested` (0 = default) rounded up to a multiple of
// 256 KiB, at least 256 KiB.
std::uint64_t choose_part_size(std::uint64_t requested);

}  // namespace kbc::transfer::gcs
