#include "api/fault_http.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <thread>

#include "api/http_util.hpp"
#include "api/run_id.hpp"
#include "s3/connection_drop.hpp"
#include "s3/object_files.hpp"
#include "services.hpp"
#include "util/time_format.hpp"

namespace kbc::emulator {

namespace {

void answer_status(httplib::Response& res, const Fault& fault, std::int64_t now) {
  if (fault.retry_after_seconds > 0) res.set_header("Retry-After", std::to_string(fault.retry_after_seconds));
  if (fault.status == 503) {
    // The maintenance answer of storage-api.md §8.
    send_json(res, 503,
              {{"status", "maintenance"},
               {"reason", fault.message.empty() ? "Scheduled maintenance (injected fault)" : fault.message},
               {"estimatedEndTime", format_datetime(now + std::max(fault.retry_after_seconds, 60))}});
    return;
  }
  std::string code = fault.error_code;
  if (code.empty()) code = fault.status == 429 ? "storage.tooManyRequests" : "storage.injectedFault";
  std::string message = fault.message;
  if (message.empty()) message = "Injected fault: HTTP " + std::to_string(fault.status);
  send_error(res, fault.status, code, message);
}

}  // namespace

void install_storage_faults(httplib::Server& server, Services& services, BeforeRouting before) {
  server.set_pre_routing_handler([&services, before](const httplib::Request& req, httplib::Response& res) {
    capture_run_id(req);  // every request, faults or not: the routes that store it read it
    auto& context = current_request_faults();
    context = RequestFaults{};
    if (before && before(req, res)) return httplib::Server::HandlerResponse::Handled;
    if (!services.options.faults || req.path.rfind("/_emulator/", 0) == 0) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    auto fault = services.faults.take("storage", req.method, req.path);
    if (!fault) return httplib::Server::HandlerResponse::Unhandled;
    spdlog::info("fault {} on {} {}", static_cast<int>(fault->action), req.method, req.path);
    switch (fault->action) {
      case Fault::Action::status:
        answer_status(res, *fault, services.clock.now_seconds());
        // Answered before httplib read the request's body: the unread body would be parsed as
        // the next request on this kept-alive connection (a retried POST then got 400). Close
        // it, as a real server that refuses early does.
        res.set_header("Connection", "close");
        return httplib::Server::HandlerResponse::Handled;
      case Fault::Action::delay:
        std::this_thread::sleep_for(std::chrono::milliseconds(fault->delay_ms));
        return httplib::Server::HandlerResponse::Unhandled;
      case Fault::Action::drop:
        if (!s3::drop_connection(req)) spdlog::warn("fault drop: connection of {} not found", req.path);
        res.status = 500;
        return httplib::Server::HandlerResponse::Handled;
      case Fault::Action::truncate:
        context.truncate = fault;
        return httplib::Server::HandlerResponse::Unhandled;
      case Fault::Action::fail_job:
        context.fail_job = fault;
        return httplib::Server::HandlerResponse::Unhandled;
      case Fault::Action::expire_credentials:
        context.expire_credentials = fault;
        return httplib::Server::HandlerResponse::Unhandled;
      case Fault::Action::lose_answer:
        context.lose_answer = fault;
        return httplib::Server::HandlerResponse::Unhandled;
      case Fault::Action::replace_body:
        context.replace_body = fault;
        return httplib::Server::HandlerResponse::Unhandled;
      case Fault::Action::shrink:  // file storage only
      case Fault::Action::corrupt:
        return httplib::Server::HandlerResponse::Unhandled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  server.set_post_routing_handler([&services](const httplib::Request& req, httplib::Response& res) {
    // Clients read the server's time from Date (the tool's changedUntil windows): the
    // emulator's clock, so that /_emulator/clock moves it too.
    res.set_header("Date", s3::http_date(std::chrono::system_clock::time_point(
                               std::chrono::seconds(services.clock.now_seconds()))));
    auto& context = current_request_faults();
    if (context.lose_answer) {
      // The request was carried out (the job exists); only its answer is lost.
      context.lose_answer.reset();
      if (!s3::drop_connection(req)) spdlog::warn("fault lose_answer: connection of {} not found", req.path);
      return;
    }
    if (context.replace_body) {
      // The request was carried out; its answer is the test's (not JSON, the wrong shape, huge,
      // nested deep): how the tool reads an API that answers what it should not.
      // httplib has set the length (and maybe compressed the body) before this handler runs.
      for (const char* name : {"Content-Length", "Content-Type", "Content-Encoding"}) res.headers.erase(name);
      res.status = context.replace_body->status;
      res.body.clear();
      for (int i = 0; i < context.replace_body->repeat; ++i) res.body += context.replace_body->body;
      res.set_header("Content-Type", "application/json");
      res.set_header("Content-Length", std::to_string(res.body.size()));
      context.replace_body.reset();
      return;
    }
    if (!context.truncate) return;
    auto limit = context.truncate->truncate_after;
    context.truncate.reset();
    auto body = std::make_shared<std::string>(std::move(res.body));
    res.body.clear();
    auto content_type = res.get_header_value("Content-Type");
    // Announce the whole length, send only the first `limit` bytes, then close.
    res.set_content_provider(body->size(), content_type,
                             [body, limit](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                               if (offset >= limit) return false;
                               auto n = std::min<std::size_t>(length, limit - offset);
                               sink.write(body->data() + offset, n);
                               return true;
                             });
  });
}

}  // namespace kbc::emulator
