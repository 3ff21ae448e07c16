// `token verify`: what a token is (project, region, rights, expiry) and whether it is fit to
// be a source token; exit 0 when it is, 3 when it is not.
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands/connect.hpp"
#include "kbc_storage_extract/commands.hpp"
#include "kbc_storage_extract/extract/token_rules.hpp"
#include "kbc_storage_extract/redact.hpp"
#include "kbc_storage_extract/storage_api/parse.hpp"

namespace kbc::commands {

ExitCode token_verify(const TokenVerifyOptions& options) {
  auto token = resolve_token(options.token);
  if (!token) return fail("token verify", token.error());
  http::Client http;
  auto client = storage_client(options.url, *token, http);
  auto info = client.verify_token();
  if (!info) return fail("token verify", info.error());
  const auto now = std::chrono::system_clock::now();
  auto verdict = extract::check_source_token(*info, now);
  if (options.destination_bucket) {
    // As a destination token: can it write the bucket, or create it when missing?
    const auto& bucket_id = *options.destination_bucket;
    const bool may_see = info->is_master_token || info->can_manage_buckets || info->bucket_permissions.count(bucket_id);
    bool exists = false;
    if (may_see) {
      auto bucket = client.get_bucket(bucket_id);
      if (bucket) exists = true;
      else if (bucket.error().kind != ErrorKind::not_found) return fail("token verify", bucket.error());
    }
    const auto destination = extract::check_destination_token(*info, bucket_id, exists, now);
    verdict = {};
    verdict.warnings = destination.warnings;
    if (destination.access == extract::DestinationVerdict::Access::refused) {
      verdict.refused_by = extract::SourceTokenRule::write_permission;
      verdict.refusal = destination.refusal;
    }
    verdict.bucket_id = bucket_id;
  }
  const std::string role = options.destination_bucket ? "destination" : "source";

  std::string rights;
  if (info->is_master_token) rights += "master token; ";
  if (info->can_manage_buckets) rights += "can manage buckets; ";
  if (info->can_manage_tokens) rights += "can manage tokens; ";
  std::string buckets;
  for (const auto& [bucket, permission] : info->bucket_permissions)
    buckets += fmt::format("{}{} ({})", buckets.empty() ? "" : ", ", bucket, permission);
  const std::string expiry = info->expires ? storage_api::format_iso_utc(*info->expires) : "never";

  if (options.json) {
    nlohmann::json out = {{"id", info->id},
                          {"description", info->description},
                          {"projectId", info->project_id},
                          {"projectName", info->project_name},
                          {"region", info->region},
                          {"url", client.base_url()},
                          {"isMasterToken", info->is_master_token},
                          {"canManageBuckets", info->can_manage_buckets},
                          {"canManageTokens", info->can_manage_tokens},
                          {"bucketPermissions", info->bucket_permissions},
                          {"expires", info->expires ? nlohmann::json(expiry) : nlohmann::json()},
                          {"role", role},
                          {"usable", verdict.usable()},
                          {"usableAsSource", !options.destination_bucket && verdict.usable()},
                          {"bucket", verdict.usable() ? nlohmann::json(verdict.bucket_id) : nlohmann::json()},
                          {"sourceBucket", !options.destination_bucket && verdict.usable() ? nlohmann::json(verdict.bucket_id) : nlohmann::json()},
                          {"rule", verdict.refused_by && !options.destination_bucket ? nlohmann::json(extract::to_string(*verdict.refused_by)) : nlohmann::json()},
                          {"message", verdict.usable() ? nlohmann::json() : nlohmann::json(verdict.refusal.message)},
                          {"hint", verdict.usable() ? nlohmann::json() : nlohmann::json(verdict.refusal.hint)},
                          {"warnings", verdict.warnings}};
    std::cout << redact(out.dump(2)) << '\n';
  } else {
    std::string text;
    text += fmt::format("token:       {} ({})\n", info->id, info->description);
    text += fmt::format("project:     {} (id {})\n", info->project_name, info->project_id);
    text += fmt::format("region:      {} ({})\n", info->region.empty() ? "-" : info->region, client.base_url());
    text += fmt::format("rights:      {}buckets: {}\n", rights, buckets.empty() ? "none" : buckets);
    text += fmt::format("expires:     {}\n", expiry);
    for (const auto& warning : verdict.warnings) text += "warning:     " + warning + "\n";
    if (verdict.usable() && options.destination_bucket)
      text += fmt::format("verdict:     usable as a destination token (writes bucket {})\n", verdict.bucket_id);
    else if (verdict.usable())
      text += fmt::format("verdict:     usable as a source token (reads bucket {})\n", verdict.bucket_id);
    else
      text += fmt::format("verdict:     NOT usable as a {} token: {}\n             {}\n", role, verdict.refusal.message,
                          verdict.refusal.hint);
    std::cout << redact(text) << std::flush;
  }
  return verdict.usable() ? ExitCode::success : ExitCode::auth_error;
}

}  // namespace kbc::commands
