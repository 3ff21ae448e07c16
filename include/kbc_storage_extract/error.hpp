#pragma once
// Failures as typed values: every layer returns an Error whose kind a retry policy and the
// exit-code mapping read; callers never parse message strings.
#include <chrono>
#include <optional>
#include <string>

namespace kbc {

enum class ErrorKind {
  invalid_input,   // config, flags, parameters: fix the input
  authentication,  // token missing, invalid or expired (HTTP 401)
  permission,      // token valid but not allowed (HTTP 403) or the wrong kind of token
  credentials_expired,  // temporary file-storage credentials expired: ask the Storage API again
  not_found,       // table, bucket, file, object missing (HTTP 404)
  conflict,        // state does not allow the operation (HTTP 409, e.g. primary key clash)
  throttled,       // HTTP 429 or 503 maintenance: retry after `retry_after`
  transient,       // connection reset, timeout, truncated body: retry
  server,          // HTTP 5xx: retry (except 501)
  protocol,        // the peer answered something we cannot understand
  integrity,       // file storage holds other bytes than the Storage API promised (sizes,
                   // manifest entries): never retried, nothing is imported
  job_failed,      // an asynchronous Storage job ended with status "error"
  io,              // local file system
  cancelled,       // interrupted by the user or a sibling failure
  internal,        // a bug in this tool
};

const char* to_string(ErrorKind kind);

struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string message;     // what went wrong and where; never contains a secret
  std::string hint;        // what the user can do about it (may be empty)
  int http_status = 0;     // 0 when no HTTP answer was involved
  std::string api_code;    // Storage API error code, e.g. "storage.tokenInvalid"
  std::string request_id;  // exceptionId / x-amz-request-id, for support tickets
  std::optional<std::chrono::milliseconds> retry_after;  // from a Retry-After header
  // Set by the retry loop that gave up on this error: the fault may pass by itself, but its
  // owner already spent the attempts, so no loop around it retries it again (no 8 x 8).
  bool retries_exhausted = false;

  // A fault that may pass by itself (throttling, 5xx other than 501, connection faults,
  // truncated bodies) and whose retries are not used up yet.
  bool retryable() const { return may_pass() && !retries_exhausted; }
  // The kind of fault alone, whatever its retries: for the few high-level loops that retry
  // a whole step on purpose (e.g. looking again for a job after its polls failed).
  bool may_pass() const;
  // "message (hint)" in one line, for logs and reports.
  std::string describe() const;
};

Error make_error(ErrorKind kind, std::string message, std::string hint = {});

}  // namespace kbc
