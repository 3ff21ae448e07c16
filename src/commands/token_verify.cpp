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
  const auto verdict = extract::check_source_token(*info, std::chrono::system_clock::now());

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
                          {"usableAsSource", verdict.usable()},
                          {"sourceBucket", verdict.usable() ? nlohmann::json(verdict.bucket_id) : nlohmann::json()},
                          {"rule", verdict.refused_by ? nlohmann::json(extract::to_string(*verdict.refused_by)) : nlohmann::json()},
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
    if (verdict.usable())
      text += fmt::format("verdict:     usable as a source token (reads bucket {})\n", verdict.bucket_id);
    else
      text += fmt::format("verdict:     NOT usable as a source token: {}\n             {}\n", verdict.refusal.message,
                          verdict.refusal.hint);
    std::cout << redact(text) << std::flush;
  }
  return verdict.usable() ? ExitCode::success : ExitCode::auth_error;
}

}  // namespace kbc::commands
