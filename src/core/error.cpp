#include "kbc_storage_extract/error.hpp"

#include "kbc_storage_extract/exit_codes.hpp"

namespace kbc {

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid_input: return "invalid_input";
    case ErrorKind::authentication: return "authentication";
    case ErrorKind::permission: return "permission";
    case ErrorKind::credentials_expired: return "credentials_expired";
    case ErrorKind::not_found: return "not_found";
    case ErrorKind::conflict: return "conflict";
    case ErrorKind::throttled: return "throttled";
    case ErrorKind::transient: return "transient";
    case ErrorKind::server: return "server";
    case ErrorKind::protocol: return "protocol";
    case ErrorKind::integrity: return "integrity";
    case ErrorKind::job_failed: return "job_failed";
    case ErrorKind::io: return "io";
    case ErrorKind::cancelled: return "cancelled";
    case ErrorKind::internal: return "internal";
  }
  return "internal";
}

bool Error::may_pass() const {
  switch (kind) {
    case ErrorKind::throttled:
    case ErrorKind::transient:
      return true;
    case ErrorKind::server:
      return http_status != 501;
    default:
      return false;
  }
}

std::string Error::describe() const {
  std::string text = message;
  if (http_status != 0) text += " (HTTP " + std::to_string(http_status) + (api_code.empty() ? "" : " " + api_code) + ")";
  if (!request_id.empty()) text += " [request " + request_id + "]";
  if (!hint.empty()) text += ". " + hint;
  return text;
}

Error make_error(ErrorKind kind, std::string message, std::string hint) {
  Error error;
  error.kind = kind;
  error.message = std::move(message);
  error.hint = std::move(hint);
  return error;
}

ExitCode exit_code_for(const Error& error) {
  switch (error.kind) {
    case ErrorKind::invalid_input: return ExitCode::usage_error;
    case ErrorKind::authentication:
    case ErrorKind::permission: return ExitCode::auth_error;
    case ErrorKind::cancelled: return ExitCode::interrupted;
    default: return ExitCode::runtime_failure;
  }
}

}  // namespace kbc
