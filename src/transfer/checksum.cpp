#include "kbc_storage_extract/transfer/checksum.hpp"

#include <openssl/evp.h>

namespace kbc::transfer {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> md5_of_s3_etag(std::string_view etag, std::string_view sse, bool sse_customer) {
  if (sse_customer || sse.starts_with("aws:kms")) return std::nullopt;
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
  // A multipart upload's ETag is "<md5 of the parts' md5s>-<parts>": not the object's MD5.
  if (etag.size() != 32) return std::nullopt;
  std::string bytes(16, '\0');
  for (std::size_t i = 0; i < 16; ++i) {
    const int high = hex_value(etag[2 * i]);
    const int low = hex_value(etag[2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes[i] = static_cast<char>(high * 16 + low);
  }
  return bytes;
}

std::optional<std::string> md5_of_base64(std::string_view text) {
  if (text.size() != 24 || !text.ends_with("==")) return std::nullopt;
  unsigned char out[18];
  if (EVP_DecodeBlock(out, reinterpret_cast<const unsigned char*>(text.data()), 24) != 18) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(out), 16);  // the last two are padding
}

std::string hex_of(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (const unsigned char c : bytes) {
    hex += kDigits[c >> 4];
    hex += kDigits[c & 15];
  }
  return hex;
}

struct Md5::State {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  ~State() { EVP_MD_CTX_free(context); }
};

Md5::Md5() : state_(std::make_unique<State>()) { EVP_DigestInit_ex(state_->context, EVP_md5(), nullptr); }
Md5::~Md5() = default;

void Md5::update(const char* data, std::size_t size) { EVP_DigestUpdate(state_->context, data, size); }

std::string Md5::finish() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(state_->context, digest, &length);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

}  // namespace kbc::transfer
