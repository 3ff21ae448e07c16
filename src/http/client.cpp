#include "kbc_storage_extract/http/client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <vector>

#include "kbc_storage_extract/stop.hpp"

namespace kbc::http {
namespace {

// Non-2xx bodies are kept for error messages only; a misbehaving peer cannot make us buffer more.
constexpr std::size_t k_max_error_body = 64 * 1024;

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return std::string(text);
}

// Per-transfer state the curl callbacks see.
struct Transfer {
  const Request* request = nullptr;
  Response response;
  bool sink_refused = false;
  bool source_failed = false;
  bool too_large = false;
  std::uint64_t uploaded = 0;
  std::size_t body_offset = 0;  // for small in-memory bodies

  bool streaming_download() const { return request->download_sink && response.status >= 200 && response.status < 300; }
};

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::string_view line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new status line (after 100 Continue or a redirect): start the header list again.
    transfer.response.headers.clear();
    const auto space = line.find(' ');
    if (space != std::string_view::npos) transfer.response.status = std::atoi(std::string(line.substr(space + 1, 3)).c_str());
    return size * count;
  }
  const auto colon = line.find(':');
  if (colon != std::string_view::npos)
    transfer.response.headers.emplace_back(lower(trim(line.substr(0, colon))), trim(line.substr(colon + 1)));
  return size * count;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  if (transfer.streaming_download()) {
    if (!transfer.request->download_sink(data, bytes)) {
      transfer.sink_refused = true;
      return CURL_WRITEFUNC_ERROR;
    }
    return bytes;
  }
  auto& body = transfer.response.body;
  const bool is_error = transfer.response.status < 200 || transfer.response.status >= 300;
  if (is_error) {
    const std::size_t keep = std::min(bytes, k_max_error_body - std::min(k_max_error_body, body.size()));
    body.append(data, keep);
    return bytes;
  }
  if (body.size() + bytes > transfer.request->max_body_bytes) {
    transfer.too_large = true;
    return CURL_WRITEFUNC_ERROR;
  }
  body.append(data, bytes);
  return bytes;
}

std::size_t on_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const auto& request = *transfer.request;
  const std::size_t capacity = size * count;
  if (request.upload_source) {
    const std::uint64_t remaining = request.upload_length - transfer.uploaded;
    if (remaining == 0) return 0;
    const auto wanted = static_cast<std::size_t>(std::min<std::uint64_t>(remaining, capacity));
    const std::size_t got = request.upload_source(buffer, wanted);
    if (got == 0) {
      transfer.source_failed = true;
      return CURL_READFUNC_ABORT;
    }
    transfer.uploaded += got;
    return got;
  }
  const std::size_t n = std::min(capacity, request.body.size() - transfer.body_offset);
  std::copy_n(request.body.data() + transfer.body_offset, n, buffer);
  transfer.body_offset += n;
  return n;
}

// A stopped run abandons every transfer in flight (CURLE_ABORTED_BY_CALLBACK).
// Cleanup requests (CleanupScope) go out anyway, bounded by k_cleanup_timeout instead.
int on_progress(void* cleanup, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return process_stop().requested() && cleanup == nullptr ? 1 : 0;
}

constexpr std::chrono::milliseconds k_cleanup_timeout{15'000};

bool has_header(const Headers& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return lower(h.first) == name; });
}

Error transport_error(CURLcode code, const char* detail, const Request& request) {
  const std::string what = std::string(*detail ? detail : curl_easy_strerror(code));
  auto error = make_error(ErrorKind::transient,
                          request.method + " " + redact_url(request.url) + " failed: " + redact_url(what));
  switch (code) {
    case CURLE_ABORTED_BY_CALLBACK:
      error.kind = ErrorKind::cancelled;
      error.message = request.method + " " + redact_url(request.url) + ": stopped by a signal";
      break;
    case CURLE_SEND_FAIL_REWIND:
      // curl's own words ("necessary data rewind wasn't possible") mean nothing to a user.
      error.message = request.method + " " + redact_url(request.url) +
                      " failed: the server stopped the streamed upload before it was complete";
      error.hint = "the part is sent again from its start";
      break;
    case CURLE_OPERATION_TIMEDOUT:
      error.hint = "the server did not answer in time or the transfer was slower than --min-speed for "
                   "--stall-timeout; see docs/cli.md";
      break;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      error.kind = ErrorKind::invalid_input;
      error.hint = "check the URL";
      break;
    case CURLE_COULDNT_RESOLVE_HOST:
      error.hint = "check the host name and the network connection";
      break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
      error.kind = ErrorKind::protocol;
      error.hint = "the server's TLS certificate was not accepted";
      break;
    default:
      break;
  }
  return error;
}

}  // namespace

