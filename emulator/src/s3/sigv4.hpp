#pragma once
// AWS Signature Version 4 as S3 defines it: canonical request, string to sign, signing key.
// Pure functions over strings so they can be checked against AWS's published examples.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kbc::emulator::s3::sigv4 {

inline constexpr std::string_view algorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view unsigned_payload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view empty_sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// RFC 3986 percent-encoding of everything but unreserved characters (and '/' when kept).
std::string uri_encode(std::string_view text, bool encode_slash);
// Decodes %XX escapes only ('+' stays '+', as S3 reads paths).
std::string uri_decode(std::string_view text);

// The path of the request target as S3 canonicalises it: each segment decoded and encoded
// once (S3 does not normalise '.'/'..' or double-encode).
std::string canonical_uri(std::string_view raw_path);
// Query parameters decoded, re-encoded and sorted by name then value; `X-Amz-Signature` left out.
std::string canonical_query(std::string_view raw_query);
// Raw query split into decoded (name, value) pairs in their order on the wire.
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view raw_query);

// Header value as SigV4 wants it: trimmed, runs of spaces collapsed.
std::string canonical_header_value(std::string_view value);

struct CanonicalRequest {
  std::string method;
  std::string canonical_uri;
  std::string canonical_query;
  // (lower-case name, canonical value) sorted by name; repeated headers already joined by ','.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string payload_hash;

  std::string signed_headers() const;
  std::string text() const;
};

// "20130524/us-east-1/s3/aws4_request"
std::string scope(std::string_view date, std::string_view region, std::string_view service);
std::string string_to_sign(std::string_view amz_date, std::string_view scope, std::string_view canonical_request);
// Raw signing key derived from the secret for one day, region and service.
std::string signing_key(std::string_view secret, std::string_view date, std::string_view region,
                        std::string_view service);
// Lower-case hex HMAC of `string_to_sign` with `key`.
std::string signature(std::string_view key, std::string_view string_to_sign);

// Signature of one aws-chunked chunk (STREAMING-AWS4-HMAC-SHA256-PAYLOAD).
std::string chunk_signature(std::string_view key, std::string_view amz_date, std::string_view scope,
                            std::string_view previous_signature, std::string_view chunk_sha256_hex);

bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace kbc::emulator::s3::sigv4
