// The S3 backend's error map: S3's XML codes refine what the HTTP status says.
#include <catch2/catch.hpp>

#include "kbc_storage_extract/transfer/s3/errors.hpp"

using namespace kbc;
using kbc::transfer::s3::to_error;

namespace {
http::Response answer(int status, std::string body, http::Headers headers = {}) {
  http::Response response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}
}  // namespace

TEST_CASE("s3 errors: ExpiredToken means the temporary credentials expired, with code, request id and a hint") {
  const std::string expired =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>ExpiredToken</Code><Message>The provided token has "
      "expired.</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>";
  const auto error = to_error(answer(400, expired), "reading s3://b/k");
  CHECK(error.kind == ErrorKind::credentials_expired);
  CHECK_FALSE(error.retryable());  // fresh credentials are the table level's job, not a resend's
  CHECK(error.api_code == "ExpiredToken");
  CHECK(error.request_id == "4442587FB7D0A2F9");
  CHECK(error.message == "reading s3://b/k: The provided token has expired.");
  CHECK(error.hint.find("expired") != std::string::npos);
}

TEST_CASE("s3 errors: signature, throttling, region and missing-object codes") {
  const auto denied = to_error(
      answer(403, "<Error><Code>SignatureDoesNotMatch</Code><Message>no</Message></Error>", {{"x-amz-request-id", "R1"}}), "w");
  CHECK(denied.kind == ErrorKind::permission);
  CHECK(denied.request_id == "R1");
  CHECK(to_error(answer(503, "<Error><Code>SlowDown</Code></Error>"), "w").kind == ErrorKind::throttled);
  CHECK(to_error(answer(400, "<Error><Code>RequestTimeout</Code></Error>"), "w").retryable());
  const auto moved = to_error(answer(301, "<Error><Code>PermanentRedirect</Code><Message>m</Message></Error>"), "w");
  CHECK(moved.kind == ErrorKind::protocol);
  CHECK(moved.hint.find("region") != std::string::npos);
  CHECK(to_error(answer(404, "<Error><Code>NoSuchKey</Code></Error>"), "w").kind == ErrorKind::not_found);
  CHECK(to_error(answer(404, ""), "w").kind == ErrorKind::not_found);  // a HEAD has no body
}
