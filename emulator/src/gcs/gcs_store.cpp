#include "gcs/gcs_store.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <limits>
#include <regex>
#include <thread>

#include "faults.hpp"
#include "gcs/gcs_internal.hpp"
#include "s3/connection_drop.hpp"
#include "s3/crypto.hpp"
#include "s3/sigv4.hpp"

namespace kbc::emulator {

using nlohmann::json;

namespace gcs {

namespace {
constexpr std::size_t server_threads = 64;
constexpr std::string_view token_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
}  // namespace

// ---- errors -------------------------------------------------------------------------------

GcsError unauthenticated() {
  return {401, "required",
          "Anonymous caller does not have storage.objects.get access to the Google Cloud Storage object. "
          "Permission 'storage.objects.get' denied on resource (or it may not exist).",
          "header", "Authorization"};
}

GcsError invalid_credentials() { return {401, "authError", "Invalid Credentials", "header", "Authorization"}; }

GcsError forbidden(const std::string& permission, const std::string& bucket, const std::string& key) {
  return {403, "forbidden",
          "kbc-emulator-file-token does not have " + permission +
              " access to the Google Cloud Storage object. Permission '" + permission + "' denied on resource " +
              "(or it may not exist): " + bucket + (key.empty() ? "" : "/" + key) + ".",
          "", ""};
}

GcsError no_such_object(const std::string& bucket, const std::string& key) {
  return {404, "notFound", "No such object: " + bucket + "/" + key, "", ""};
}

GcsError invalid(const std::string& message) { return {400, "invalid", message, "", ""}; }

GcsError internal_error(const std::string& message) { return {500, "backendError", message, "", ""}; }

void send_json(httplib::Response& response, int status, const json& body) {
  response.status = status;
  response.set_content(body.dump(), "application/json; charset=UTF-8");
}

void send_error(httplib::Response& response, const GcsError& error) {
  json item = {{"domain", "global"}, {"reason", error.reason}, {"message", error.message}};
  if (!error.location_type.empty()) {
    item["locationType"] = error.location_type;
    item["location"] = error.location;
  }
  if (error.status == 401) response.set_header("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\"");
  send_json(response, error.status, {{"error", {{"code", error.status}, {"message", error.message}, {"errors", {item}}}}});
}

// ---- tokens -------------------------------------------------------------------------------

GcsToken TokenRegistry::issue(const std::string& bucket, const std::string& key_prefix, std::chrono::seconds ttl) {
  GcsToken token;
  // Shaped like Google OAuth2 access tokens ("ya29." + opaque characters).
  token.access_token = "ya29.kbc-" + s3::random_string(160, token_alphabet);
  token.expiration = std::chrono::system_clock::now() + ttl;
  std::lock_guard lock(mutex_);
  tokens_[token.access_token] = IssuedToken{bucket, key_prefix, token.expiration};
  return token;
}

std::optional<IssuedToken> TokenRegistry::find(const std::string& token) const {
  std::lock_guard lock(mutex_);
  auto it = tokens_.find(token);
  if (it == tokens_.end()) return std::nullopt;
  return it->second;
}

void TokenRegistry::expire(const std::string& token) {
  auto now = std::chrono::system_clock::now();
  std::lock_guard lock(mutex_);
  if (auto it = tokens_.find(token); it != tokens_.end()) it->second.expiration = std::min(it->second.expiration, now);
}

void TokenRegistry::expire_all() {
  auto now = std::chrono::system_clock::now();
  std::lock_guard lock(mutex_);
  for (auto& [text, issued] : tokens_) issued.expiration = std::min(issued.expiration, now);
}

// ---- requests -----------------------------------------------------------------------------

std::string Request::param(const std::string& name, const std::string& fallback) const {
  for (const auto& [n, v] : query) {
    if (n == name) return v;
  }
  return fallback;
}

bool Request::has_param(const std::string& name) const {
  for (const auto& [n, v] : query) {
    if (n == name) return true;
  }
  return false;
}

bool Request::has_body() const {
  return http.has_header("Transfer-Encoding") ||
         std::strtoull(http.get_header_value("Content-Length").c_str(), nullptr, 10) > 0;
}

bool Request::read_body(const std::function<bool(const char*, std::size_t)>& sink) {
  body_consumed = true;
  std::uint64_t budget = cut_upload_after.value_or(std::numeric_limits<std::uint64_t>::max());
  std::uint64_t seen = 0;
  bool stopped_by_fault = false;
  auto limited = [&](const char* data, std::size_t size) {
    if (seen + size > budget) {
      auto keep = static_cast<std::size_t>(budget - seen);
      seen = budget;
      if (keep > 0 && !sink(data, keep)) return false;
      stopped_by_fault = true;
      return false;
    }
    seen += size;
    return sink(data, size);
  };
  bool whole;
  if (reader == nullptr || !has_body()) {
    whole = http.body.empty() || limited(http.body.data(), http.body.size());
  } else {
    whole = (*reader)([&](const char* data, std::size_t size) { return limited(data, size); });
  }
  if (cut_upload_after && (stopped_by_fault || seen >= budget)) {
    // The injected fault: the connection breaks after `budget` bytes of the body.
    drop(http);
    return false;
  }
  return whole;
}

void Request::finish_body() {
  if (body_consumed || reader == nullptr || !has_body()) return;
  body_consumed = true;
  auto length = std::strtoull(http.get_header_value("Content-Length").c_str(), nullptr, 10);
  if (length > 64ull * 1024 * 1024 || http.get_header_value("Transfer-Encoding") == "chunked") {
    response.set_header("Connection", "close");
    return;
  }
  (*reader)([](const char*, std::size_t) { return true; });
}

bool drop(const httplib::Request& request) { return s3::drop_connection(request); }

std::string encode_component(const std::string& text) { return s3::sigv4::uri_encode(text, true); }

std::string iso_time(std::chrono::system_clock::time_point time) { return s3::iso8601(time); }

// ---- objects ------------------------------------------------------------------------------

namespace {

struct Checksums {
  std::string md5;  // base64
  std::string crc32c;
  std::string md5_hex;
};

std::optional<Checksums> checksums_of(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  s3::Digest md5("MD5");
  s3::Crc32 crc(true);
  std::vector<char> buffer(1 << 20);
  while (true) {
    auto n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    md5.update(buffer.data(), static_cast<std::size_t>(n));
    crc.update(buffer.data(), static_cast<std::size_t>(n));
  }
  ::close(fd);
  auto raw_md5 = md5.finish();
  return Checksums{s3::base64(raw_md5), s3::base64(crc.finish()), s3::hex(raw_md5)};
}

constexpr std::string_view meta_prefix = "x-goog-meta-";

}  // namespace

std::optional<ObjectDescription> State::describe(const std::string& bucket, const std::string& key) {
  std::optional<s3::ObjectInfo> info;
  try {
    info = objects.stat(bucket, key);
  } catch (const std::invalid_argument&) {
    return std::nullopt;
  }
  if (!info) return std::nullopt;
  ObjectDescription d;
  d.info = *info;
  auto md5 = info->meta.checksums.find("md5");
  auto crc = info->meta.checksums.find("crc32c");
  if (md5 == info->meta.checksums.end() || crc == info->meta.checksums.end()) {
    // Written by a job (an export), not through an upload: compute once, remember.
    auto sums = checksums_of(info->path);
    if (!sums) return std::nullopt;
    d.md5 = sums->md5;
    d.crc32c = sums->crc32c;
    auto meta = info->meta;
    meta.checksums["md5"] = d.md5;
    meta.checksums["crc32c"] = d.crc32c;
    if (key.size() > 3 && key.compare(key.size() - 3, 3, ".gz") == 0) {
      meta.content_type = "application/gzip";
    } else if (meta.content_type == "binary/octet-stream") {
      meta.content_type = key.find(".csv") != std::string::npos ? "text/csv" : "application/octet-stream";
    }
    d.info.meta = meta;
    try {
      objects.annotate(bucket, key, *info, meta);
    } catch (const std::exception& e) {
      spdlog::warn("gcs: cannot remember the checksums of {}/{}: {}", bucket, key, e.what());
    }
  } else {
    d.md5 = md5->second;
    d.crc32c = crc->second;
  }
  d.content_type = d.info.meta.content_type == "binary/octet-stream" ? "application/octet-stream" : d.info.meta.content_type;
  for (const auto& [name, value] : d.info.meta.headers) {
    if (name == "content-encoding") d.content_encoding = value;
    if (name.rfind(meta_prefix, 0) == 0) d.metadata[name.substr(meta_prefix.size())] = value;
  }
  d.generation = std::chrono::duration_cast<std::chrono::microseconds>(d.info.last_modified.time_since_epoch()).count();
  return d;
}

json State::resource(const ObjectDescription& object, const std::string& bucket, const std::string& key) const {
  auto generation = std::to_string(object.generation);
  auto encoded = encode_component(key);
  auto updated = iso_time(object.info.last_modified);
  json out = {{"kind", "storage#object"},
              {"id", bucket + "/" + key + "/" + generation},
              {"selfLink", public_url + "/storage/v1/b/" + bucket + "/o/" + encoded},
              {"mediaLink", public_url + "/download/storage/v1/b/" + bucket + "/o/" + encoded + "?generation=" +
                                generation + "&alt=media"},
              {"name", key},
              {"bucket", bucket},
              {"generation", generation},
              {"metageneration", "1"},
              {"contentType", object.content_type},
              {"storageClass", "STANDARD"},
              {"size", std::to_string(object.info.size)},
              {"md5Hash", object.md5},
              {"crc32c", object.crc32c},
              {"etag", "C" + s3::base64(generation).substr(0, 12) + "BE="},
              {"timeCreated", updated},
              {"updated", updated},
              {"timeStorageClassUpdated", updated}};
  if (!object.content_encoding.empty()) out["contentEncoding"] = object.content_encoding;
  if (!object.metadata.empty()) out["metadata"] = object.metadata;
  return out;
}

std::variant<json, GcsError> State::commit(const std::filesystem::path& temp, const std::string& bucket,
                                           const std::string& key, const std::string& content_type,
                                           const std::string& content_encoding,
                                           const std::map<std::string, std::string>& metadata,
                                           const std::string& expected_md5, const std::string& expected_crc32c) {
  auto fail = [&](GcsError error) -> std::variant<json, GcsError> {
    std::error_code ec;
    std::filesystem::remove(temp, ec);
    return error;
  };
  auto sums = checksums_of(temp);
  if (!sums) return fail(internal_error("cannot read the uploaded bytes"));
  if (!expected_md5.empty() && expected_md5 != sums->md5) {
    return fail(invalid("Provided MD5 hash \"" + expected_md5 + "\" doesn't match calculated MD5 hash \"" + sums->md5 +
                        "\"."));
  }
  if (!expected_crc32c.empty() && expected_crc32c != sums->crc32c) {
    return fail(invalid("Provided CRC32C \"" + expected_crc32c + "\" doesn't match calculated CRC32C \"" +
                        sums->crc32c + "\"."));
  }
  s3::ObjectMeta meta;
  meta.etag = "\"" + sums->md5_hex + "\"";
  meta.content_type = content_type.empty() ? "application/octet-stream" : content_type;
  if (!content_encoding.empty()) meta.headers["content-encoding"] = content_encoding;
  for (const auto& [name, value] : metadata) meta.headers[std::string(meta_prefix) + name] = value;
  meta.checksums["md5"] = sums->md5;
  meta.checksums["crc32c"] = sums->crc32c;
  try {
    objects.commit(temp, bucket, key, meta);
  } catch (const std::invalid_argument&) {
    return fail(invalid("Object names with '.', '..' or empty path segments are not supported by the emulator."));
  } catch (const std::exception& e) {
    return fail(internal_error(std::string("cannot store the object: ") + e.what()));
  }
  auto described = describe(bucket, key);
  if (!described) return internal_error("the object vanished after it was stored");
  return resource(*described, bucket, key);
}

// ---- routing ------------------------------------------------------------------------------

namespace {

enum class FaultOutcome { proceed, answered, dropped, expire_token };

FaultOutcome apply_fault(State& state, Request& r) {
  auto fault = state.faults.take("gcs", r.http.method, r.http.path);
  if (!fault) return FaultOutcome::proceed;
  spdlog::info("gcs fault injected on {} {}", r.http.method, r.http.path);
  const bool upload = r.http.method == "PUT" || r.http.method == "POST";
  switch (fault->action) {
    case Fault::Action::status: {
      if (fault->retry_after_seconds > 0) r.response.set_header("Retry-After", std::to_string(fault->retry_after_seconds));
      GcsError error{fault->status, fault->error_code, fault->message, "", ""};
      if (error.reason.empty()) {
        error.reason = fault->status == 429 ? "rateLimitExceeded" : fault->status >= 500 ? "backendError" : "invalid";
      }
      if (error.message.empty()) error.message = "Injected fault: HTTP " + std::to_string(fault->status);
      send_error(r.response, error);
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
      if (upload) {  // the connection breaks after truncateAfter bytes of the body
        r.cut_upload_after = fault->truncate_after;
        return FaultOutcome::proceed;
      }
      [[fallthrough]];
    case Fault::Action::drop:
      if (upload && fault->truncate_after > 0) {
        r.cut_upload_after = fault->truncate_after;
        return FaultOutcome::proceed;
      }
      if (!drop(r.http)) {
        send_error(r.response, internal_error("injected drop: the connection could not be found"));
        return FaultOutcome::answered;
      }
      return FaultOutcome::dropped;
    case Fault::Action::expire_credentials:
      return FaultOutcome::expire_token;
    case Fault::Action::lose_answer:  // Storage API listeners only
    case Fault::Action::fail_job:
    case Fault::Action::shrink:  // the S3 listener only
    case Fault::Action::corrupt:
    case Fault::Action::replace_body:
      return FaultOutcome::proceed;
  }
  return FaultOutcome::proceed;
}

std::variant<IssuedToken, GcsError> authenticate(State& state, const Request& r, bool expire_now) {
  auto header = r.header("Authorization");
  std::string token;
  constexpr std::string_view bearer = "Bearer ";
  if (header.size() > bearer.size() && (header.compare(0, bearer.size(), bearer) == 0 ||
                                        header.compare(0, bearer.size(), "bearer ") == 0)) {
    token = header.substr(bearer.size());
  } else if (!header.empty()) {
    return invalid_credentials();
  } else {
    token = r.param("access_token");
    if (token.empty()) return unauthenticated();
  }
  auto issued = state.tokens.find(token);
  if (!issued) return invalid_credentials();
  if (expire_now) state.tokens.expire(token);
  if (expire_now || std::chrono::system_clock::now() >= issued->expiration) return invalid_credentials();
  return *issued;
}

std::string decode(const std::string& raw) { return s3::sigv4::uri_decode(raw); }

void route(State& state, Request& r) {
  const auto& method = r.http.method;
  static const std::regex object_path(R"(^/(download/)?storage/v1/b/([^/]+)/o/(.+)$)");
  static const std::regex objects_path(R"(^/(upload/)?storage/v1/b/([^/]+)/o/?$)");
  static const std::regex bucket_path(R"(^/storage/v1/b/([^/]+)/?$)");
  std::smatch m;

  auto fault = apply_fault(state, r);
  if (fault == FaultOutcome::dropped || fault == FaultOutcome::answered) return;
  const bool expire_now = fault == FaultOutcome::expire_token;

  // Resumable sessions: the session URI itself is the credential (as on GCS).
  if (std::regex_match(r.raw_path, m, objects_path) && m[1].matched && r.has_param("upload_id") &&
      (method == "PUT" || method == "POST" || method == "DELETE")) {
    return method == "DELETE" ? resumable_cancel(state, r) : resumable_put(state, r);
  }
  // V4 signed URLs (XML API path style): the signature is the credential.
  if (r.has_param("X-Goog-Signature") && !r.raw_path.starts_with("/storage/") && !r.raw_path.starts_with("/upload/") &&
      !r.raw_path.starts_with("/download/")) {
    auto path = r.raw_path.substr(1);
    auto slash = path.find('/');
    if (method != "GET" || slash == std::string::npos) return send_error(r.response, invalid("Only GET is signed."));
    return signed_get(state, r, decode(path.substr(0, slash)), decode(path.substr(slash + 1)));
  }

  auto auth = authenticate(state, r, expire_now);
  if (auto* error = std::get_if<GcsError>(&auth)) return send_error(r.response, *error);
  const auto& token = std::get<IssuedToken>(auth);

  if (std::regex_match(r.raw_path, m, object_path)) {
    auto bucket = decode(m[2].str());
    auto key = decode(m[3].str());
    const bool download = m[1].matched;
    if (method == "GET" || method == "HEAD") {
      if (!token.allows(bucket, key)) return send_error(r.response, forbidden("storage.objects.get", bucket, key));
      return get_object(state, r, bucket, key, download || r.param("alt") == "media");
    }
    if (method == "DELETE") {
      if (!token.allows(bucket, key)) return send_error(r.response, forbidden("storage.objects.delete", bucket, key));
      return delete_object(state, r, bucket, key);
    }
    return send_error(r.response, GcsError{405, "methodNotAllowed", "Method not allowed", "", ""});
  }
  if (std::regex_match(r.raw_path, m, objects_path)) {
    auto bucket = decode(m[2].str());
    if (m[1].matched) {
      if (method != "POST") return send_error(r.response, GcsError{405, "methodNotAllowed", "Method not allowed", "", ""});
      return insert_object(state, r, bucket, &token);
    }
    if (method == "GET") return list_objects(state, r, bucket, token);
    if (method == "POST") return insert_object(state, r, bucket, &token);  // uploadType=media on the metadata path
    return send_error(r.response, GcsError{405, "methodNotAllowed", "Method not allowed", "", ""});
  }
  if (std::regex_match(r.raw_path, m, bucket_path) && method == "GET") {
    auto bucket = decode(m[1].str());
    if (bucket != token.bucket) return send_error(r.response, forbidden("storage.buckets.get", bucket, ""));
    return send_json(r.response, 200, {{"kind", "storage#bucket"}, {"id", bucket}, {"name", bucket},
                                       {"location", "EU"}, {"storageClass", "STANDARD"}});
  }
  send_error(r.response, GcsError{404, "notFound", "Not Found", "", ""});
}

void serve(State& state, const httplib::Request& request, httplib::Response& response,
           const httplib::ContentReader* reader) {
  // Range is answered by the handlers (GCS's rules, errors as JSON), never by httplib.
  const_cast<httplib::Request&>(request).ranges.clear();
  Request r{request, response, reader, {}, {}, {}, {}, false};
  auto question = request.target.find('?');
  r.raw_path = request.target.substr(0, question);
  r.query = s3::sigv4::parse_query(question == std::string::npos ? "" : request.target.substr(question + 1));
  response.set_header("Server", "kbc-storage-emulator");
  response.set_header("X-GUploader-UploadID", s3::random_string(24, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"));
  try {
    route(state, r);
  } catch (const std::exception& e) {
    spdlog::error("gcs {} {} failed: {}", request.method, request.path, e.what());
    send_error(response, internal_error());
  }
  r.finish_body();
}

}  // namespace

}  // namespace gcs

struct GcsStore::Impl {
  Impl(s3::ObjectFiles& objects, FaultInjector& faults) : state(objects, faults) {}
  gcs::State state;
};

GcsStore::GcsStore(s3::ObjectFiles& objects, FaultInjector& faults)
    : impl_(std::make_unique<Impl>(objects, faults)) {
  impl_->state.signing_access_id = "GOOG1E" + s3::random_string(55, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
  impl_->state.signing_secret = s3::random_string(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
}

GcsStore::~GcsStore() = default;

void GcsStore::mount(httplib::Server& server, std::string public_url) {
  while (!public_url.empty() && public_url.back() == '/') public_url.pop_back();
  impl_->state.public_url = std::move(public_url);
  server.new_task_queue = [] { return new httplib::ThreadPool(gcs::server_threads); };
  server.set_keep_alive_max_count(1000);
  server.set_read_timeout(60);
  server.set_write_timeout(60);
  server.set_payload_max_length(std::numeric_limits<std::size_t>::max());
  auto& state = impl_->state;
  auto plain = [&state](const httplib::Request& request, httplib::Response& response) {
    gcs::serve(state, request, response, nullptr);
  };
  auto streamed = [&state](const httplib::Request& request, httplib::Response& response,
                           const httplib::ContentReader& body) { gcs::serve(state, request, response, &body); };
  const std::string any = R"([\s\S]*)";
  server.Get(any, plain);
  server.Put(any, streamed);
  server.Put(any, plain);
  server.Post(any, streamed);
  server.Post(any, plain);
  server.Delete(any, streamed);
  server.Delete(any, plain);
  server.set_logger([](const httplib::Request& request, const httplib::Response& response) {
    // The path only: signed URLs carry their signature in the query.
    spdlog::info("gcs {} {} {}", request.method, request.path, response.status);
  });
}

const std::string& GcsStore::public_url() const { return impl_->state.public_url; }

GcsToken GcsStore::issue_token(const std::string& bucket, const std::string& key_prefix, std::chrono::seconds ttl) {
  return impl_->state.tokens.issue(bucket, key_prefix, ttl);
}

void GcsStore::expire_all_tokens() { impl_->state.tokens.expire_all(); }

std::string GcsStore::sign_get_url(const std::string& bucket, const std::string& key, const std::string& location,
                                   std::chrono::seconds ttl) {
  return gcs::sign_url(impl_->state, bucket, key, location, ttl);
}

}  // namespace kbc::emulator
