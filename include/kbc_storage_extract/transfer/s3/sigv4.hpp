#pragma once
// AWS Signature Version 4 for request headers, as the S3 backend signs every request. Our own
// signer, not CURLOPT_AWS_SIGV4: curl 7.88 does not canonicalise query strings, so its
// signatures for S3 multipart requests ("?uploads", "?uploadId=…&partNumber=…") are wrong
// (checked against this signer, which reproduces AWS's published examples).
#include <chrono>
#include <string>
#include <string_view>

#include "kbc_storage_extract/http/client.hpp"
#include "kbc_storage_extract/secret.hpp"

namespace kbc::transfer::s3::sigv4 {

inline constexpr std::string_view k_unsigned_payload = "UNSIGNED-PAYLOAD";

// Who signs, for which region and service.
struct SigningKey {
  std::string region;
  std::string service = "s3";
  std::string access_key_id;
  Secret secret_access_key;
  Secret session_token;  // sent as x-amz-security-token when set
};

struct SigningInput {
  std::string method;
  std::string url;             // absolute; the path may already be percent-encoded
  http::Headers headers;       // all of them are signed, plus host and the x-amz-* we add
  std::string payload_sha256;  // hex SHA-256 of the body or UNSIGNED-PAYLOAD; empty: caller set the header
};

// The request's headers plus host, x-amz-date, x-amz-content-sha256, x-amz-security-token
// (with a session token) and authorization.
Result<http::Headers> sign(const SigningInput& input, const SigningKey& key, std::chrono::system_clock::time_point now);

// Sign `request` in place, as it is about to be sent: a streamed body is UNSIGNED-PAYLOAD, a
// small one is hashed (unless the caller set x-amz-content-sha256 itself).
Status sign_request(http::Request& request, const SigningKey& key, std::chrono::system_clock::time_point now);

// The steps, exposed for tests against AWS's published examples.
std::string sha256_hex(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);  // raw bytes
std::string amz_date(std::chrono::system_clock::time_point now);       // 20130524T000000Z
// S3's URI encoding: unreserved characters stay, everything else is %XX (uppercase);
// '/' stays when `keep_slash`.
std::string uri_encode(std::string_view text, bool keep_slash);
std::string uri_decode(std::string_view text);
// Sorted, encoded "a=1&b=&c=3" from a raw query string ("uploads", "partNumber=1&uploadId=x").
std::string canonical_query(std::string_view query);
Result<std::string> canonical_request(const SigningInput& input, const http::Headers& all_headers, std::string* signed_headers);

}  // namespace kbc::transfer::s3::sigv4
