// V4 signed URLs as GCS defines them for HMAC keys (GOOG4-HMAC-SHA256, query-string form,
// XML API path /bucket/object): signed and verified with the emulator's own HMAC key.
#include <algorithm>
#include <ctime>

#include "gcs/gcs_internal.hpp"
#include "s3/crypto.hpp"
#include "s3/sigv4.hpp"

namespace kbc::emulator::gcs {

namespace {

constexpr std::string_view algorithm = "GOOG4-HMAC-SHA256";
constexpr long max_expires_seconds = 604800;  // 7 days, GCS's limit

std::string goog_date(std::chrono::system_clock::time_point time) {
  auto t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y%m%dT%H%M%SZ", &tm);
  return buffer;
}

std::optional<std::time_t> parse_goog_date(const std::string& text) {
  std::tm tm{};
  if (text.size() != 16 || !strptime(text.c_str(), "%Y%m%dT%H%M%SZ", &tm)) return std::nullopt;
  return timegm(&tm);
}

std::string canonical_query(const std::vector<std::pair<std::string, std::string>>& query) {
  std::vector<std::string> items;
  for (const auto& [name, value] : query) {
    if (name == "X-Goog-Signature") continue;
    items.push_back(s3::sigv4::uri_encode(name, true) + "=" + s3::sigv4::uri_encode(value, true));
  }
  std::sort(items.begin(), items.end());
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : "&") + item;
  return out;
}

std::string signature(const State& state, const std::string& date, const std::string& location,
                      const std::string& datetime, const std::string& scope, const std::string& canonical_request) {
  auto key = s3::hmac_sha256("GOOG4" + state.signing_secret, date);
  key = s3::hmac_sha256(key, location);
  key = s3::hmac_sha256(key, "storage");
  key = s3::hmac_sha256(key, "goog4_request");
  auto to_sign = std::string(algorithm) + "\n" + datetime + "\n" + scope + "\n" + s3::sha256_hex(canonical_request);
  return s3::hex(s3::hmac_sha256(key, to_sign));
}

std::string canonical_request(const std::string& raw_path, const std::string& query, const std::string& host) {
  return "GET\n" + s3::sigv4::canonical_uri(raw_path) + "\n" + query + "\nhost:" + host + "\n\nhost\nUNSIGNED-PAYLOAD";
}

void xml_error(Request& r, int status, const std::string& code, const std::string& message, const std::string& details) {
  r.response.status = status;
  r.response.set_content("<?xml version='1.0' encoding='UTF-8'?><Error><Code>" + code + "</Code><Message>" + message +
                             "</Message><Details>" + details + "</Details></Error>",
                         "application/xml; charset=UTF-8");
}

}  // namespace

std::string sign_url(const State& state, const std::string& bucket, const std::string& key, const std::string& location,
                     std::chrono::seconds ttl) {
  ttl = std::clamp(ttl, std::chrono::seconds(1), std::chrono::seconds(max_expires_seconds));
  auto datetime = goog_date(std::chrono::system_clock::now());
  auto date = datetime.substr(0, 8);
  auto scope = date + "/" + location + "/storage/goog4_request";
  auto raw_path = "/" + s3::sigv4::uri_encode(bucket, true) + "/" + s3::sigv4::uri_encode(key, false);
  std::vector<std::pair<std::string, std::string>> query = {
      {"X-Goog-Algorithm", std::string(algorithm)},
      {"X-Goog-Credential", state.signing_access_id + "/" + scope},
      {"X-Goog-Date", datetime},
      {"X-Goog-Expires", std::to_string(ttl.count())},
      {"X-Goog-SignedHeaders", "host"}};
  auto authority = state.public_url.substr(state.public_url.find("://") + 3);
  authority = authority.substr(0, authority.find('/'));
  auto canonical = canonical_query(query);
  auto sig = signature(state, date, location, datetime, scope, canonical_request(raw_path, canonical, authority));
  return state.public_url + raw_path + "?" + canonical + "&X-Goog-Signature=" + sig;
}

void signed_get(State& state, Request& r, const std::string& bucket, const std::string& key) {
  if (r.param("X-Goog-Algorithm") != algorithm) {
    return xml_error(r, 400, "InvalidArgument", "Invalid argument.", "Unsupported X-Goog-Algorithm (the emulator signs with GOOG4-HMAC-SHA256).");
  }
  auto credential = r.param("X-Goog-Credential");
  std::vector<std::string> parts;
  for (std::size_t start = 0; start <= credential.size();) {
    auto end = std::min(credential.find('/', start), credential.size());
    parts.push_back(credential.substr(start, end - start));
    start = end + 1;
  }
  auto datetime = r.param("X-Goog-Date");
  if (parts.size() != 5 || parts[3] != "storage" || parts[4] != "goog4_request" || datetime.size() != 16 ||
      datetime.substr(0, 8) != parts[1] || r.param("X-Goog-SignedHeaders") != "host") {
    return xml_error(r, 400, "AuthorizationQueryParametersError", "Error parsing the X-Goog-Credential parameter.",
                     "X-Goog-Credential, X-Goog-Date or X-Goog-SignedHeaders is malformed.");
  }
  if (parts[0] != state.signing_access_id) {
    return xml_error(r, 403, "InvalidAccessKeyId", "The Access Key Id you provided does not exist in our records.", "");
  }
  auto signed_at = parse_goog_date(datetime);
  auto expires = std::strtol(r.param("X-Goog-Expires").c_str(), nullptr, 10);
  if (!signed_at || expires < 1 || expires > max_expires_seconds) {
    return xml_error(r, 400, "AuthorizationQueryParametersError", "Invalid X-Goog-Date or X-Goog-Expires.", "");
  }
  auto canonical = canonical_request(r.raw_path, canonical_query(r.query), r.header("Host"));
  auto expected = signature(state, parts[1], parts[2], datetime, parts[1] + "/" + parts[2] + "/storage/goog4_request",
                            canonical);
  if (!s3::sigv4::constant_time_equal(expected, r.param("X-Goog-Signature"))) {
    return xml_error(r, 403, "SignatureDoesNotMatch",
                     "The request signature we calculated does not match the signature you provided. Check your Google "
                     "secret key and signing method.",
                     "");
  }
  auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  if (now > *signed_at + expires) {
    return xml_error(r, 400, "ExpiredToken", "Invalid argument.", "The provided token has expired.");
  }
  auto object = state.describe(bucket, key);
  if (!object) return xml_error(r, 404, "NoSuchKey", "The specified key does not exist.", "No such object: " + bucket + "/" + key);
  stream_object(state, r, *object);
}

}  // namespace kbc::emulator::gcs
