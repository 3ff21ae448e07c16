// A refusal from the Storage API or a file storage: status, headers and body are the peer's.
// Each error map reads it (http::error_from_response, then the S3, GCS and Azure backends'
// own), and the message goes through the log masking as it would when printed. The promise:
// an Error with a message, a Retry-After wait that is never negative; never an exception.
//
// Input: the first two bytes pick the status (100..599), then header lines "name: value\n"
// up to an empty line, then the body.
#include "fuzz_check.hpp"
#include "kbc_storage_extract/http/client.hpp"
#include "kbc_storage_extract/redact.hpp"
#include "kbc_storage_extract/transfer/azure/errors.hpp"
#include "kbc_storage_extract/transfer/gcs/errors.hpp"
#include "kbc_storage_extract/transfer/s3/errors.hpp"

namespace {

using kbc::fuzz::check;

kbc::http::Response response_of(std::string_view text) {
  kbc::http::Response response;
  if (text.size() < 2) return response;
  response.status = 100 + (static_cast<unsigned char>(text[0]) * 256 + static_cast<unsigned char>(text[1])) % 500;
  text.remove_prefix(2);
  while (!text.empty()) {
    const auto end = text.find('\n');
    const auto line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (line.empty()) break;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(line.substr(0, colon));
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));  // as the client stores them
    auto value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    response.headers.emplace_back(std::move(name), std::string(value));
  }
  response.body = std::string(text);
  return response;
}

void check_error(const kbc::Error& error) {
  check(!error.message.empty(), "an error has a message");
  check(!error.retry_after || error.retry_after->count() >= 0, "a Retry-After wait is never negative");
  (void)kbc::redact(error.message);
  (void)kbc::redact(error.hint);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto response = response_of(kbc::fuzz::text_of(data, size));
  check_error(kbc::http::error_from_response(response, "fuzzing"));
  check_error(kbc::transfer::s3::to_error(response, "fuzzing"));
  check_error(kbc::transfer::gcs::to_error(response, "fuzzing"));
  check_error(kbc::transfer::azure::to_error(response, "fuzzing"));
  check_error(kbc::transfer::azure::to_error(response, "fuzzing", std::chrono::system_clock::time_point{}));
  (void)kbc::redact(response.body);
  return 0;
}
