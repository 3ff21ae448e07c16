// Emulator admin endpoints (only with --faults): fault injection and the emulator clock.
#include <httplib.h>

#include <algorithm>

#include "api/api_error.hpp"
#include "api/http_util.hpp"
#include "api/routes.hpp"
#include "util/time_format.hpp"

namespace kbc::emulator {

using nlohmann::json;

namespace {

Fault::Action parse_action(const std::string& name) {
  static const std::pair<const char*, Fault::Action> kActions[] = {
      {"status", Fault::Action::status},     {"delay", Fault::Action::delay},
      {"drop", Fault::Action::drop},         {"truncate", Fault::Action::truncate},
      {"fail_job", Fault::Action::fail_job}, {"expire_credentials", Fault::Action::expire_credentials},
      {"lose_answer", Fault::Action::lose_answer}, {"shrink", Fault::Action::shrink},
      {"replace_body", Fault::Action::replace_body}, {"corrupt", Fault::Action::corrupt}};
  for (auto [text, action] : kActions) {
    if (name == text) return action;
  }
  throw bad_request("Unknown fault action \"" + name +
                    "\": use status, delay, drop, truncate, fail_job, expire_credentials, lose_answer, shrink, corrupt or replace_body.");
}

Fault parse_fault(const std::string& body) {
  json in = json::parse(body, nullptr, false);
  if (in.is_discarded() || !in.is_object()) throw bad_request("The fault must be a JSON object.");
  Fault fault;
  fault.action = parse_action(in.value("action", "status"));
  fault.method = in.value("method", "");
  std::transform(fault.method.begin(), fault.method.end(), fault.method.begin(), ::toupper);
  fault.path_regex = in.value("pathRegex", ".*");
  fault.target = in.value("target", "storage");
  if (fault.target != "storage" && fault.target != "s3" && fault.target != "gcs") {
    throw bad_request("target must be storage, s3 or gcs.");
  }
  fault.count = std::max(1, in.value("count", 1));
  fault.status = in.value("status", fault.action == Fault::Action::replace_body ? 200 : 500);
  fault.retry_after_seconds = in.value("retryAfterSeconds", 0);
  fault.delay_ms = in.value("delayMs", 0);
  fault.truncate_after = in.value("truncateAfter", std::uint64_t{0});
  fault.error_code = in.value("errorCode", "");
  fault.message = in.value("message", "");
  fault.echo_request = in.value("echoRequest", false);
  fault.body = in.value("body", "");
  fault.repeat = std::clamp(in.value("repeat", 1), 1, 1 << 20);
  try {
    std::regex check(fault.path_regex);
  } catch (const std::regex_error&) {
    throw bad_request("pathRegex is not a valid regular expression.");
  }
  return fault;
}

json clock_json(Services& services) {
  return {{"now", format_datetime(services.clock.now_seconds())}, {"offsetSeconds", services.clock.offset_seconds()}};
}

}  // namespace

void mount_admin(httplib::Server& server, Services& services) {
  server.Post("/_emulator/faults", guarded([&services](const auto& req, auto& res) {
    auto fault = parse_fault(req.body);
    services.faults.add(fault);
    send_json(res, 201, {{"added", true}, {"fired", services.faults.fired()}});
  }));
  server.Delete("/_emulator/faults", guarded([&services](const auto&, auto& res) {
    services.faults.clear();
    send_json(res, 204, nullptr);
  }));
  server.Get("/_emulator/faults", guarded([&services](const auto&, auto& res) {
    send_json(res, 200, {{"fired", services.faults.fired()}});
  }));
  // Every file storage credential issued so far (S3 and GCS) is expired from now on.
  server.Post("/_emulator/credentials/expire", guarded([&services](const auto&, auto& res) {
    services.files.expire_all_credentials();
    if (services.gcs) services.gcs->expire_all_tokens();
    send_json(res, 200, {{"expired", true}});
  }));
  // Multipart uploads created and neither completed nor aborted (a stopped client's leftovers).
  server.Get("/_emulator/uploads", guarded([&services](const auto&, auto& res) {
    send_json(res, 200, {{"openMultipartUploads", services.files.open_multipart_uploads()}});
  }));
  // What the S3 file storage issued that must never reach a log, a report or a state file.
  server.Get("/_emulator/secrets", guarded([&services](const auto&, auto& res) {
    send_json(res, 200, {{"s3", services.files.issued_secrets()}});
  }));
  server.Post("/_emulator/clock", guarded([&services](const auto& req, auto& res) {
    json in = json::parse(req.body, nullptr, false);
    if (in.is_discarded() || !in.is_object() || !in.contains("advanceSeconds") || !in["advanceSeconds"].is_number_integer()) {
      throw bad_request("Send {\"advanceSeconds\": N} with an integer N.");
    }
    services.clock.advance(in["advanceSeconds"].get<std::int64_t>());
    send_json(res, 200, clock_json(services));
  }));
  server.Get("/_emulator/clock", guarded([&services](const auto&, auto& res) { send_json(res, 200, clock_json(services)); }));
}

}  // namespace kbc::emulator
