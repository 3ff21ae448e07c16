#include "kbc_storage_extract/extract/token_rules.hpp"

#include <fmt/format.h>

#include "kbc_storage_extract/storage_api/parse.hpp"

namespace kbc::extract {

namespace {

using storage_api::TimePoint;
using storage_api::TokenInfo;

constexpr auto expiry_warning_window = std::chrono::hours{24 * 7};

bool expired(const TokenInfo& token, TimePoint now) { return token.is_expired || (token.expires && *token.expires <= now); }

std::optional<std::string> expiry_warning(const TokenInfo& token, TimePoint now, std::string_view which) {
  if (!token.expires || *token.expires - now > expiry_warning_window) return std::nullopt;
  const auto hours = std::chrono::duration_cast<std::chrono::hours>(*token.expires - now).count();
  return fmt::format("the {} token (id {}) expires at {} (in {} h); refresh it in the project's "
                     "Users & Settings > API Tokens before it stops the runs",
                     which, token.id, storage_api::format_iso_utc(*token.expires), hours);
}

SourceTokenVerdict refuse(SourceTokenRule rule, std::string why) {
  SourceTokenVerdict verdict;
  verdict.refused_by = rule;
  verdict.refusal = make_error(ErrorKind::permission,
                               fmt::format("the source token breaks rule \"{}\": {}", to_string(rule), why),
                               source_token_howto);
  return verdict;
}

std::string bucket_list(const TokenInfo& token) {
  std::string list;
  for (const auto& [bucket, permission] : token.bucket_permissions)
    list += fmt::format("{}{} ({})", list.empty() ? "" : ", ", bucket, permission);
  return list;
}

}  // namespace

const char* const source_token_howto =
    "Create a source token in the source project: Users & Settings > API Tokens > New Token, give it "
    "read access to exactly the one bucket to copy from and no other rights (no bucket management, "
    "no component access), then put the new token where the config's source token points";

const char* to_string(SourceTokenRule rule) {
  switch (rule) {
    case SourceTokenRule::expired: return "not-expired";
    case SourceTokenRule::disabled: return "not-disabled";
    case SourceTokenRule::master_token: return "no-master-token";
    case SourceTokenRule::manages_buckets: return "no-bucket-management";
    case SourceTokenRule::manages_tokens: return "no-token-management";
    case SourceTokenRule::write_permission: return "read-only";
    case SourceTokenRule::no_bucket: return "single-bucket";
    case SourceTokenRule::several_buckets: return "single-bucket";
  }
  return "unknown";
}

SourceTokenVerdict check_source_token(const TokenInfo& token, TimePoint now) {
  if (expired(token, now))
    return refuse(SourceTokenRule::expired,
                  fmt::format("token {} has expired{}", token.id,
                              token.expires ? " at " + storage_api::format_iso_utc(*token.expires) : ""));
  if (token.is_disabled) return refuse(SourceTokenRule::disabled, fmt::format("token {} is disabled", token.id));
  if (token.is_master_token)
    return refuse(SourceTokenRule::master_token,
                  fmt::format("token {} is a master token (an administrator's own token, \"{}\"): it can change "
                              "everything in the source project",
                              token.id, token.description));
  if (token.can_manage_buckets)
    return refuse(SourceTokenRule::manages_buckets,
                  fmt::format("token {} can manage buckets (create, change and delete every bucket)", token.id));
  if (token.can_manage_tokens)
    return refuse(SourceTokenRule::manages_tokens, fmt::format("token {} can manage other tokens", token.id));
  for (const auto& [bucket, permission] : token.bucket_permissions) {
    if (permission != "read")
      return refuse(SourceTokenRule::write_permission,
                    fmt::format("token {} has \"{}\" access to bucket {}; a source token must only read",
                                token.id, permission, bucket));
  }
  if (token.bucket_permissions.empty())
    return refuse(SourceTokenRule::no_bucket, fmt::format("token {} has access to no bucket", token.id));
  if (token.bucket_permissions.size() > 1)
    return refuse(SourceTokenRule::several_buckets,
                  fmt::format("token {} has access to {} buckets ({}); one configuration copies from exactly one "
                              "bucket, so use one token (and one config) per bucket",
                              token.id, token.bucket_permissions.size(), bucket_list(token)));
  SourceTokenVerdict verdict;
  verdict.bucket_id = token.bucket_permissions.begin()->first;
  if (auto warning = expiry_warning(token, now, "source")) verdict.warnings.push_back(std::move(*warning));
  return verdict;
}

DestinationVerdict check_destination_token(const TokenInfo& token, const std::string& bucket_id, bool bucket_exists,
                                           TimePoint now) {
  DestinationVerdict verdict;
  const auto refuse_with = [&](std::string message, std::string hint) {
    verdict.access = DestinationVerdict::Access::refused;
    verdict.refusal = make_error(ErrorKind::permission, std::move(message), std::move(hint));
    return verdict;
  };
  if (expired(token, now) || token.is_disabled)
    return refuse_with(fmt::format("the destination token {} has expired or is disabled", token.id),
                       "refresh it in the destination project's Users & Settings > API Tokens");
  if (auto warning = expiry_warning(token, now, "destination")) verdict.warnings.push_back(std::move(*warning));
  const auto permission = token.bucket_permissions.find(bucket_id);
  const bool can_write = token.is_master_token || token.can_manage_buckets ||
                         (permission != token.bucket_permissions.end() &&
                          (permission->second == "write" || permission->second == "manage"));
  const bool can_create = token.is_master_token || token.can_manage_buckets;
  if (bucket_exists && can_write) {
    verdict.access = DestinationVerdict::Access::write;
    return verdict;
  }
  if (!bucket_exists && can_create) {
    verdict.access = DestinationVerdict::Access::create_bucket;
    return verdict;
  }
  if (bucket_exists)
    return refuse_with(
        fmt::format("the destination token {} cannot write to bucket {} (its access there: {})", token.id, bucket_id,
                    permission == token.bucket_permissions.end() ? "none" : permission->second),
        fmt::format("in the destination project, give a token write access to {} (Users & Settings > API Tokens)",
                    bucket_id));
  return refuse_with(
      fmt::format("destination bucket {} does not exist and the destination token {} may not create buckets", bucket_id,
                  token.id),
      fmt::format("create bucket {} in the destination project and give the token write access to it, or use a "
                  "token that can manage buckets",
                  bucket_id));
}

}  // namespace kbc::extract
