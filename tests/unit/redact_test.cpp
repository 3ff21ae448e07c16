// Secrets are masked in any text, and the logger masks every message whatever the call site
// passes.
#include <sstream>

#include <catch2/catch.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "kbc_storage_extract/logging.hpp"
#include "kbc_storage_extract/redact.hpp"

using kbc::redact;
using Catch::Matchers::Contains;

TEST_CASE("Storage API token shapes keep their ids and lose their secret", "[redact]") {
  CHECK(redact("token 1234-56789-AbCdEfGhIjKlMnOpQrStUvWxYz0123 failed") == "token 1234-56789-*** failed");
  CHECK(redact("short 12-34-abc stays") == "short 12-34-abc stays");  // not a token shape
}

TEST_CASE("credential header lines are masked to the end of the line", "[redact]") {
  CHECK(redact("X-StorageApi-Token: 1234-1-secretsecretsecretsecret") == "X-StorageApi-Token: ***");
  CHECK(redact("> x-storageapi-token:abc\r\n> Accept: */*") == "> x-storageapi-token: ***\r\n> Accept: */*");
  CHECK(redact("X-KBC-ManageApiToken: manage-secret") == "X-KBC-ManageApiToken: ***");
  CHECK(redact("Authorization: AWS4-HMAC-SHA256 Credential=AKIA/x, Signature=abc") == "Authorization: ***");
  CHECK(redact("Authorization: Bearer ya29.token") == "Authorization: ***");
  CHECK(redact("x-amz-security-token: FwoGZXIvYXdzEJr") == "x-amz-security-token: ***");
}

TEST_CASE("signed URL query values are masked, the rest of the URL stays", "[redact]") {
  CHECK(redact("GET https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F2026"
               "&X-Amz-Signature=deadbeef&X-Amz-Security-Token=FwoG&X-Amz-Expires=3600") ==
        "GET https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=***"
        "&X-Amz-Signature=***&X-Amz-Security-Token=***&X-Amz-Expires=3600");
  CHECK(redact("https://acc.blob.core.windows.net/c/b?sv=2022-11-02&se=2026-11-25&sp=r&sig=abc%2Bdef%3D") ==
        "https://acc.blob.core.windows.net/c/b?sv=2022-11-02&se=2026-11-25&sp=r&sig=***");
  CHECK(redact("https://storage.googleapis.com/b/o?access_token=ya29.abc&alt=media") ==
        "https://storage.googleapis.com/b/o?access_token=***&alt=media");
  CHECK(redact("https://h/x?token=abc123 next") == "https://h/x?token=*** next");
}

TEST_CASE("Azure connection strings and credential JSON fields are masked", "[redact]") {
  CHECK(redact("BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=sv=2022&sig=abc") ==
        "BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=***");
  CHECK(redact("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=base64key==;") ==
        "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=***;");
  CHECK(redact(R"({"credentials":{"AccessKeyId":"AKIA1","SecretAccessKey":"s3cr\"et","SessionToken":"FwoG"}})") ==
        R"({"credentials":{"AccessKeyId":"***","SecretAccessKey":"***","SessionToken":"***"}})");
  CHECK(redact(R"({"id":"42","token": "1-2-x","description":"ci"})") == R"({"id":"42","token": "***","description":"ci"})");
  CHECK(redact(R"({"gcsCredentials":{"access_token":"ya29.x","expires_in":3600}})") ==
        R"({"gcsCredentials":{"access_token":"***","expires_in":3600}})");
}

TEST_CASE("a registered secret is masked exactly, whatever its shape", "[redact]") {
  const kbc::Secret secret("plain-looking-value-42");
  CHECK(redact("value plain-looking-value-42 twice plain-looking-value-42") ==
        "value plain-looking-value-42 twice plain-looking-value-42");
  kbc::register_secret(secret);
  CHECK(redact("value plain-looking-value-42 twice plain-looking-value-42") == "value *** twice ***");
  kbc::register_secret(kbc::Secret("x"));  // too short to mask safely: ignored
  CHECK(redact("x marks the spot") == "x marks the spot");
}

TEST_CASE("text without secrets is unchanged", "[redact]") {
  const std::string text = "copied in.c-main.orders: 1200 rows, 3.4 MiB in 2.1 s (changedSince -2 days)";
  CHECK(redact(text) == text);
}

TEST_CASE("the logger masks every message through its sink", "[redact][logging]") {
  std::ostringstream out;
  auto inner = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  inner->set_pattern("%l: %v");
  spdlog::logger logger("test", kbc::logging::make_redacting_sink(inner));
  logger.set_level(spdlog::level::trace);
  logger.trace("request headers: X-StorageApi-Token: {}", "555-666-ZZZZZZZZZZZZZZZZZZZZZZZZZZ");
  logger.info("download {} done", "https://s3/k?X-Amz-Signature=feedface&a=1");
  const std::string text = out.str();
  CHECK_THAT(text, Contains("trace: request headers: X-StorageApi-Token: ***"));
  CHECK_THAT(text, Contains("info: download https://s3/k?X-Amz-Signature=***&a=1 done"));
  CHECK_THAT(text, !Contains("ZZZZ"));
  CHECK_THAT(text, !Contains("feedface"));
}

TEST_CASE("log levels come from -q, -v, -vv and --log-level, which wins", "[logging]") {
  using kbc::logging::effective_level;
  const auto with = [](bool quiet, int verbose, std::optional<spdlog::level::level_enum> level = std::nullopt) {
    kbc::logging::Options options;
    options.quiet = quiet;
    options.verbose = verbose;
    options.level = level;
    return options;
  };
  CHECK(effective_level(with(false, 0)) == spdlog::level::info);
  CHECK(effective_level(with(true, 0)) == spdlog::level::warn);
  CHECK(effective_level(with(false, 1)) == spdlog::level::debug);
  CHECK(effective_level(with(false, 2)) == spdlog::level::trace);
  CHECK(effective_level(with(false, 2, spdlog::level::err)) == spdlog::level::err);
  CHECK(kbc::logging::parse_level("warning").value() == spdlog::level::warn);
  CHECK(kbc::logging::parse_level("off").value() == spdlog::level::off);
  CHECK_FALSE(kbc::logging::parse_level("loud").ok());
}
