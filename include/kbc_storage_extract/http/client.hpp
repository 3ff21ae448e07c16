#pragma once
// HTTP transport over libcurl: connection reuse, streamed bodies in both directions. It knows
// no cloud provider: a backend signs its requests itself (headers it adds before send()).
// An HTTP status is an answer, not an error: send() fails only when no complete answer
// arrived (connect/timeout/reset/truncated body), with ErrorKind::transient, or when the run
// was stopped (process_stop()), with ErrorKind::cancelled within about a second.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kbc_storage_extract/bytes.hpp"
#include "kbc_storage_extract/result.hpp"

namespace kbc::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

// The default bound of an answer kept in memory: far above any Storage API answer (a bucket's
// table list with columns) and far below what would hurt the machine.
inline constexpr std::size_t k_max_answer_bytes = 64 << 20;

struct Request {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;  // small bodies (JSON, forms, XML)
  // Streamed upload: when upload_source is set, `body` is ignored and exactly
  // upload_length bytes are pulled from it.
  ByteSource upload_source;
  std::uint64_t upload_length = 0;
  // Streamed download: when set, the body of a 2xx answer goes here, not to Response::body.
  ByteSink download_sink;
  std::chrono::milliseconds total_timeout{0};  // 0 = none (large transfers)
  // An answer kept in memory (no download_sink) larger than this stops the request with
  // ErrorKind::protocol: a broken or hostile server cannot make the tool buffer without bound.
  std::size_t max_body_bytes = k_max_answer_bytes;
};

struct Response {
  int status = 0;
  Headers headers;   // names lower-cased
  std::string body;  // empty when streamed to download_sink
  std::optional<std::string> header(std::string_view name) const;
};

// What every request of a client may take before it is abandoned as a transient fault (the
// retry policy of its caller decides about another attempt). Set from --min-speed and
// --stall-timeout; the defaults suit the real clouds.
struct Limits {
  std::chrono::milliseconds connect_timeout{10'000};
  // Abort a request that moves fewer than min_speed bytes per second (answer awaited, or body
  // going either way) over stall_time: a stalled or trickling peer. 0 disables it.
  long min_speed = 1024;
  std::chrono::seconds stall_time{60};
};

class Client {
 public:
  explicit Client(Limits limits = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  // One request; safe to call from several threads at once (each request takes an idle
  // connection from the client's pool and returns it, so connections are reused).
  Result<Response> send(const Request& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Map a non-2xx answer to a typed Error by its status: 401 authentication, 403 permission,
// 404 not_found, 409 conflict, 429/503+Retry-After throttled, other 5xx server. The message,
// code and request id come from a JSON body ({"error"|"message","code","exceptionId"}, the
// Storage API's) or an XML one (<Error><Code><Message><RequestId>); what a provider's codes
// mean is that backend's own error map (transfer/<provider>/). `what` says what was done.
Error error_from_response(const Response& response, std::string_view what);

// The text of the first <tag>…</tag> in an XML body (cloud storage answers), or empty.
std::string xml_field(const std::string& body, const std::string& tag);

// RFC 3986 percent-encoding: unreserved characters (A-Z a-z 0-9 - _ . ~) stay, every other
// byte becomes %XX (uppercase); '/' stays when `keep_slash` (a path, not one segment).
std::string percent_encode(std::string_view text, bool keep_slash);

// `url` with the query string's signature/credential values replaced by "***".
std::string redact_url(std::string_view url);

// A Retry-After value (delta-seconds or an HTTP date, relative to `now`) as a wait; nullopt
// when it cannot be read. A date in the past is a wait of zero.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::system_clock::time_point now);

}  // namespace kbc::http
