#pragma once
// Hashes and MACs the S3 endpoint needs (SigV4, ETags, checksums), on OpenSSL EVP.
// Incremental hashers so request bodies are hashed while they stream, never buffered.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace kbc::emulator::s3 {

std::string hex(std::string_view bytes);
std::string base64(std::string_view bytes);
std::string sha256_hex(std::string_view data);
// Raw (binary) HMAC-SHA256 of `data` with `key`.
std::string hmac_sha256(std::string_view key, std::string_view data);

// An incremental digest ("SHA256", "MD5", "SHA1"); finish() returns the raw digest.
class Digest {
 public:
  explicit Digest(const char* algorithm);
  ~Digest();
  Digest(Digest&&) noexcept;
  Digest& operator=(Digest&&) noexcept;
  void update(const char* data, std::size_t size);
  std::string finish();

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

// Incremental CRC32 (zlib polynomial, as S3's x-amz-checksum-crc32) and CRC32C.
class Crc32 {
 public:
  explicit Crc32(bool castagnoli = false) : castagnoli_(castagnoli) {}
  void update(const char* data, std::size_t size);
  std::string finish() const;  // 4 bytes, big-endian, as S3 base64-encodes it

 private:
  bool castagnoli_;
  std::uint32_t crc_ = 0;
};

// Cryptographically random bytes rendered as characters from `alphabet`.
std::string random_string(std::size_t length, std::string_view alphabet);

}  // namespace kbc::emulator::s3
