#pragma once
// The MD5 a provider states for an object (S3's ETag of a single-part upload, GCS's md5Hash,
// Azure's Content-MD5), read from its own spelling into 16 raw bytes, and an incremental MD5 of
// the bytes actually read, so a copy can prove it moved what the provider stored.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace kbc::transfer {

// S3: the ETag (quoted or not) is the MD5 of the bytes only for a single-part upload that is
// not encrypted with KMS or a customer key; `sse` is x-amz-server-side-encryption ("" if none),
// `sse_customer` whether x-amz-server-side-encryption-customer-algorithm was present.
std::optional<std::string> md5_of_s3_etag(std::string_view etag, std::string_view sse, bool sse_customer);
// GCS md5Hash and Azure Content-MD5: base64 of the 16 bytes.
std::optional<std::string> md5_of_base64(std::string_view text);

// 32 lowercase hex digits of 16 raw bytes, for messages.
std::string hex_of(std::string_view bytes);

class Md5 {
 public:
  Md5();
  ~Md5();
  Md5(const Md5&) = delete;
  Md5& operator=(const Md5&) = delete;
  void update(const char* data, std::size_t size);
  std::string finish();  // 16 raw bytes; the hash cannot be updated after

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace kbc::transfer
