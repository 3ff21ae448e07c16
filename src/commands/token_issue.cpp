// `token create` and `token refresh`: the two commands that print a token's string. It goes to
// stdout alone (one line), unmasked, exactly once; everything else goes to stderr through the
// masking logger, so `token create ... > source.token` leaves a file holding just the token.
#include <iostream>

#include <spdlog/spdlog.h>

#include "commands/connect.hpp"
#include "kbc_storage_extract/commands.hpp"
#include "kbc_storage_extract/storage_api/parse.hpp"

namespace kbc::commands {

namespace {

constexpr const char* kMasterHint =
    "use the master token of an administrator of the source project (Users & Settings > API Tokens "
    "lists it as the administrator's e-mail); only master tokens may create or refresh other tokens";

std::string expiry_text(const storage_api::TokenInfo& token) {
  return token.expires ? "expires " + storage_api::format_iso_utc(*token.expires) : "never expires";
}

// The verified token, or the exit code to stop with (already reported).
Result<storage_api::TokenInfo> verified_master(storage_api::StorageClient& client, const char* command) {
  auto info = client.verify_token();
  if (!info) return info.error();
  if (!info->is_master_token) {
    return make_error(ErrorKind::permission,
                      fmt::format("token {} ({}) is not a master token, and {} needs one", info->id,
                                  info->description, command),
                      kMasterHint);
  }
  return info;
}

void print_token_once(const Secret& token) { std::cout << token.reveal() << '\n' << std::flush; }

}  // namespace

ExitCode token_create(const TokenCreateOptions& options) {
  auto token = resolve_token(options.token);
  if (!token) return fail("token create", token.error());
  http::Client http;
  auto client = storage_client(options.url, *token, http);
  auto master = verified_master(client, "token create");
  if (!master) return fail("token create", master.error());

  // The bucket must exist: name the project's buckets when it does not.
  if (auto bucket = client.get_bucket(options.bucket); !bucket) {
    if (bucket.error().kind != ErrorKind::not_found) return fail("token create", bucket.error());
    std::string names;
    if (auto buckets = client.list_buckets()) {
      for (const auto& known : *buckets) names += (names.empty() ? "" : ", ") + known.id;
    }
    return fail("token create",
                make_error(ErrorKind::invalid_input,
                           fmt::format("bucket {} does not exist in project {} ({})", options.bucket,
                                       master->project_name, master->project_id),
                           names.empty() ? "the project has no buckets" : "its buckets: " + names));
  }

  storage_api::CreateTokenOptions create;
  create.description = options.description;
  create.bucket_permissions = {{options.bucket, "read"}};
  create.expires_in = options.expires_in;
  auto issued = client.create_token(create);
  if (!issued) return fail("token create", issued.error());
  spdlog::info("created token {} ({}) in project {} ({}): read-only on {}, {}; its string is on stdout, shown only "
               "this once: store it now",
               issued->info.id, issued->info.description, master->project_name, master->project_id, options.bucket,
               expiry_text(issued->info));
  print_token_once(issued->token);
  return ExitCode::success;
}

ExitCode token_refresh(const TokenRefreshOptions& options) {
  auto token = resolve_token(options.token);
  if (!token) return fail("token refresh", token.error());
  http::Client http;
  auto client = storage_client(options.url, *token, http);
  std::string id;
  if (options.token_id) {
    auto master = verified_master(client, "token refresh --id");
    if (!master) return fail("token refresh", master.error());
    id = *options.token_id;
  } else {
    auto self = client.verify_token();
    if (!self) return fail("token refresh", self.error());
    id = self->id;
  }
  auto issued = client.refresh_token(id);
  if (!issued) {
    if (issued.error().kind == ErrorKind::not_found && options.token_id) {
      return fail("token refresh", make_error(ErrorKind::invalid_input,
                                              fmt::format("the project has no token with id {}", id),
                                              "the id is the middle part of a token (101-<id>-...); "
                                              "`token verify` shows a token's id"));
    }
    return fail("token refresh", issued.error());
  }
  spdlog::info("refreshed token {} ({}), {}: the old string no longer works; the new one is on stdout, shown only "
               "this once: store it now",
               issued->info.id, issued->info.description, expiry_text(issued->info));
  print_token_once(issued->token);
  return ExitCode::success;
}

}  // namespace kbc::commands