std::optional<std::string> Response::header(std::string_view name) const {
  const auto wanted = lower(name);
  for (const auto& [key, value] : headers)
    if (key == wanted) return value;
  return std::nullopt;
}

// Easy handles keep their connection cache, so handing idle handles out again gives keep-alive;
// the pool holds at most as many handles as requests ever ran at once.
struct Client::Impl {
  explicit Impl(Limits limits_) : limits(limits_) {}
  const Limits limits;
  std::mutex mutex;
  std::vector<CURL*> idle;

  CURL* acquire() {
    {
      std::lock_guard lock(mutex);
      if (!idle.empty()) {
        CURL* handle = idle.back();
        idle.pop_back();
        curl_easy_reset(handle);
        return handle;
      }
    }
    return curl_easy_init();
  }

  void release(CURL* handle) {
    std::lock_guard lock(mutex);
    idle.push_back(handle);
  }

  ~Impl() {
    for (CURL* handle : idle) curl_easy_cleanup(handle);
  }
};

Client::Client(Limits limits) : impl_(std::make_unique<Impl>(limits)) { global_init_once(); }
Client::~Client() = default;

Result<Response> Client::send(const Request& request) {
  CURL* curl = impl_->acquire();
  if (!curl) return make_error(ErrorKind::internal, "could not create an HTTP handle (out of memory?)");
  struct Release {
    Impl& impl;
    CURL* handle;
    ~Release() { impl.release(handle); }
  } release{*impl_, curl};

  Transfer transfer;
  transfer.request = &request;
  char error_buffer[CURL_ERROR_SIZE] = {0};

  const Headers& headers = request.headers;
  const bool has_body = request.upload_source || !request.body.empty() || request.method == "PUT" || request.method == "POST";
  const std::uint64_t body_length = request.upload_source ? request.upload_length : request.body.size();

  curl_slist* header_list = nullptr;
  for (const auto& [name, value] : headers)
    header_list = curl_slist_append(header_list, (name + ": " + value).c_str());
  // curl adds "Expect: 100-continue" for large uploads; it costs a round trip per part.
  header_list = curl_slist_append(header_list, "Expect:");
  if (has_body && !has_header(headers, "content-type")) header_list = curl_slist_append(header_list, "Content-Type:");

  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);  // object keys may contain ".."; send them as signed
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
  const Limits& limits = impl_->limits;
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(limits.connect_timeout.count()));
  const bool cleanup = CleanupScope::active();
  const auto total_timeout = cleanup && (request.total_timeout.count() == 0 || request.total_timeout > k_cleanup_timeout)
                                 ? k_cleanup_timeout
                                 : request.total_timeout;
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(total_timeout.count()));
  if (limits.min_speed > 0) {
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, limits.min_speed);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, static_cast<long>(limits.stall_time.count()));
  }
  // curl calls this at least once a second, also while it waits for an answer.
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, cleanup ? static_cast<void*>(&transfer) : nullptr);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_BUFFERSIZE, 256L * 1024);
  curl_easy_setopt(curl, CURLOPT_UPLOAD_BUFFERSIZE, 256L * 1024);
  // No CURLOPT_ACCEPT_ENCODING: gzip objects must arrive byte-exact, never decoded.

  if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (request.method == "PUT") {
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, on_upload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(body_length));
  } else if (request.method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, on_upload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body_length));
  } else if (request.method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (has_body) {
      curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(curl, CURLOPT_READFUNCTION, on_upload);
      curl_easy_setopt(curl, CURLOPT_READDATA, &transfer);
      curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(body_length));
    }
  }

  const CURLcode code = curl_easy_perform(curl);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  curl_slist_free_all(header_list);

  if (transfer.too_large)
    return make_error(ErrorKind::protocol,
                      request.method + " " + redact_url(request.url) + ": the answer is larger than " +
                          std::to_string(request.max_body_bytes >> 20) + " MiB, far more than expected",
                      "check that the URL points at a Keboola Storage API");
  if (transfer.sink_refused)
    return make_error(ErrorKind::cancelled, request.method + " " + redact_url(request.url) + ": download cancelled by its receiver");
  if (transfer.source_failed)
    return make_error(ErrorKind::cancelled, request.method + " " + redact_url(request.url) + ": upload source stopped after " +
                                                std::to_string(transfer.uploaded) + " of " + std::to_string(body_length) + " bytes");
  if (code != CURLE_OK) return transport_error(code, error_buffer, request);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  transfer.response.status = static_cast<int>(status);
  return std::move(transfer.response);
}

}  // namespace kbc::http
