#pragma once
// Streams an upload's body (PutObject, UploadPart) into a file while hashing it, and checks it
// against what the request promised: x-amz-content-sha256, aws-chunked framing and chunk
// signatures, x-amz-decoded-content-length, Content-MD5 and x-amz-checksum-*. The body is
// never held in memory.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <variant>

#include "s3/aws_chunked.hpp"
#include "s3/s3_error.hpp"

namespace kbc::emulator::s3 {

struct UploadExpectations {
  std::string payload_hash;  // x-amz-content-sha256 (hex, UNSIGNED-PAYLOAD or STREAMING-*)
  std::optional<AwsChunkedDecoder::ChunkSigning> chunk_signing;
  std::optional<std::uint64_t> decoded_length;  // x-amz-decoded-content-length
  std::optional<std::string> content_md5;       // base64
  std::string checksum_algorithm;               // "crc32", "crc32c", "sha1", "sha256" or ""
  std::optional<std::string> checksum_value;    // base64 from the header; else from the trailer
};

struct ReceivedUpload {
  std::uint64_t size = 0;
  std::string md5;  // raw 16 bytes
  std::string checksum_algorithm;
  std::string checksum_value;  // base64
};

// Reads raw body bytes by calling its argument for each piece; false when the client went away.
using BodySource = std::function<bool(const std::function<bool(const char*, std::size_t)>&)>;

// Writes the decoded body to `target`; on failure removes it and returns the S3 error.
std::variant<ReceivedUpload, S3Error> receive_upload(const BodySource& source, const UploadExpectations& expect,
                                                     const std::filesystem::path& target);

bool is_streaming_payload(const std::string& payload_hash);

}  // namespace kbc::emulator::s3
