#include "api/auth.hpp"

#include <httplib.h>

#include "api/api_error.hpp"

namespace kbc::emulator {

namespace {
ApiError invalid_token() { return ApiError(401, "storage.tokenInvalid", "Invalid access token"); }
}  // namespace

Caller authenticate(Services& services, const httplib::Request& request, const std::string& region) {
  auto value = request.get_header_value("X-StorageApi-Token");
  if (value.empty()) throw ApiError(401, "storage.tokenMissing", "Access token must be set");
  auto token = services.store.find_token_by_string(value);
  if (!token) throw invalid_token();
  auto project = services.store.find_project(token->project_id);
  // A token works only on its own stack: another region's listener does not know it.
  if (!project || project->region != region) throw invalid_token();
  if (token->expired(services.clock.now_seconds())) {
    // The PHP client's tests expect this code for an expired token.
    throw ApiError(401, "storage.tokenExpired", "Your token has expired.");
  }
  return Caller{std::move(*token), std::move(*project)};
}

std::string bucket_permission(const Token& token, const std::string& bucket_id) {
  if (token.sees_all_buckets()) return "manage";
  auto it = token.bucket_permissions.find(bucket_id);
  return it == token.bucket_permissions.end() ? "" : it->second;
}

void require_read(const Caller& caller, const std::string& bucket_id) {
  if (bucket_permission(caller.token, bucket_id).empty()) {
    throw access_denied("You don't have access to the resource. Bucket " + bucket_id + " is not accessible with this token.");
  }
}

void require_write(const Caller& caller, const std::string& bucket_id) {
  auto permission = bucket_permission(caller.token, bucket_id);
  if (permission != "write" && permission != "manage") {
    throw access_denied("You don't have access to the resource. The token cannot write to bucket " + bucket_id + ".");
  }
}

void require_manage_buckets(const Caller& caller) {
  if (!caller.token.sees_all_buckets()) {
    throw access_denied("You don't have access to the resource. The token cannot manage buckets (canManageBuckets).");
  }
}

void require_manage_tokens(const Caller& caller) {
  if (!caller.token.can_manage_tokens()) {
    throw access_denied("You don't have access to the resource. Only a master token can manage tokens.");
  }
}

void record_event(Services& services, const Token& token, const std::string& event, const std::string& message,
                  const std::string& object_type, const std::string& object_id, nlohmann::json params) {
  services.store.add_event(TokenEvent{0, token.id, token.project_id, event, message, object_type, object_id,
                                      std::move(params), services.clock.now_seconds()});
}

std::string mask_token(const std::string& token) {
  auto first = token.find('-');
  auto second = first == std::string::npos ? std::string::npos : token.find('-', first + 1);
  if (second == std::string::npos) return "***";
  return token.substr(0, second + 1) + "***";
}

}  // namespace kbc::emulator
