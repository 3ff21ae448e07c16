#pragma once
// Fault injection, driven over HTTP by tests (POST /_emulator/faults, only with --faults):
// the next `count` requests that match method + path regex get the fault instead of (or on
// top of) the normal answer.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace kbc::emulator {

struct Fault {
  enum class Action {
    status,          // answer `status` (with Retry-After when retry_after_seconds > 0)
    delay,           // wait delay_ms, then answer normally
    drop,            // close the connection without an answer
    truncate,        // send headers and the first truncate_after bytes of the body, then close
    fail_job,        // the async job started by the matching request ends with status "error"
    expire_credentials,  // credentials issued by the matching request are already expired
    lose_answer,     // carry the request out, then close the connection without the answer
    // s3: GET answers 200 with `body` ({bucket}, {prefix} filled in) instead of the object.
    // storage: the request is carried out, then answered `status` (default 200) with `body`.
    replace_body,
    // File storage (s3) only, to test the tool's integrity checks:
    shrink,          // HEAD and GET see the object cut to its first truncate_after bytes (0 = empty)
    corrupt,         // GET serves the object with the byte at offset truncate_after changed, same length
  };
  Action action = Action::status;
  std::string method;  // "" = any
  std::string path_regex = ".*";
  std::string target = "storage";  // "storage" (Storage API listeners) or "s3" (file storage)
  int count = 1;                   // how many matching requests it hits
  int status = 500;
  int retry_after_seconds = 0;
  int delay_ms = 0;
  std::uint64_t truncate_after = 0;
  std::string error_code;   // Storage API "code" in the error body
  std::string message;
  // s3 `status` faults: the error message echoes the request line and every header
  // (Authorization with its signature, x-amz-security-token), as some servers and proxies do.
  bool echo_request = false;
  std::string body;  // replace_body
  int repeat = 1;     // replace_body on storage: the answer is `body` this many times (huge answers)
};

class FaultInjector {
 public:
  void add(Fault fault);
  void clear();
  // The fault for this request, if any; consumes one of its `count`.
  std::optional<Fault> take(const std::string& target, const std::string& method, const std::string& path);
  // How many faults fired so far (tests assert the fault really happened).
  int fired() const;

 private:
  struct Entry { Fault fault; std::regex pattern; };
  mutable std::mutex mutex_;
  std::vector<Entry> entries_;
  int fired_ = 0;
};

}  // namespace kbc::emulator
