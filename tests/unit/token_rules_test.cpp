#include <catch2/catch.hpp>

#include "kbc_storage_extract/extract/token_rules.hpp"

using kbc::extract::check_destination_token;
using kbc::extract::check_source_token;
using kbc::extract::DestinationVerdict;
using kbc::extract::SourceTokenRule;
using kbc::storage_api::TokenInfo;

namespace {

const auto now = std::chrono::system_clock::from_time_t(1'800'000'000);

TokenInfo read_only(std::string bucket = "in.c-main") {
  TokenInfo token;
  token.id = "42";
  token.description = "extractor";
  token.bucket_permissions[bucket] = "read";
  return token;
}

void require_refused(const TokenInfo& token, SourceTokenRule rule, const std::string& rule_name, const std::string& detail) {
  const auto verdict = check_source_token(token, now);
  REQUIRE_FALSE(verdict.usable());
  CHECK(*verdict.refused_by == rule);
  CHECK(verdict.refusal.kind == kbc::ErrorKind::permission);
  CHECK_THAT(verdict.refusal.message, Catch::Contains("rule \"" + rule_name + "\"") && Catch::Contains(detail));
  CHECK_THAT(verdict.refusal.hint, Catch::Contains("Users & Settings > API Tokens") && Catch::Contains("read access"));
}

}  // namespace

TEST_CASE("a read-only token on exactly one bucket is a usable source token, its bucket the source") {
  const auto verdict = check_source_token(read_only("in.c-sales"), now);
  REQUIRE(verdict.usable());
  CHECK(verdict.bucket_id == "in.c-sales");
  CHECK(verdict.warnings.empty());
}

TEST_CASE("a master token is refused as a source token") {
  auto token = read_only();
  token.is_master_token = true;
  token.bucket_permissions["in.c-main"] = "manage";
  require_refused(token, SourceTokenRule::master_token, "no-master-token", "master token");
}

TEST_CASE("a token with write access is refused as a source token") {
  auto token = read_only();
  token.bucket_permissions["in.c-main"] = "write";
  require_refused(token, SourceTokenRule::write_permission, "read-only", "\"write\" access to bucket in.c-main");
}

TEST_CASE("a token that can manage buckets is refused as a source token") {
  auto token = read_only();
  token.can_manage_buckets = true;
  require_refused(token, SourceTokenRule::manages_buckets, "no-bucket-management", "can manage buckets");
}

TEST_CASE("a token that can manage tokens is refused as a source token") {
  auto token = read_only();
  token.can_manage_tokens = true;
  require_refused(token, SourceTokenRule::manages_tokens, "no-token-management", "manage other tokens");
}

TEST_CASE("a token with no bucket is refused as a source token") {
  auto token = read_only();
  token.bucket_permissions.clear();
  require_refused(token, SourceTokenRule::no_bucket, "single-bucket", "no bucket");
}

TEST_CASE("a token reading two buckets is refused as a source token and the buckets are named") {
  auto token = read_only();
  token.bucket_permissions["in.c-other"] = "read";
  require_refused(token, SourceTokenRule::several_buckets, "single-bucket", "in.c-main (read), in.c-other (read)");
}

TEST_CASE("an expired token is refused, whether flagged or past its expiry time") {
  auto token = read_only();
  token.is_expired = true;
  require_refused(token, SourceTokenRule::expired, "not-expired", "has expired");
  token.is_expired = false;
  token.expires = now - std::chrono::minutes{1};
  require_refused(token, SourceTokenRule::expired, "not-expired", "2027-01-15T07:59:00Z");
}

TEST_CASE("a token that expires within 7 days is usable with a warning, later than that without") {
  auto token = read_only();
  token.expires = now + std::chrono::hours{24 * 3};
  auto verdict = check_source_token(token, now);
  REQUIRE(verdict.usable());
  REQUIRE(verdict.warnings.size() == 1);
  CHECK_THAT(verdict.warnings[0], Catch::Contains("expires at 2027-01-18T08:00:00Z (in 72 h)"));
  token.expires = now + std::chrono::hours{24 * 8};
  CHECK(check_source_token(token, now).warnings.empty());
}

TEST_CASE("a destination token writes to a bucket it has write access to") {
  TokenInfo token = read_only("in.c-other");
  token.bucket_permissions["in.c-target"] = "write";
  CHECK(check_destination_token(token, "in.c-target", true, now).access == DestinationVerdict::Access::write);
}

TEST_CASE("a destination token with read access only is refused with what to do") {
  const auto verdict = check_destination_token(read_only("in.c-target"), "in.c-target", true, now);
  CHECK(verdict.access == DestinationVerdict::Access::refused);
  CHECK_THAT(verdict.refusal.message, Catch::Contains("cannot write to bucket in.c-target") && Catch::Contains("read"));
  CHECK_THAT(verdict.refusal.hint, Catch::Contains("write access to in.c-target"));
}

TEST_CASE("a missing destination bucket is created only by a token that can manage buckets") {
  TokenInfo limited = read_only("in.c-other");
  limited.bucket_permissions["in.c-other"] = "write";
  const auto refused = check_destination_token(limited, "in.c-new", false, now);
  CHECK(refused.access == DestinationVerdict::Access::refused);
  CHECK_THAT(refused.refusal.message, Catch::Contains("does not exist") && Catch::Contains("may not create buckets"));

  TokenInfo manager = limited;
  manager.can_manage_buckets = true;
  CHECK(check_destination_token(manager, "in.c-new", false, now).access == DestinationVerdict::Access::create_bucket);
  TokenInfo master = limited;
  master.is_master_token = true;
  CHECK(check_destination_token(master, "in.c-new", false, now).access == DestinationVerdict::Access::create_bucket);
  CHECK(check_destination_token(master, "in.c-new", true, now).access == DestinationVerdict::Access::write);
}

TEST_CASE("an expired destination token is refused") {
  TokenInfo token = read_only("in.c-target");
  token.bucket_permissions["in.c-target"] = "write";
  token.is_expired = true;
  CHECK(check_destination_token(token, "in.c-target", true, now).access == DestinationVerdict::Access::refused);
}
