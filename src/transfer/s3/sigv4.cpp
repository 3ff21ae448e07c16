#include "kbc_storage_extract/transfer/s3/sigv4.hpp"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <memory>
#include <utility>

namespace kbc::transfer::s3::sigv4 {

using http::Headers;

namespace {

std::string hex(const unsigned char* data, std::size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(digits[data[i] >> 4]);
    out.push_back(digits[data[i] & 0xF]);
  }
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Header values are signed trimmed, with runs of spaces collapsed to one.
std::string canonical_value(std::string_view value) {
  std::string out;
  bool in_space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      in_space = true;
      continue;
    }
    if (in_space && !out.empty()) out.push_back(' ');
    in_space = false;
    out.push_back(c);
  }
  return out;
}

struct UrlParts {
  std::string host;  // as sent in the Host header (with a non-default port)
  std::string path;
  std::string query;
};

Result<UrlParts> split_url(const std::string& url) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> handle(curl_url(), curl_url_cleanup);
  if (!handle || curl_url_set(handle.get(), CURLUPART_URL, url.c_str(), CURLU_PATH_AS_IS) != CURLUE_OK)
    return make_error(ErrorKind::invalid_input, "cannot sign a request to an invalid URL");
  auto part = [&](CURLUPart which, unsigned flags = 0) -> std::string {
    char* value = nullptr;
    if (curl_url_get(handle.get(), which, &value, flags) != CURLUE_OK || !value) return {};
    std::string out(value);
    curl_free(value);
    return out;
  };
  UrlParts parts;
  parts.host = part(CURLUPART_HOST);
  const auto port = part(CURLUPART_PORT);  // only when the URL names one
  const auto scheme = part(CURLUPART_SCHEME);
  const bool default_port = (scheme == "http" && port == "80") || (scheme == "https" && port == "443");
  if (!port.empty() && !default_port) parts.host += ":" + port;
  parts.path = part(CURLUPART_PATH);
  if (parts.path.empty()) parts.path = "/";
  parts.query = part(CURLUPART_QUERY);
  return parts;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
  return hex(digest, size);
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), digest, &size);
  return std::string(reinterpret_cast<const char*>(digest), size);
}

std::string amz_date(std::chrono::system_clock::time_point now) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[17];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

std::string uri_encode(std::string_view text, bool keep_slash) { return http::percent_encode(text, keep_slash); }

std::string uri_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string canonical_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    const auto name = item.substr(0, eq);
    const auto value = eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1);
    params.emplace_back(uri_encode(uri_decode(name), false), uri_encode(uri_decode(value), false));
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out.push_back('&');
    out += name + "=" + value;
  }
  return out;
}

Result<std::string> canonical_request(const SigningInput& input, const Headers& all_headers, std::string* signed_headers) {
  auto url = split_url(input.url);
  if (!url) return url.error();
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& [name, value] : all_headers) headers.emplace_back(lower(name), canonical_value(value));
  std::stable_sort(headers.begin(), headers.end(), [](const auto& a, const auto& b) { return a.first < b.first; });

  std::string header_block;
  std::string names;
  for (std::size_t i = 0; i < headers.size(); ++i) {
    // Repeated names are signed once, values joined by commas.
    if (i > 0 && headers[i].first == headers[i - 1].first) {
      header_block.pop_back();
      header_block += "," + headers[i].second + "\n";
      continue;
    }
    header_block += headers[i].first + ":" + headers[i].second + "\n";
    if (!names.empty()) names.push_back(';');
    names += headers[i].first;
  }
  if (signed_headers) *signed_headers = names;

  const auto payload_hash = std::find_if(headers.begin(), headers.end(), [](const auto& h) { return h.first == "x-amz-content-sha256"; });
  return input.method + "\n" + uri_encode(uri_decode(url->path), true) + "\n" + canonical_query(url->query) + "\n" +
         header_block + "\n" + names + "\n" + (payload_hash == headers.end() ? std::string(k_unsigned_payload) : payload_hash->second);
}

Result<Headers> sign(const SigningInput& input, const SigningKey& key, std::chrono::system_clock::time_point now) {
  auto url = split_url(input.url);
  if (!url) return url.error();
  const std::string date_time = amz_date(now);
  const std::string date = date_time.substr(0, 8);

  Headers headers = input.headers;
  headers.erase(std::remove_if(headers.begin(), headers.end(), [](const auto& h) {
                  const auto name = lower(h.first);
                  return name == "host" || name == "x-amz-date" || name == "authorization";
                }),
                headers.end());
  headers.emplace_back("host", url->host);
  headers.emplace_back("x-amz-date", date_time);
  if (!input.payload_sha256.empty()) headers.emplace_back("x-amz-content-sha256", input.payload_sha256);
  if (!key.session_token.empty()) headers.emplace_back("x-amz-security-token", key.session_token.reveal());

  std::string signed_names;
  auto request = canonical_request(input, headers, &signed_names);
  if (!request) return request.error();
  const std::string scope = date + "/" + key.region + "/" + key.service + "/aws4_request";
  const std::string string_to_sign = "AWS4-HMAC-SHA256\n" + date_time + "\n" + scope + "\n" + sha256_hex(*request);
  std::string signing_key = hmac_sha256("AWS4" + key.secret_access_key.reveal(), date);
  signing_key = hmac_sha256(signing_key, key.region);
  signing_key = hmac_sha256(signing_key, key.service);
  signing_key = hmac_sha256(signing_key, "aws4_request");
  const auto signature = hmac_sha256(signing_key, string_to_sign);
  headers.emplace_back("authorization", "AWS4-HMAC-SHA256 Credential=" + key.access_key_id + "/" + scope +
                                            ", SignedHeaders=" + signed_names + ", Signature=" +
                                            hex(reinterpret_cast<const unsigned char*>(signature.data()), signature.size()));
  return headers;
}

Status sign_request(http::Request& request, const SigningKey& key, std::chrono::system_clock::time_point now) {
  SigningInput input;
  input.method = request.method;
  input.url = request.url;
  input.headers = request.headers;
  const bool caller_hashed = std::any_of(request.headers.begin(), request.headers.end(),
                                         [](const auto& h) { return lower(h.first) == "x-amz-content-sha256"; });
  if (!caller_hashed)
    input.payload_sha256 = request.upload_source ? std::string(k_unsigned_payload) : sha256_hex(request.body);
  auto headers = sign(input, key, now);
  if (!headers) return headers.error();
  request.headers = std::move(*headers);
  return {};
}

}  // namespace kbc::transfer::s3::sigv4
