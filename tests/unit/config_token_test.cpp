// Reading tokens from environment variables, files and literals; errors name the JSON path
// and the fix, never the token; every token read is masked from then on.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include <catch2/catch.hpp>

#include "config_test_helpers.hpp"
#include "kbc_storage_extract/redact.hpp"

using namespace kbc;
using Catch::Matchers::Contains;

namespace {

TokenSpec env_spec(std::string name, bool defaulted = false) {
  return TokenSpec{TokenSpec::Kind::env, std::move(name), {}, "/source/token", defaulted};
}
TokenSpec file_spec(const std::filesystem::path& path) {
  return TokenSpec{TokenSpec::Kind::file, path.string(), {}, "/destination/token", false};
}

// A file with `content` in a fresh directory, removed with it.
struct TokenFile {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("kbc-token-test-" + std::to_string(::getpid()) + "-" + std::to_string(rand()));
  std::filesystem::path path = dir / "token";
  explicit TokenFile(const std::string& content) {
    std::filesystem::create_directories(dir);
    std::ofstream(path, std::ios::binary) << content;
    std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }
  ~TokenFile() { std::filesystem::remove_all(dir); }
};

}  // namespace

TEST_CASE("a token from an environment variable is trimmed and registered for masking", "[config][token]") {
  ::setenv("KBC_TEST_TOKEN_ENV", "  123-456-envtokenvalue01234567890abc\n", 1);
  const auto token = resolve_token(env_spec("KBC_TEST_TOKEN_ENV"));
  REQUIRE(token.ok());
  CHECK(token->reveal() == "123-456-envtokenvalue01234567890abc");
  CHECK(redact("sent 123-456-envtokenvalue01234567890abc") == "sent 123-456-***");
  ::unsetenv("KBC_TEST_TOKEN_ENV");
}

TEST_CASE("a missing environment variable names the variable, the JSON path and the fix", "[config][token]") {
  ::unsetenv("KBC_TEST_TOKEN_MISSING");
  const auto token = resolve_token(env_spec("KBC_TEST_TOKEN_MISSING"));
  REQUIRE_FALSE(token.ok());
  CHECK(token.error().kind == ErrorKind::invalid_input);
  CHECK_THAT(token.error().message, Contains("KBC_TEST_TOKEN_MISSING is not set") && Contains("/source/token"));
  CHECK_THAT(token.error().hint, Contains("Export KBC_TEST_TOKEN_MISSING="));
}

TEST_CASE("a defaulted variable that is not set explains how to configure a token", "[config][token]") {
  ::unsetenv("KBC_TEST_TOKEN_DEFAULT");
  const auto token = resolve_token(env_spec("KBC_TEST_TOKEN_DEFAULT", true));
  REQUIRE_FALSE(token.ok());
  CHECK_THAT(token.error().message, Contains("no token configured"));
  CHECK_THAT(token.error().hint, Contains("{\"file\": PATH}"));
}

TEST_CASE("an empty environment variable is an error", "[config][token]") {
  ::setenv("KBC_TEST_TOKEN_EMPTY", " \n", 1);
  const auto token = resolve_token(env_spec("KBC_TEST_TOKEN_EMPTY"));
  REQUIRE_FALSE(token.ok());
  CHECK_THAT(token.error().message, Contains("KBC_TEST_TOKEN_EMPTY is empty"));
  ::unsetenv("KBC_TEST_TOKEN_EMPTY");
}

TEST_CASE("a token file's content is trimmed", "[config][token]") {
  TokenFile file("123-789-filetokenvalue0123456789abcd\n");
  const auto token = resolve_token(file_spec(file.path));
  REQUIRE(token.ok());
  CHECK(token->reveal() == "123-789-filetokenvalue0123456789abcd");
}

