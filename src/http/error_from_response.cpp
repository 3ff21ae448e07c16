#include <curl/curl.h>

#include <nlohmann/json.hpp>

#include "kbc_storage_extract/http/client.hpp"

namespace kbc::http {

std::string xml_field(const std::string& body, const std::string& tag) {
  const auto open = body.find("<" + tag + ">");
  if (open == std::string::npos) return {};
  const auto start = open + tag.size() + 2;
  const auto close = body.find("</" + tag + ">", start);
  if (close == std::string::npos) return {};
  return body.substr(start, close - start);
}

namespace {

ErrorKind kind_for_status(int status, bool has_retry_after) {
  switch (status) {
    case 400: return ErrorKind::invalid_input;
    case 401: return ErrorKind::authentication;
    case 403: return ErrorKind::permission;
    case 404: return ErrorKind::not_found;
    case 408: return ErrorKind::transient;
    case 409:
    case 412: return ErrorKind::conflict;
    case 429: return ErrorKind::throttled;
    case 503: return has_retry_after ? ErrorKind::throttled : ErrorKind::server;
    default: break;
  }
  if (status >= 500) return ErrorKind::server;
  if (status >= 400) return ErrorKind::invalid_input;
  return ErrorKind::protocol;  // a 1xx/3xx where an answer was expected
}

std::string default_hint(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::authentication: return "check that the token is valid and has not expired";
    case ErrorKind::permission: return "the token is not allowed to do this; check its permissions";
    case ErrorKind::throttled: return "the service asks to slow down; retried automatically";
    default: return {};
  }
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (value.size() > 9) return std::chrono::milliseconds{std::chrono::hours{24}};  // absurd: treat as "long"
    return std::chrono::seconds{std::stol(std::string(value))};
  }
  const std::string text(value);
  const time_t at = curl_getdate(text.c_str(), nullptr);
  if (at < 0) return std::nullopt;
  // A date centuries ahead does not fit system_clock's nanoseconds: compare in seconds first.
  if (at - std::chrono::system_clock::to_time_t(now) > 24 * 3600) return std::chrono::milliseconds{std::chrono::hours{24}};
  const auto wait = std::chrono::system_clock::from_time_t(at) - now;
  return std::max(std::chrono::milliseconds{0}, std::chrono::duration_cast<std::chrono::milliseconds>(wait));
}

Error error_from_response(const Response& response, std::string_view what) {
  Error error;
  error.http_status = response.status;
  const auto retry_after = response.header("retry-after");
  if (retry_after) error.retry_after = parse_retry_after(*retry_after, std::chrono::system_clock::now());
  error.kind = kind_for_status(response.status, error.retry_after.has_value());

  std::string server_message;
  const auto& body = response.body;
  const auto first = body.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && body[first] == '{') {
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_object()) {
      auto text = [&](const char* key) { return json.contains(key) && json[key].is_string() ? json[key].get<std::string>() : std::string{}; };
      server_message = text("error");
      if (server_message.empty()) server_message = text("message");
      error.api_code = text("code");
      error.request_id = text("exceptionId");
    }
  } else if (body.find("<Error>") != std::string::npos) {
    error.api_code = xml_field(body, "Code");
    server_message = xml_field(body, "Message");
    error.request_id = xml_field(body, "RequestId");
  }

  error.message = std::string(what) + ": " + (server_message.empty() ? "the server answered HTTP " + std::to_string(response.status) : redact_url(server_message));
  if (error.hint.empty()) error.hint = default_hint(error.kind);
  return error;
}

}  // namespace kbc::http
