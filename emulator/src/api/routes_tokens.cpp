// Storage API tokens: verify, list, detail, create, update, delete, refresh, share, events.
#include <httplib.h>

#include <mutex>

#include "api/api_error.hpp"
#include "api/auth.hpp"
#include "api/http_util.hpp"
#include "api/params.hpp"
#include "api/routes.hpp"
#include "api/serialize.hpp"
#include "util/random.hpp"

namespace kbc::emulator {

using nlohmann::json;

namespace {

std::mutex token_id_mutex;  // token ids are part of the token string, chosen before insert

std::int64_t path_id(const httplib::Request& request) { return std::stoll(request.matches[1].str()); }

Token require_token(Services& services, const Caller& caller, std::int64_t id) {
  auto token = services.store.find_token(caller.project.id, id);
  if (!token) throw not_found("Token " + std::to_string(id) + " not found", "storage.tokens.notFound");
  return *token;
}

void apply_permissions(Token& token, const Params& params) {
  if (params.has("description")) token.description = *params.string("description");
  if (params.has("canManageBuckets")) token.can_manage_buckets = params.boolean("canManageBuckets");
  if (params.has("canReadAllFileUploads")) token.can_read_all_file_uploads = params.boolean("canReadAllFileUploads");
  if (params.has("canPurgeTrash")) token.can_purge_trash = params.boolean("canPurgeTrash");
  if (params.has("componentAccess")) token.component_access = params.list("componentAccess");
  if (params.has("bucketPermissions")) {
    token.bucket_permissions = params.map("bucketPermissions");
    for (const auto& [bucket, permission] : token.bucket_permissions) {
      if (permission != "read" && permission != "write") {
        throw bad_request("Invalid permission \"" + permission + "\" for bucket " + bucket + ": use read or write.",
                          "storage.tokens.invalidPermissions");
      }
    }
  }
}

}  // namespace

std::string make_token_string(std::int64_t project_id, std::int64_t token_id) {
  return std::to_string(project_id) + "-" + std::to_string(token_id) + "-" + random_alnum(40);
}

Token create_token(Services& services, const Project& project, const Params& params,
                   std::optional<std::int64_t> creator_token_id) {
  Token token;
  token.project_id = project.id;
  apply_permissions(token, params);
  for (const auto& [bucket, permission] : token.bucket_permissions) {
    if (!services.store.find_bucket(project.id, bucket)) {
      throw bad_request("Invalid bucket permissions: bucket " + bucket + " does not exist.",
                        "storage.tokens.invalidPermissions");
    }
  }
  if (token.description.empty() && creator_token_id) {
    if (auto creator = services.store.find_token(project.id, *creator_token_id)) {
      token.description = "Created by " + creator->description;
    }
  }
  if (auto expires_in = params.integer("expiresIn")) {
    if (*expires_in <= 0) throw bad_request("expiresIn must be a positive number of seconds.");
    token.expires = services.clock.now_seconds() + *expires_in;
  }
  token.created = token.refreshed = services.clock.now_seconds();
  token.creator_token_id = creator_token_id;
  std::lock_guard lock(token_id_mutex);
  token.id = services.store.next_token_id();
  token.token = make_token_string(project.id, token.id);
  return services.store.insert_token(std::move(token));
}

void mount_tokens(httplib::Server& server, Services& services, const std::string& region) {
  server.Get("/v2/storage/tokens/verify", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    send_json(res, 200, token_json(services, caller.token, caller.project, true));
  }));

  server.Get("/v2/storage/tokens", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    require_manage_tokens(caller);
    json out = json::array();
    for (const auto& token : services.store.list_tokens(caller.project.id)) {
      out.push_back(token_json(services, token, caller.project, false));
    }
    send_json(res, 200, out);
  }));

  server.Post("/v2/storage/tokens", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    require_manage_tokens(caller);
    auto params = Params::from(req);
    auto token = create_token(services, caller.project, params, caller.token.id);
    record_event(services, caller.token, "storage.tokenCreated", "Token " + token.description + " created", "token",
                 std::to_string(token.id));
    send_json(res, 201, token_json(services, token, caller.project, true));
  }));

  server.Get(R"(/v2/storage/tokens/(\d+))", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    auto id = path_id(req);
    if (id != caller.token.id) require_manage_tokens(caller);
    send_json(res, 200, token_json(services, require_token(services, caller, id), caller.project, false));
  }));

  server.Put(R"(/v2/storage/tokens/(\d+))", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    require_manage_tokens(caller);
    auto token = require_token(services, caller, path_id(req));
    if (token.is_master) throw access_denied("Master token cannot be modified.");
    auto params = Params::from(req);
    apply_permissions(token, params);
    for (const auto& [bucket, permission] : token.bucket_permissions) {
      if (!services.store.find_bucket(caller.project.id, bucket)) {
        throw bad_request("Invalid bucket permissions: bucket " + bucket + " does not exist.",
                          "storage.tokens.invalidPermissions");
      }
    }
    services.store.update_token(token);
    record_event(services, token, "storage.tokenUpdated", "Token " + token.description + " updated", "token",
                 std::to_string(token.id));
    send_json(res, 200, token_json(services, token, caller.project, false));
  }));

  server.Delete(R"(/v2/storage/tokens/(\d+))", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    require_manage_tokens(caller);
    auto token = require_token(services, caller, path_id(req));
    if (token.is_master) throw access_denied("Master token cannot be deleted.");
    services.store.delete_token(caller.project.id, token.id);
    record_event(services, caller.token, "storage.tokenDeleted", "Token " + token.description + " deleted", "token",
                 std::to_string(token.id));
    send_json(res, 204, nullptr);
  }));

  server.Post(R"(/v2/storage/tokens/(\d+)/refresh)", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    auto id = path_id(req);
    if (id != caller.token.id) require_manage_tokens(caller);
    auto token = require_token(services, caller, id);
    if (token.is_master && id != caller.token.id) throw access_denied("Master token can be refreshed only by itself.");
    token.token = make_token_string(caller.project.id, token.id);
    token.refreshed = services.clock.now_seconds();
    services.store.update_token(token);
    record_event(services, token, "storage.tokenRefreshed", "Token " + token.description + " refreshed", "token",
                 std::to_string(token.id));
    send_json(res, 200, token_json(services, token, caller.project, true));
  }));

  server.Post(R"(/v2/storage/tokens/(\d+)/share)", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    require_manage_tokens(caller);
    auto token = require_token(services, caller, path_id(req));
    if (token.is_master) throw access_denied("Master token cannot be shared.");
    auto params = Params::from(req);
    auto email = params.required_string("recipientEmail");
    // Recorded, never sent: the emulator has no mail.
    record_event(services, token, "storage.tokenShared", "Token " + token.description + " shared with " + email,
                 "token", std::to_string(token.id),
                 {{"recipientEmail", email}, {"message", params.string("message").value_or("")}});
    send_json(res, 204, nullptr);
  }));

  server.Get(R"(/v2/storage/tokens/(\d+)/events)", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    auto id = path_id(req);
    if (id != caller.token.id) require_manage_tokens(caller);
    auto token = require_token(services, caller, id);
    auto params = Params::from(req);
    auto limit = static_cast<int>(params.integer("limit").value_or(100));
    auto offset = static_cast<int>(params.integer("offset").value_or(0));
    json out = json::array();
    for (const auto& event : services.store.list_events(token.id, limit, offset)) {
      out.push_back(event_json(event, token));
    }
    send_json(res, 200, out);
  }));
}

}  // namespace kbc::emulator
