#pragma once
// Verifies a request's AWS Signature V4, in either form S3 accepts: the Authorization header
// or a pre-signed query (X-Amz-Signature …), against the credentials this store issued.
#include <chrono>
#include <string>
#include <variant>

#include "s3/credentials.hpp"
#include "s3/s3_error.hpp"

namespace httplib { struct Request; }

namespace kbc::emulator::s3 {

// Who signed the request, and what the body must then satisfy.
struct Principal {
  IssuedCredential credential;
  bool presigned = false;
  std::string payload_hash;  // x-amz-content-sha256 as signed; UNSIGNED-PAYLOAD for pre-signed URLs
  std::string signing_key;   // kept for aws-chunked chunk signatures
  std::string amz_date;
  std::string scope;
  std::string signature;
};

inline constexpr std::chrono::minutes max_clock_skew{15};
inline constexpr long max_presigned_expires_seconds = 7 * 24 * 3600;

std::variant<Principal, S3Error> authenticate(const httplib::Request& request, const std::string& raw_path,
                                              const std::string& raw_query, const CredentialRegistry& registry,
                                              const std::string& region, std::chrono::system_clock::time_point now);

// "20130524T000000Z" → time point; nullopt when malformed.
std::optional<std::chrono::system_clock::time_point> parse_amz_date(const std::string& amz_date);
std::string format_amz_date(std::chrono::system_clock::time_point time);

}  // namespace kbc::emulator::s3
