#pragma once
// S3's error answers: an HTTP status and an <Error> XML body with S3's own codes.
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace kbc::emulator::s3 {

struct S3Error {
  int status = 500;
  std::string code;
  std::string message;
  // Extra elements S3 adds for some codes, e.g. {"Key", "a/b.csv"}.
  std::vector<std::pair<std::string, std::string>> details;
  int retry_after_seconds = 0;
};

std::string xml_escape(std::string_view text);
std::string error_xml(const S3Error& error, const std::string& request_id);

namespace errors {
S3Error access_denied(std::string message = "Access Denied");
S3Error no_such_key(const std::string& key);
S3Error no_such_bucket(const std::string& bucket);
S3Error no_such_upload(const std::string& upload_id);
S3Error invalid_access_key_id(const std::string& access_key_id);
S3Error signature_does_not_match();
S3Error invalid_token();
S3Error expired_token();
S3Error request_time_too_skewed();
S3Error authorization_header_malformed(std::string message);
S3Error authorization_query_parameters_error(std::string message);
S3Error invalid_argument(std::string message);
S3Error invalid_request(std::string message);
S3Error invalid_range(std::uint64_t size, const std::string& requested);
S3Error invalid_part(std::string message);
S3Error invalid_part_order();
S3Error entity_too_small();
S3Error malformed_xml();
S3Error content_sha256_mismatch(const std::string& client, const std::string& computed);
S3Error bad_digest(std::string message);
S3Error incomplete_body();
S3Error method_not_allowed();
S3Error not_implemented(std::string what);
S3Error precondition_failed();
S3Error internal_error(std::string message = "We encountered an internal error. Please try again.");
// An injected fault's status with the code S3 uses for it (503 → SlowDown).
S3Error for_status(int status, const std::string& code, const std::string& message, int retry_after_seconds);
}  // namespace errors

}  // namespace kbc::emulator::s3
