#include "s3/sigv4.hpp"

#include <openssl/crypto.h>

#include <algorithm>

#include "s3/crypto.hpp"

namespace kbc::emulator::s3::sigv4 {

namespace {
bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~';
}
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string uri_encode(std::string_view text, bool encode_slash) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (unreserved(c) || (c == '/' && !encode_slash)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(digits[c >> 4]);
      out.push_back(digits[c & 0xF]);
    }
  }
  return out;
}

std::string uri_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      int high = hex_value(text[i + 1]);
      int low = hex_value(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

std::string canonical_uri(std::string_view raw_path) {
  if (raw_path.empty()) return "/";
  return uri_encode(uri_decode(raw_path), false);
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view raw_query) {
  std::vector<std::pair<std::string, std::string>> params;
  while (!raw_query.empty()) {
    auto amp = raw_query.find('&');
    auto part = raw_query.substr(0, amp);
    raw_query = amp == std::string_view::npos ? std::string_view{} : raw_query.substr(amp + 1);
    if (part.empty()) continue;
    auto eq = part.find('=');
    if (eq == std::string_view::npos) {
      params.emplace_back(uri_decode(part), "");
    } else {
      params.emplace_back(uri_decode(part.substr(0, eq)), uri_decode(part.substr(eq + 1)));
    }
  }
  return params;
}

std::string canonical_query(std::string_view raw_query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  for (auto& [name, value] : parse_query(raw_query)) {
    if (name == "X-Amz-Signature") continue;
    encoded.emplace_back(uri_encode(name, true), uri_encode(value, true));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out.push_back('&');
    out += name;
    out.push_back('=');
    out += value;
  }
  return out;
}

std::string canonical_header_value(std::string_view value) {
  auto first = value.find_first_not_of(" \t");
  if (first == std::string_view::npos) return "";
  auto last = value.find_last_not_of(" \t");
  value = value.substr(first, last - first + 1);
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\t') c = ' ';
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out.push_back(c);
  }
  return out;
}

std::string CanonicalRequest::signed_headers() const {
  std::string out;
  for (const auto& [name, value] : headers) {
    if (!out.empty()) out.push_back(';');
    out += name;
  }
  return out;
}

std::string CanonicalRequest::text() const {
  std::string out = method + "\n" + canonical_uri + "\n" + canonical_query + "\n";
  for (const auto& [name, value] : headers) out += name + ":" + value + "\n";
  out += "\n" + signed_headers() + "\n" + payload_hash;
  return out;
}

std::string scope(std::string_view date, std::string_view region, std::string_view service) {
  return std::string(date) + "/" + std::string(region) + "/" + std::string(service) + "/aws4_request";
}

std::string string_to_sign(std::string_view amz_date, std::string_view scope, std::string_view canonical_request) {
  return std::string(algorithm) + "\n" + std::string(amz_date) + "\n" + std::string(scope) + "\n" +
         sha256_hex(canonical_request);
}

std::string signing_key(std::string_view secret, std::string_view date, std::string_view region,
                        std::string_view service) {
  auto key = hmac_sha256("AWS4" + std::string(secret), date);
  key = hmac_sha256(key, region);
  key = hmac_sha256(key, service);
  return hmac_sha256(key, "aws4_request");
}

std::string signature(std::string_view key, std::string_view string_to_sign) {
  return hex(hmac_sha256(key, string_to_sign));
}

std::string chunk_signature(std::string_view key, std::string_view amz_date, std::string_view scope,
                            std::string_view previous_signature, std::string_view chunk_sha256_hex) {
  std::string to_sign = "AWS4-HMAC-SHA256-PAYLOAD\n" + std::string(amz_date) + "\n" + std::string(scope) + "\n" +
                        std::string(previous_signature) + "\n" + std::string(empty_sha256) + "\n" +
                        std::string(chunk_sha256_hex);
  return signature(key, to_sign);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace kbc::emulator::s3::sigv4
