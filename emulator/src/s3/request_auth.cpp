#include "s3/request_auth.hpp"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

#include "s3/sigv4.hpp"

namespace kbc::emulator::s3 {

namespace {

// What a request claims about its signature, whichever form carried it.
struct SignatureClaim {
  bool presigned = false;
  std::string access_key_id;
  std::string date;  // from the credential scope
  std::string region;
  std::string service;
  std::string terminator;
  std::vector<std::string> signed_headers;
  std::string signature;
  std::string amz_date;
  std::string security_token;
  long expires_seconds = 0;
};

std::string trim(std::string_view text) {
  auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return "";
  auto last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    auto end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

// "AKID/20130524/us-east-1/s3/aws4_request" into the claim; false when it has not 5 parts.
bool parse_credential(const std::string& credential, SignatureClaim& claim) {
  auto parts = split(credential, '/');
  if (parts.size() != 5) return false;
  claim.access_key_id = parts[0];
  claim.date = parts[1];
  claim.region = parts[2];
  claim.service = parts[3];
  claim.terminator = parts[4];
  return true;
}

std::variant<SignatureClaim, S3Error> parse_header(const httplib::Request& request) {
  const auto header = request.get_header_value("Authorization");
  SignatureClaim claim;
  constexpr std::string_view prefix = "AWS4-HMAC-SHA256 ";
  if (header.rfind(prefix, 0) != 0) {
    return errors::invalid_argument("Unsupported Authorization Type; only AWS4-HMAC-SHA256 is accepted");
  }
  std::map<std::string, std::string> fields;
  for (const auto& part : split(std::string_view(header).substr(prefix.size()), ',')) {
    auto item = trim(part);
    auto eq = item.find('=');
    if (eq != std::string::npos) fields[item.substr(0, eq)] = item.substr(eq + 1);
  }
  if (!fields.count("Credential") || !fields.count("SignedHeaders") || !fields.count("Signature") ||
      !parse_credential(fields["Credential"], claim)) {
    return errors::authorization_header_malformed(
        "The authorization header is malformed; it must contain Credential, SignedHeaders and Signature.");
  }
  claim.signed_headers = split(fields["SignedHeaders"], ';');
  claim.signature = fields["Signature"];
  claim.amz_date = request.get_header_value("X-Amz-Date");
  claim.security_token = request.get_header_value("X-Amz-Security-Token");
  if (claim.amz_date.empty()) {
    return errors::access_denied("AWS authentication requires a valid Date or x-amz-date header");
  }
  return claim;
}

std::variant<SignatureClaim, S3Error> parse_query(const std::string& raw_query) {
  std::map<std::string, std::string> params;
  for (auto& [name, value] : sigv4::parse_query(raw_query)) params[name] = value;
  SignatureClaim claim;
  claim.presigned = true;
  for (const char* required : {"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
                               "X-Amz-SignedHeaders", "X-Amz-Signature"}) {
    if (!params.count(required)) {
      return errors::authorization_query_parameters_error(
          std::string("Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
                      "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters; missing ") +
          required + ".");
    }
  }
  if (params["X-Amz-Algorithm"] != sigv4::algorithm) {
    return errors::authorization_query_parameters_error("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
  }
  if (!parse_credential(params["X-Amz-Credential"], claim)) {
    return errors::authorization_query_parameters_error("Error parsing the X-Amz-Credential parameter.");
  }
  const auto& expires = params["X-Amz-Expires"];
  if (expires.empty() || expires.size() > 9 ||
      !std::all_of(expires.begin(), expires.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return errors::authorization_query_parameters_error("X-Amz-Expires should be a number");
  }
  claim.expires_seconds = std::stol(expires);
  if (claim.expires_seconds > max_presigned_expires_seconds) {
    return errors::authorization_query_parameters_error("X-Amz-Expires must be less than a week (in seconds) that is 604800");
  }
  claim.signed_headers = split(params["X-Amz-SignedHeaders"], ';');
  claim.signature = params["X-Amz-Signature"];
  claim.amz_date = params["X-Amz-Date"];
  claim.security_token = params.count("X-Amz-Security-Token") ? params["X-Amz-Security-Token"] : "";
  return claim;
}

// Values of one header as SigV4 canonicalises them: repeated headers joined by ','.
std::string canonical_value(const httplib::Request& request, const std::string& name) {
  std::string joined;
  auto range = request.headers.equal_range(name);
  for (auto it = range.first; it != range.second; ++it) {
    if (!joined.empty()) joined.push_back(',');
    joined += sigv4::canonical_header_value(it->second);
  }
  return joined;
}

// The payload hashes we can honour (SigV4a's ECDSA streaming forms are not emulated).
bool known_payload_hash(const std::string& value) {
  if (value.size() == 64) {
    return std::all_of(value.begin(), value.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f'); });
  }
  return value == sigv4::unsigned_payload || value == "STREAMING-UNSIGNED-PAYLOAD-TRAILER" ||
         value == "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" || value == "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_amz_date(const std::string& amz_date) {
  std::tm tm{};
  if (amz_date.size() != 16 || amz_date[8] != 'T' || amz_date[15] != 'Z') return std::nullopt;
  if (std::sscanf(amz_date.c_str(), "%4d%2d%2dT%2d%2d%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec) != 6) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string format_amz_date(std::chrono::system_clock::time_point time) {
  auto t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y%m%dT%H%M%SZ", &tm);
  return buffer;
}

std::variant<Principal, S3Error> authenticate(const httplib::Request& request, const std::string& raw_path,
                                              const std::string& raw_query, const CredentialRegistry& registry,
                                              const std::string& region, std::chrono::system_clock::time_point now) {
  const bool presigned = raw_query.find("X-Amz-Signature=") != std::string::npos ||
                         raw_query.find("X-Amz-Credential=") != std::string::npos;
  if (!presigned && !request.has_header("Authorization")) return errors::access_denied("Access Denied");
  auto parsed = presigned ? parse_query(raw_query) : parse_header(request);
  if (auto* error = std::get_if<S3Error>(&parsed)) return *error;
  auto claim = std::get<SignatureClaim>(std::move(parsed));
  auto malformed = [&](std::string message) {
    return presigned ? errors::authorization_query_parameters_error(std::move(message))
                     : errors::authorization_header_malformed(std::move(message));
  };

  auto signed_at = parse_amz_date(claim.amz_date);
  if (!signed_at) return malformed("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  if (claim.date != claim.amz_date.substr(0, 8)) {
    return malformed("Invalid credential date \"" + claim.date + "\". This date is not the same as X-Amz-Date: \"" +
                     claim.amz_date.substr(0, 8) + "\".");
  }
  if (claim.region != region) {
    return malformed("The authorization header is malformed; the region '" + claim.region +
                     "' is wrong; expecting '" + region + "'");
  }
  if (claim.service != "s3") {
    return malformed("The authorization header is malformed; incorrect service \"" + claim.service +
                     "\". This endpoint belongs to \"s3\".");
  }
  if (claim.terminator != "aws4_request") {
    return malformed("The authorization header is malformed; incorrect terminal \"" + claim.terminator +
                     "\". This endpoint uses \"aws4_request\".");
  }
  if (std::find(claim.signed_headers.begin(), claim.signed_headers.end(), "host") == claim.signed_headers.end()) {
    return malformed("The host header must be signed.");
  }

  auto issued = registry.find(claim.access_key_id);
  if (!issued) return errors::invalid_access_key_id(claim.access_key_id);
  if (claim.security_token.empty() ||
      !sigv4::constant_time_equal(claim.security_token, issued->credentials.session_token)) {
    return errors::invalid_token();
  }

  sigv4::CanonicalRequest canonical;
  canonical.method = request.method;
  canonical.canonical_uri = sigv4::canonical_uri(raw_path);
  canonical.canonical_query = sigv4::canonical_query(raw_query);
  for (const auto& name : claim.signed_headers) {
    if (name.empty() || name != sigv4::canonical_header_value(name)) return malformed("Malformed SignedHeaders.");
    canonical.headers.emplace_back(name, canonical_value(request, name));
  }
  std::sort(canonical.headers.begin(), canonical.headers.end());
  if (presigned) {
    canonical.payload_hash = std::string(sigv4::unsigned_payload);
  } else {
    canonical.payload_hash = request.get_header_value("X-Amz-Content-Sha256");
    if (canonical.payload_hash.empty()) {
      return errors::invalid_request("Missing required header for this request: x-amz-content-sha256");
    }
    if (!known_payload_hash(canonical.payload_hash)) {
      return errors::invalid_argument(
          "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, "
          "STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.");
    }
  }

  // S3 refuses a skewed clock before looking at the signature (a pre-signed URL's date is
  // checked against its expiry after the signature, below).
  if (!presigned && (now - *signed_at > max_clock_skew || *signed_at - now > max_clock_skew)) {
    auto error = errors::request_time_too_skewed();
    error.details.emplace_back("RequestTime", claim.amz_date);
    error.details.emplace_back("ServerTime", format_amz_date(now));
    error.details.emplace_back("MaxAllowedSkewMilliseconds", "900000");
    return error;
  }

  auto scope = sigv4::scope(claim.date, claim.region, claim.service);
  auto key = sigv4::signing_key(issued->credentials.secret_access_key, claim.date, claim.region, claim.service);
  auto expected = sigv4::signature(key, sigv4::string_to_sign(claim.amz_date, scope, canonical.text()));
  if (!sigv4::constant_time_equal(expected, claim.signature)) return errors::signature_does_not_match();

  if (presigned) {
    if (now > *signed_at + std::chrono::seconds(claim.expires_seconds)) return errors::access_denied("Request has expired");
    if (*signed_at - now > max_clock_skew) return errors::access_denied("Request is not valid yet");
  }
  if (issued->expired(now)) return errors::expired_token();

  Principal principal;
  principal.credential = std::move(*issued);
  principal.presigned = presigned;
  principal.payload_hash = canonical.payload_hash;
  principal.signing_key = std::move(key);
  principal.amz_date = claim.amz_date;
  principal.scope = std::move(scope);
  principal.signature = claim.signature;
  return principal;
}

}  // namespace kbc::emulator::s3
