// The GCS backend's local rules: endpoint selection, object name encoding, part sizes, and
// its error map over the JSON API's error bodies.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "kbc_storage_extract/transfer/gcs/addressing.hpp"
#include "kbc_storage_extract/transfer/gcs/errors.hpp"

using namespace kbc;
using namespace kbc::transfer;

TEST_CASE("gcs: the endpoint is the override, else STORAGE_EMULATOR_HOST, else Google's") {
  ::unsetenv("STORAGE_EMULATOR_HOST");
  CHECK(gcs::endpoint("") == "https://storage.googleapis.com");
  ::setenv("STORAGE_EMULATOR_HOST", "127.0.0.1:4443", 1);
  CHECK(gcs::endpoint("") == "http://127.0.0.1:4443");
  ::setenv("STORAGE_EMULATOR_HOST", "http://localhost:9023/", 1);
  CHECK(gcs::endpoint("") == "http://localhost:9023");
  CHECK(gcs::endpoint("http://127.0.0.1:1") == "http://127.0.0.1:1");
  ::unsetenv("STORAGE_EMULATOR_HOST");
}

TEST_CASE("gcs: object names are one path segment, '/' and UTF-8 percent-encoded") {
  CHECK(gcs::encode_object_name("exp/1/part 0001+€.gz") == "exp%2F1%2Fpart%200001%2B%E2%82%AC.gz");
  CHECK(gcs::object_url("http://h", "kbc-b", "a/b") == "http://h/storage/v1/b/kbc-b/o/a%2Fb");
}

TEST_CASE("gcs: parts are multiples of 256 KiB, 64 MiB by default") {
  CHECK(gcs::choose_part_size(0) == 64ULL << 20);
  CHECK(gcs::choose_part_size(1) == 256 * 1024);
  CHECK(gcs::choose_part_size(300 * 1024) == 512 * 1024);
  CHECK(gcs::choose_part_size(8ULL << 20) == 8ULL << 20);
}

namespace {
http::Response answer(int status, std::string body) {
  http::Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}
std::string gcs_body(int code, const std::string& reason, const std::string& message) {
  return R"({"error":{"code":)" + std::to_string(code) + R"(,"message":")" + message +
         R"(","errors":[{"domain":"global","reason":")" + reason + R"(","message":")" + message + R"("}]}})";
}
}  // namespace

TEST_CASE("gcs errors: 401 is credentials_expired, rate limits throttle, the message and reason are kept") {
  const auto expired = gcs::to_error(answer(401, gcs_body(401, "authError", "Invalid Credentials")), "reading gs://b/k");
  CHECK(expired.kind == ErrorKind::credentials_expired);
  CHECK_FALSE(expired.retryable());
  CHECK(expired.api_code == "authError");
  CHECK(expired.message == "reading gs://b/k: Invalid Credentials");
  CHECK(expired.hint.find("fresh one") != std::string::npos);
  CHECK(gcs::to_error(answer(429, gcs_body(429, "rateLimitExceeded", "slow down")), "w").kind == ErrorKind::throttled);
  CHECK(gcs::to_error(answer(403, gcs_body(403, "userRateLimitExceeded", "slow")), "w").kind == ErrorKind::throttled);
  const auto denied = gcs::to_error(answer(403, gcs_body(403, "forbidden", "no access")), "w");
  CHECK(denied.kind == ErrorKind::permission);
  CHECK_FALSE(denied.hint.empty());
  CHECK(gcs::to_error(answer(404, gcs_body(404, "notFound", "No such object: b/k")), "w").kind == ErrorKind::not_found);
  CHECK(gcs::to_error(answer(503, gcs_body(503, "backendError", "x")), "w").retryable());
  CHECK(gcs::to_error(answer(502, "<html>bad gateway</html>"), "w").message == "w: the server answered HTTP 502");
}
