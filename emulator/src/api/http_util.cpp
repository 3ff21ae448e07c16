#include "api/http_util.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include "api/api_error.hpp"
#include "util/random.hpp"

namespace kbc::emulator {

void send_json(httplib::Response& response, int status, const nlohmann::json& body) {
  response.status = status;
  if (status == 204) return;
  response.set_content(body.dump(), "application/json");
}

void send_error(httplib::Response& response, int status, const std::string& code, const std::string& message) {
  send_json(response, status,
            {{"error", message}, {"code", code}, {"status", "error"}, {"exceptionId", "exception-" + random_hex(32)}});
}

RouteHandler guarded(RouteHandler handler) {
  return [handler = std::move(handler)](const httplib::Request& request, httplib::Response& response) {
    try {
      handler(request, response);
    } catch (const ApiError& e) {
      send_error(response, e.status(), e.code(), e.what());
    } catch (const std::exception& e) {
      spdlog::error("{} {} failed: {}", request.method, request.path, e.what());
      send_error(response, 500, "storage.internalError", "Internal error, please try again later.");
    }
  };
}

RequestFaults& current_request_faults() {
  thread_local RequestFaults faults;
  return faults;
}

}  // namespace kbc::emulator
