#pragma once
// Answers in the Storage API's shapes, and the per-request fault context that fault
// injection hands from the pre-routing handler to the route that starts a job or issues
// credentials.
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "faults.hpp"

namespace httplib { struct Request; struct Response; }

namespace kbc::emulator {

void send_json(httplib::Response& response, int status, const nlohmann::json& body);
// {"error","code","status":"error","exceptionId"}
void send_error(httplib::Response& response, int status, const std::string& code, const std::string& message);

using RouteHandler = std::function<void(const httplib::Request&, httplib::Response&)>;
// Runs `handler`, turning ApiError and any other exception into the error body.
RouteHandler guarded(RouteHandler handler);

// Faults that act after routing (fail_job, expire_credentials, truncate) for the request
// being handled on this thread; set by the pre-routing handler, read by the route.
struct RequestFaults {
  std::optional<Fault> fail_job;
  std::optional<Fault> expire_credentials;
  std::optional<Fault> truncate;
  std::optional<Fault> lose_answer;
  std::optional<Fault> replace_body;
};
RequestFaults& current_request_faults();

}  // namespace kbc::emulator
