// error_from_response, Retry-After and redact_url: how HTTP answers become typed errors.
#include <catch2/catch.hpp>

#include "kbc_storage_extract/http/client.hpp"

using namespace kbc;
using namespace kbc::http;

namespace {
Response answer(int status, std::string body, Headers headers = {}) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}
}  // namespace

TEST_CASE("http errors: statuses map to kinds") {
  CHECK(error_from_response(answer(401, ""), "x").kind == ErrorKind::authentication);
  CHECK(error_from_response(answer(403, ""), "x").kind == ErrorKind::permission);
  CHECK(error_from_response(answer(404, ""), "x").kind == ErrorKind::not_found);
  CHECK(error_from_response(answer(409, ""), "x").kind == ErrorKind::conflict);
  CHECK(error_from_response(answer(429, ""), "x").kind == ErrorKind::throttled);
  CHECK(error_from_response(answer(503, ""), "x").kind == ErrorKind::server);
  CHECK(error_from_response(answer(503, "", {{"retry-after", "2"}}), "x").kind == ErrorKind::throttled);
  CHECK(error_from_response(answer(500, ""), "x").kind == ErrorKind::server);
  CHECK(error_from_response(answer(500, ""), "x").retryable());
  CHECK_FALSE(error_from_response(answer(501, ""), "x").retryable());
  CHECK_FALSE(error_from_response(answer(403, ""), "x").retryable());
}

TEST_CASE("http errors: the Keboola JSON error body gives message, code and exception id") {
  const auto error = error_from_response(
      answer(401, R"({"error":"Invalid access token","code":"storage.tokenInvalid","status":"error","exceptionId":"exception-123"})"),
      "verifying the source token");
  CHECK(error.kind == ErrorKind::authentication);
  CHECK(error.http_status == 401);
  CHECK(error.api_code == "storage.tokenInvalid");
  CHECK(error.request_id == "exception-123");
  CHECK(error.message == "verifying the source token: Invalid access token");
  CHECK(error.describe().find("storage.tokenInvalid") != std::string::npos);
}

TEST_CASE("http errors: an XML error body gives code, message and request id, and no provider's meaning") {
  const std::string expired =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>ExpiredToken</Code><Message>The provided token has "
      "expired.</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>";
  const auto error = error_from_response(answer(400, expired), "reading s3://b/k");
  CHECK(error.kind == ErrorKind::invalid_input);  // what ExpiredToken means is the S3 backend's business
  CHECK(error.api_code == "ExpiredToken");
  CHECK(error.request_id == "4442587FB7D0A2F9");
  CHECK(error.message == "reading s3://b/k: The provided token has expired.");
}

TEST_CASE("http errors: a body that is neither JSON nor XML still gives a useful message") {
  const auto error = error_from_response(answer(502, "<html>Bad Gateway</html>"), "starting the export");
  CHECK(error.kind == ErrorKind::server);
  CHECK(error.message == "starting the export: the server answered HTTP 502");
}

TEST_CASE("http errors: Retry-After in seconds or as an HTTP date") {
  const auto now = std::chrono::system_clock::from_time_t(1445412480);  // Wed, 21 Oct 2015 07:28:00 GMT
  CHECK(parse_retry_after("120", now) == std::chrono::milliseconds{120'000});
  CHECK(parse_retry_after(" 0 ", now) == std::chrono::milliseconds{0});
  CHECK(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now) == std::chrono::milliseconds{30'000});
  CHECK(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now) == std::chrono::milliseconds{0});
  CHECK_FALSE(parse_retry_after("soon", now).has_value());
  CHECK_FALSE(parse_retry_after("", now).has_value());
  // Found by fuzz/values_fuzzer: a far-future date overflowed the nanosecond clock (UB).
  CHECK(parse_retry_after("Sun, 06 Nov 3994 09:49:37 GMT", now) == std::chrono::milliseconds{std::chrono::hours{24}});
  const auto error = error_from_response(answer(429, "", {{"retry-after", "3"}}), "x");
  REQUIRE(error.retry_after.has_value());
  CHECK(*error.retry_after == std::chrono::milliseconds{3000});
}

TEST_CASE("http redact_url: credential query values are masked, the rest stays") {
  CHECK(redact_url("https://b.s3.amazonaws.com/exp/f.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F2013"
                   "&X-Amz-Signature=abc123&X-Amz-Security-Token=FQo%2Bxyz&X-Amz-Expires=3600") ==
        "https://b.s3.amazonaws.com/exp/f.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=***"
        "&X-Amz-Signature=***&X-Amz-Security-Token=***&X-Amz-Expires=3600");
  CHECK(redact_url("https://a.blob.core.windows.net/c/b?sv=2020&sig=SECRET#frag") == "https://a.blob.core.windows.net/c/b?sv=2020&sig=***#frag");
  CHECK(redact_url("https://x/?access_token=ya29.SECRET&token=t") == "https://x/?access_token=***&token=***");
  CHECK(redact_url("https://x/path?signed=1") == "https://x/path?signed=1");
  CHECK(redact_url("GET https://x/?sig=ABC%2B failed: timeout") == "GET https://x/?sig=*** failed: timeout");
  CHECK(redact_url("no url here") == "no url here");
}
