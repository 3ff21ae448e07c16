#include "s3/router.hpp"

#include <spdlog/spdlog.h>

#include <optional>
#include <thread>

#include "faults.hpp"
#include "s3/connection_drop.hpp"
#include "s3/handlers.hpp"

namespace kbc::emulator::s3 {

namespace {

enum class FaultOutcome { proceed, answered, dropped, expire_credentials };

FaultOutcome apply_fault(StoreState& state, S3Request& r) {
  auto fault = state.faults.take("s3", r.http.method, r.http.path);
  if (!fault) return FaultOutcome::proceed;
  spdlog::info("s3 fault injected on {} {}", r.http.method, r.http.path);
  switch (fault->action) {
    case Fault::Action::status: {
      std::string message = fault->message;
      if (fault->echo_request) {
        message += " Request: " + r.http.method + " " + r.http.target;
        for (const auto& [name, value] : r.http.headers) message += "\n" + name + ": " + value;
      }
      r.send_error(errors::for_status(fault->status, fault->error_code, message, fault->retry_after_seconds));
      return FaultOutcome::answered;
    }
    case Fault::Action::delay:
      std::this_thread::sleep_for(std::chrono::milliseconds(fault->delay_ms));
      return FaultOutcome::proceed;
    case Fault::Action::truncate:
      if (r.http.method == "GET") {
        r.truncate_after = fault->truncate_after;
        return FaultOutcome::proceed;
      }
      [[fallthrough]];  // nothing to truncate: the closest is no answer at all
    case Fault::Action::drop:
      if (!drop_connection(r.http)) {
        // Never answer 200 to a request meant to fail.
        r.send_error(errors::internal_error("injected drop: the connection could not be found"));
        return FaultOutcome::answered;
      }
      return FaultOutcome::dropped;
    case Fault::Action::expire_credentials:
      return FaultOutcome::expire_credentials;
    case Fault::Action::lose_answer:  // Storage API listeners only
    case Fault::Action::fail_job:
      return FaultOutcome::proceed;  // no jobs here
    case Fault::Action::shrink:
      // A short object as storage would hold it (a slice written partly, an empty upload):
      // HEAD says the short size and GET serves those bytes, consistently.
      r.shrink_to = fault->truncate_after;
      return FaultOutcome::proceed;
    case Fault::Action::corrupt:
      // Bit rot or a broken proxy: every length is right, one byte is not.
      if (r.http.method == "GET") r.corrupt_at = fault->truncate_after;
      return FaultOutcome::proceed;
    case Fault::Action::replace_body:
      if (r.http.method == "GET") {
        // A hostile or broken manifest: the test writes it; {prefix} is the key without its
        // "manifest", so entries can name the file's real slices.
        std::string body = fault->body;
        std::string prefix = r.key;
        if (prefix.ends_with("manifest")) prefix.resize(prefix.size() - 8);
        for (const auto& [name, value] : {std::pair<std::string, std::string>{"{bucket}", r.bucket}, {"{prefix}", prefix}}) {
          for (auto at = body.find(name); at != std::string::npos; at = body.find(name, at + value.size()))
            body.replace(at, name.size(), value);
        }
        r.response.status = 200;
        r.response.set_content(body, "application/json");
        return FaultOutcome::answered;
      }
      return FaultOutcome::proceed;
  }
  return FaultOutcome::proceed;
}

bool object_key_valid(const StoreState& state, const S3Request& r) {
  try {
    state.objects.object_path(r.bucket, r.key);
    return true;
  } catch (const std::invalid_argument&) {
    return false;
  }
}

// Whether the signer may touch what the request names (object operations only; the rest is
// checked by their handlers).
std::optional<S3Error> scope_error(const StoreState& state, const S3Request& r) {
  if (r.bucket.empty()) return errors::access_denied();
  if (!state.bucket_exists(r.bucket)) return errors::no_such_bucket(r.bucket);
  if (!r.key.empty() && !r.principal->credential.allows(r.bucket, r.key)) return errors::access_denied();
  return std::nullopt;
}

void dispatch(StoreState& state, S3Request& r) {
  const auto& method = r.http.method;
  if (r.bucket.empty()) return r.send_error(errors::access_denied());  // ListBuckets: not for temporary credentials
  if (!state.bucket_exists(r.bucket)) return r.send_error(errors::no_such_bucket(r.bucket));

  if (r.key.empty()) {
    if (method == "GET" && r.has_param("location")) {
      if (r.principal->credential.bucket != r.bucket) return r.send_error(errors::access_denied());
      return r.send_xml(200, "<LocationConstraint xmlns=\"" + std::string(s3_xmlns) + "\">" +
                                 (state.region == "us-east-1" ? "" : xml_escape(state.region)) + "</LocationConstraint>");
    }
    if (method == "GET") return list_objects(state, r);
    if (method == "HEAD") {
      if (r.principal->credential.bucket != r.bucket) return r.send_error(errors::access_denied());
      r.response.status = 200;
      r.response.set_header("x-amz-bucket-region", state.region);
      return;
    }
    return r.send_error(errors::method_not_allowed());
  }

  if (!object_key_valid(state, r)) {
    return r.send_error(errors::invalid_argument("Object keys with '.', '..' or empty path segments are not supported"));
  }
  if (auto error = scope_error(state, r)) return r.send_error(*error);

  const bool upload_id = r.has_param("uploadId");
  if (method == "GET" || method == "HEAD") return upload_id && method == "GET" ? list_parts(state, r) : get_object(state, r);
  if (method == "PUT") return upload_id || r.has_param("partNumber") ? upload_part(state, r) : put_object(state, r);
  if (method == "POST") {
    if (r.has_param("uploads")) return create_multipart_upload(state, r);
    if (upload_id) return complete_multipart_upload(state, r);
    return r.send_error(errors::method_not_allowed());
  }
  if (method == "DELETE") return upload_id ? abort_multipart_upload(state, r) : delete_object(state, r);
  r.send_error(errors::method_not_allowed());
}

}  // namespace

int check_before_body(StoreState& state, const httplib::Request& request, httplib::Response& response) {
  S3Request r(request, response, nullptr);
  auto auth = authenticate(request, r.raw_path, r.raw_query, state.credentials, state.region,
                           std::chrono::system_clock::now());
  std::optional<S3Error> error;
  if (auto* failed = std::get_if<S3Error>(&auth)) {
    error = *failed;
  } else {
    r.principal = std::get<Principal>(std::move(auth));
    error = scope_error(state, r);
  }
  if (!error) return 100;
  response.set_header("x-amz-request-id", r.request_id);
  response.set_header("Connection", "close");  // the body never comes; nothing else can follow
  r.send_error(*error);
  // httplib sends this answer as is (it only adds Content-Length to routed answers).
  response.set_header("Content-Length", std::to_string(response.body.size()));
  return error->status;
}

void serve(StoreState& state, const httplib::Request& request, httplib::Response& response,
           const httplib::ContentReader* body) {
  // httplib would apply Range itself to whatever we answer (error bodies too); S3's rules
  // differ, so the handlers answer Range and httplib must not. The Request is httplib's own
  // mutable object, only handed to us as const.
  const_cast<httplib::Request&>(request).ranges.clear();
  S3Request r(request, response, body);
  spdlog::debug("s3 {} {} x-amz-content-sha256={} content-encoding={} x-amz-trailer={} checksum-crc32={}",
                request.method, request.path, request.get_header_value("X-Amz-Content-Sha256"),
                request.get_header_value("Content-Encoding"), request.get_header_value("X-Amz-Trailer"),
                request.get_header_value("X-Amz-Checksum-Crc32"));
  response.set_header("x-amz-request-id", r.request_id);
  response.set_header("x-amz-id-2", r.request_id);
  response.set_header("Server", "kbc-storage-emulator");
  try {
    auto fault = apply_fault(state, r);
    if (fault == FaultOutcome::dropped) return;
    if (fault == FaultOutcome::proceed || fault == FaultOutcome::expire_credentials) {
      auto auth = authenticate(request, r.raw_path, r.raw_query, state.credentials, state.region,
                               std::chrono::system_clock::now());
      if (auto* error = std::get_if<S3Error>(&auth)) {
        r.send_error(*error);
      } else if (fault == FaultOutcome::expire_credentials) {
        // As if these credentials had run out just now: this and every later request fails.
        state.credentials.expire(std::get<Principal>(auth).credential.credentials.access_key_id);
        r.send_error(errors::expired_token());
      } else {
        r.principal = std::get<Principal>(std::move(auth));
        dispatch(state, r);
      }
    }
  } catch (const std::exception& e) {
    spdlog::error("s3 {} {} failed: {}", request.method, request.path, e.what());
    r.send_error(errors::internal_error());
  }
  r.finish_body();
}

}  // namespace kbc::emulator::s3