TEST_CASE("an unreadable or empty token file names the file and the JSON path", "[config][token]") {
  const auto missing = resolve_token(file_spec("/nonexistent/kbc/token"));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == ErrorKind::invalid_input);
  CHECK_THAT(missing.error().message,
             Contains("cannot read the token file /nonexistent/kbc/token") && Contains("/destination/token"));
  CHECK_THAT(missing.error().hint, Contains("relative to the config file's folder"));

  TokenFile empty("\n\n");
  const auto none = resolve_token(file_spec(empty.path));
  REQUIRE_FALSE(none.ok());
  CHECK_THAT(none.error().message, Contains("is empty"));

  const auto directory = resolve_token(file_spec(empty.dir));
  REQUIRE_FALSE(directory.ok());
  CHECK_THAT(directory.error().message, Contains("cannot read"));
}

TEST_CASE("a token file with more than the token is rejected without showing its content", "[config][token]") {
  TokenFile file("first-line-secret\nsecond line\n");
  const auto token = resolve_token(file_spec(file.path));
  REQUIRE_FALSE(token.ok());
  CHECK_THAT(token.error().message, Contains("whitespace inside the token"));
  CHECK_THAT(token.error().describe(), !Contains("first-line-secret"));
}

TEST_CASE("a literal token is returned as is and masked from then on", "[config][token]") {
  TokenSpec spec{TokenSpec::Kind::literal, {}, Secret("my-literal-secret-token"), "/source/token", false};
  const auto token = resolve_token(spec);
  REQUIRE(token.ok());
  CHECK(token->reveal() == "my-literal-secret-token");
  CHECK(redact("token=my-literal-secret-token!") == "token=***!");
  CHECK(redact("header my-literal-secret-token end") == "header *** end");
}

TEST_CASE("resolve_tokens fills both sides or stops at the first missing token", "[config][token]") {
  auto doc = kbc::test::valid_config_json();
  doc["source"]["token"] = {{"env", "KBC_TEST_SOURCE"}};
  doc["destination"]["token"] = {{"env", "KBC_TEST_DESTINATION"}};
  auto load = kbc::test::parse(doc);
  REQUIRE(load.config);
  ::setenv("KBC_TEST_SOURCE", "source-token-value-1", 1);
  ::unsetenv("KBC_TEST_DESTINATION");
  auto status = resolve_tokens(*load.config);
  REQUIRE_FALSE(status.ok());
  CHECK_THAT(status.error().message, Contains("/destination/token"));

  ::setenv("KBC_TEST_DESTINATION", "destination-token-value-2", 1);
  REQUIRE(resolve_tokens(*load.config).ok());
  CHECK(load.config->source.resolved_token.reveal() == "source-token-value-1");
  CHECK(load.config->destination.resolved_token.reveal() == "destination-token-value-2");
  ::unsetenv("KBC_TEST_SOURCE");
  ::unsetenv("KBC_TEST_DESTINATION");
}

TEST_CASE("a token file that is a FIFO is refused at once, not waited on", "[config][token]") {
  const auto dir = std::filesystem::temp_directory_path() / ("kbc-token-fifo-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto fifo = dir / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const auto token = resolve_token(file_spec(fifo));  // a FIFO would block here forever if opened
  REQUIRE_FALSE(token.ok());
  CHECK(token.error().kind == ErrorKind::invalid_input);
  CHECK_THAT(token.error().message, Contains("is not a regular file") && Contains("/destination/token"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("a token with a control or non-ASCII character is refused, naming neither the token nor the byte", "[config][token]") {
  for (const std::string& bad : {std::string("123-456-abc\x01secretsecretsecret"), std::string("123-456-abc\x7fsecretsecret"),
                                std::string("123-456-abc\xc3\xa9secretsecretsecret")}) {
    TokenFile file(bad);
    const auto token = resolve_token(file_spec(file.path));
    REQUIRE_FALSE(token.ok());
    CHECK_THAT(token.error().message, Contains("control or non-ASCII character"));
    CHECK_THAT(token.error().message, !Contains("secretsecret"));
  }
}
