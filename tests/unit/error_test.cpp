#include <catch2/catch.hpp>

#include "kbc_storage_extract/error.hpp"
#include "kbc_storage_extract/exit_codes.hpp"
#include "kbc_storage_extract/secret.hpp"

using kbc::ErrorKind;

TEST_CASE("throttling, connection faults and 5xx other than 501 are retryable") {
  auto e = kbc::make_error(ErrorKind::throttled, "slow down");
  CHECK(e.retryable());
  e.kind = ErrorKind::server;
  e.http_status = 503;
  CHECK(e.retryable());
  e.http_status = 501;
  CHECK_FALSE(e.retryable());
  CHECK_FALSE(kbc::make_error(ErrorKind::permission, "no").retryable());
}

TEST_CASE("a permission error ends the process with the auth exit code") {
  CHECK(kbc::exit_code_for(kbc::make_error(ErrorKind::permission, "x")) == kbc::ExitCode::auth_error);
  CHECK(kbc::exit_code_for(kbc::make_error(ErrorKind::invalid_input, "x")) == kbc::ExitCode::usage_error);
}

TEST_CASE("a secret never formats as its value") {
  kbc::Secret token("123-4567-abcdefghijABCDEFGHIJ0123456789abcdefghij");
  CHECK(fmt::format("{}", token) == "123-4567-***");
  CHECK(kbc::Secret("plain-secret").masked() == "***");
  CHECK(kbc::Secret("s3cr3t").masked() == "***");
}
