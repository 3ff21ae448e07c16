#include "azure/azure_sas.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <ctime>
#include <stdexcept>

namespace kbc::emulator::azure {

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string base64_decode(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) throw std::invalid_argument("not base64 (length)");
  std::string out(3 * text.size() / 4 + 1, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) throw std::invalid_argument("not base64");
  std::size_t size = static_cast<std::size_t>(n);
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) --size;  // DecodeBlock counts padding
  out.resize(size);
  return out;
}

std::string sas_time(std::chrono::system_clock::time_point at) {
  const std::time_t t = std::chrono::system_clock::to_time_t(at);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string url_encode(std::string_view text, bool keep_slash) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(digits[c >> 4]);
      out.push_back(digits[c & 0xF]);
    }
  }
  return out;
}

SasSigner::SasSigner(std::string account, const std::string& account_key)
    : account_(std::move(account)), key_(base64_decode(account_key)) {}

std::string SasSigner::sign(std::string_view string_to_sign) const {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(string_to_sign.data()), string_to_sign.size(), digest, &size);
  return base64_encode(std::string_view(reinterpret_cast<const char*>(digest), size));
}

Sas SasSigner::container_sas(const std::string& container, const std::string& permissions,
                             std::chrono::seconds ttl) const {
  // Whole seconds: what the signature covers is what the query carries.
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto expiry = now + ttl;
  const auto start = ttl > std::chrono::seconds(0) ? now : expiry - std::chrono::hours(12);
  const std::string st = sas_time(start), se = sas_time(expiry);
  // Service SAS string-to-sign of versions 2015-04-05 … 2018-03-28: permissions, start,
  // expiry, canonicalized resource, identifier, IP, protocol, version, then the five response
  // header overrides (rscc, rscd, rsce, rscl, rsct), all empty here.
  const std::string to_sign = permissions + "\n" + st + "\n" + se + "\n/blob/" + account_ + "/" + container +
                              "\n\n\n\n" + kSasVersion + "\n\n\n\n\n";
  Sas sas;
  sas.query = std::string("sv=") + kSasVersion + "&sr=c&st=" + st + "&se=" + se +
              "&sp=" + permissions + "&sig=" + url_encode(sign(to_sign));
  sas.expiry = expiry;
  return sas;
}

std::string SasSigner::account_sas(std::chrono::seconds ttl) const {
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  const std::string st = sas_time(now - std::chrono::minutes(5)), se = sas_time(now + ttl);
  const std::string permissions = "rwdlac";
  // Account SAS before 2020-12-06: account, permissions, services, resource types, start,
  // expiry, IP, protocol, version, and a final newline.
  const std::string to_sign = account_ + "\n" + permissions + "\nb\nsco\n" + st + "\n" + se + "\n\n\n" + kSasVersion + "\n";
  return std::string("sv=") + kSasVersion + "&ss=b&srt=sco&sp=" + permissions + "&st=" + st + "&se=" + se + "&sig=" + url_encode(sign(to_sign));
}

}  // namespace kbc::emulator::azure
