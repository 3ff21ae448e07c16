#pragma once
// Who is calling (X-StorageApi-Token on this region's listener) and what the token may do,
// following the token model of seeds/api-tokens.md.
#include <string>

#include "model/entities.hpp"
#include "services.hpp"

namespace httplib { struct Request; }

namespace kbc::emulator {

struct Caller {
  Token token;
  Project project;
};

// 401 storage.tokenInvalid for a missing, unknown, expired or foreign-region token.
Caller authenticate(Services& services, const httplib::Request& request, const std::string& region);

// "manage" (master / canManageBuckets), "write", "read" or "" (no access).
std::string bucket_permission(const Token& token, const std::string& bucket_id);
void require_read(const Caller& caller, const std::string& bucket_id);
void require_write(const Caller& caller, const std::string& bucket_id);
void require_manage_buckets(const Caller& caller);
void require_manage_tokens(const Caller& caller);

// Records a token event for the caller's token.
void record_event(Services& services, const Token& token, const std::string& event, const std::string& message,
                  const std::string& object_type = "", const std::string& object_id = "",
                  nlohmann::json params = nlohmann::json::object());

// "123-4567-***": a token as logs may show it.
std::string mask_token(const std::string& token);

}  // namespace kbc::emulator
