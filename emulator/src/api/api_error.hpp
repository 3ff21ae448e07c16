#pragma once
// A Storage API error answer: HTTP status, string code and message, thrown by any layer and
// turned into the real body {"error","code","status":"error","exceptionId"} at the edge.
#include <stdexcept>
#include <string>

namespace kbc::emulator {

class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string code, const std::string& message)
      : std::runtime_error(message), status_(status), code_(std::move(code)) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }

 private:
  int status_;
  std::string code_;
};

inline ApiError bad_request(const std::string& message, std::string code = "validation.failed") {
  return ApiError(400, std::move(code), message);
}
inline ApiError not_found(const std::string& message, std::string code = "notFound") {
  return ApiError(404, std::move(code), message);
}
inline ApiError access_denied(const std::string& message = "You don't have access to the resource.") {
  return ApiError(403, "accessDenied", message);
}

}  // namespace kbc::emulator
