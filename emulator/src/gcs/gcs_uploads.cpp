// Uploads on the GCS JSON API: uploadType=media (the body is the object), multipart
// (multipart/related: JSON metadata, then the media) and resumable (a session URI, chunks of
// 256 KiB multiples with Content-Range, status queries, cancel). Bytes go to files on disk,
// never into memory; the object appears (renamed into place) when the upload completes.
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <regex>

#include "gcs/gcs_internal.hpp"
#include "s3/crypto.hpp"
#include "s3/sigv4.hpp"

namespace kbc::emulator::gcs {

using nlohmann::json;

namespace {

constexpr std::size_t max_metadata_bytes = 1 << 20;

// Positional writer: the session's temp file from `offset` on.
class FileWriter {
 public:
  FileWriter(const std::filesystem::path& path, std::uint64_t offset, bool truncate)
      : fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (truncate ? O_TRUNC : 0), 0644)), offset_(offset) {}
  ~FileWriter() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool ok() const { return fd_ >= 0 && !failed_; }
  bool write(const char* data, std::size_t size) {
    while (size > 0) {
      auto n = ::pwrite(fd_, data, size, static_cast<off_t>(offset_));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        failed_ = true;
        return false;
      }
      data += n;
      size -= static_cast<std::size_t>(n);
      offset_ += static_cast<std::uint64_t>(n);
      written_ += static_cast<std::uint64_t>(n);
    }
    return true;
  }
  bool truncate_to(std::uint64_t size) { return ::ftruncate(fd_, static_cast<off_t>(size)) == 0; }
  std::uint64_t written() const { return written_; }

 private:
  int fd_;
  std::uint64_t offset_;
  std::uint64_t written_ = 0;
  bool failed_ = false;
};

// X-Goog-Hash: "crc32c=…,md5=…" (either may be missing).
std::pair<std::string, std::string> goog_hash(const std::string& header) {
  std::string md5, crc32c;
  std::size_t start = 0;
  while (start < header.size()) {
    auto end = std::min(header.find(',', start), header.size());
    auto item = header.substr(start, end - start);
    item.erase(0, item.find_first_not_of(' '));
    if (item.rfind("md5=", 0) == 0) md5 = item.substr(4);
    if (item.rfind("crc32c=", 0) == 0) crc32c = item.substr(7);
    start = end + 1;
  }
  return {md5, crc32c};
}

std::map<std::string, std::string> metadata_of(const json& resource) {
  std::map<std::string, std::string> out;
  if (resource.contains("metadata") && resource["metadata"].is_object()) {
    for (const auto& [name, value] : resource["metadata"].items()) {
      out[name] = value.is_string() ? value.get<std::string>() : value.dump();
    }
  }
  return out;
}

std::string string_field(const json& resource, const char* name) {
  return resource.contains(name) && resource[name].is_string() ? resource[name].get<std::string>() : "";
}

GcsError method_bad(const std::string& message) { return GcsError{400, "invalid", message, "", ""}; }

bool valid_name(const State& state, const std::string& bucket, const std::string& key) {
  try {
    state.objects.object_path(bucket, key);
    return true;
  } catch (const std::invalid_argument&) {
    return false;
  }
}

// ---- media ---------------------------------------------------------------------------------

void media_upload(State& state, Request& r, const std::string& bucket, const std::string& name) {
  auto temp = state.objects.temp_path();
  bool whole = false;
  {
    FileWriter writer(temp, 0, true);
    if (!writer.ok()) return send_error(r.response, internal_error("cannot create the upload's file"));
    whole = r.read_body([&](const char* data, std::size_t size) { return writer.write(data, size); });
    if (!writer.ok()) whole = false;
  }
  if (!whole) {
    std::error_code ec;
    std::filesystem::remove(temp, ec);
    r.response.set_header("Connection", "close");
    return send_error(r.response, invalid("The upload's body did not arrive whole."));
  }
  auto [md5, crc32c] = goog_hash(r.header("X-Goog-Hash"));
  auto result = state.commit(temp, bucket, name, r.header("Content-Type"), r.param("contentEncoding"), {}, md5, crc32c);
  if (auto* error = std::get_if<GcsError>(&result)) return send_error(r.response, *error);
  send_json(r.response, 200, std::get<json>(result));
}

// ---- multipart -----------------------------------------------------------------------------

// multipart/related, streamed: the first part is the JSON resource, the second the media.
class MultipartReceiver {
 public:
  using OnMetadata = std::function<std::optional<GcsError>(const json& resource, const std::string& media_type)>;
  MultipartReceiver(std::string boundary, FileWriter& writer, OnMetadata on_metadata)
      : delimiter_("--" + std::move(boundary)), writer_(writer), on_metadata_(std::move(on_metadata)) {}

  bool feed(const char* data, std::size_t size) {
    if (failed_ || done_) return !failed_;
    if (phase_ == Phase::media) return feed_media(data, size);
    pending_.append(data, size);
    if (pending_.size() > max_metadata_bytes && phase_ != Phase::media) return fail(invalid("The multipart metadata is too large."));
    while (!failed_ && !done_) {
      if (phase_ == Phase::preamble) {
        auto at = pending_.find(delimiter_ + "\r\n");
        if (at == std::string::npos) return true;
        pending_.erase(0, at + delimiter_.size() + 2);
        phase_ = Phase::meta_headers;
      } else if (phase_ == Phase::meta_headers || phase_ == Phase::media_headers) {
        auto at = pending_.find("\r\n\r\n");
        if (at == std::string::npos) return true;
        auto headers = pending_.substr(0, at);
        pending_.erase(0, at + 4);
        if (phase_ == Phase::meta_headers) {
          phase_ = Phase::meta_body;
        } else {
          media_type_ = header_value(headers, "content-type");
          if (auto error = on_metadata_(resource_, media_type_)) return fail(*error);
          phase_ = Phase::media;
          auto rest = std::move(pending_);
          pending_.clear();
          return feed_media(rest.data(), rest.size());
        }
      } else if (phase_ == Phase::meta_body) {
        auto at = pending_.find("\r\n" + delimiter_);
        if (at == std::string::npos) return true;
        resource_ = json::parse(pending_.substr(0, at), nullptr, false);
        if (resource_.is_discarded() || !resource_.is_object()) return fail(invalid("The metadata part is not a JSON object."));
        pending_.erase(0, at + 2 + delimiter_.size());
        if (pending_.size() < 2) {
          phase_ = Phase::after_meta;
          return true;
        }
        if (pending_.compare(0, 2, "--") == 0) return fail(invalid("The multipart body has no media part."));
        pending_.erase(0, 2);  // CRLF
        phase_ = Phase::media_headers;
      } else if (phase_ == Phase::after_meta) {
        if (pending_.size() < 2) return true;
        pending_.erase(0, 2);
        phase_ = Phase::media_headers;
      }
    }
    return !failed_;
  }

  bool complete() const { return done_ && !failed_; }
  const std::optional<GcsError>& error() const { return error_; }
  const json& resource() const { return resource_; }
  const std::string& media_type() const { return media_type_; }

 private:
  enum class Phase { preamble, meta_headers, meta_body, after_meta, media_headers, media };

  bool feed_media(const char* data, std::size_t size) {
    pending_.append(data, size);
    auto end_marker = "\r\n" + delimiter_;
    auto at = pending_.find(end_marker);
    if (at != std::string::npos) {
      done_ = true;
      if (!writer_.write(pending_.data(), at)) return fail(internal_error("cannot write the upload's file"));
      pending_.clear();
      return true;
    }
    if (pending_.size() > end_marker.size()) {
      auto flush = pending_.size() - end_marker.size();
      if (!writer_.write(pending_.data(), flush)) return fail(internal_error("cannot write the upload's file"));
      pending_.erase(0, flush);
    }
    return true;
  }

  static std::string header_value(const std::string& headers, const std::string& name) {
    std::size_t start = 0;
    while (start < headers.size()) {
      auto end = std::min(headers.find("\r\n", start), headers.size());
      auto line = headers.substr(start, end - start);
      auto colon = line.find(':');
      if (colon != std::string::npos) {
        auto key = line.substr(0, colon);
        std::transform(key.begin(), key.end(), key.begin(), ::tolower);
        if (key == name) {
          auto value = line.substr(colon + 1);
          value.erase(0, value.find_first_not_of(" \t"));
          return value;
        }
      }
      start = end + 2;
    }
    return "";
  }

  bool fail(GcsError error) {
    failed_ = true;
    error_ = std::move(error);
    return false;
  }

  std::string delimiter_;
  FileWriter& writer_;
  OnMetadata on_metadata_;
  Phase phase_ = Phase::preamble;
  std::string pending_;
  json resource_ = json::object();
  std::string media_type_;
  bool done_ = false;
  bool failed_ = false;
  std::optional<GcsError> error_;
};

void multipart_upload(State& state, Request& r, const std::string& bucket, const IssuedToken* token) {
  static const std::regex boundary_re(R"re(boundary=(?:"([^"]+)"|([^;\s]+)))re", std::regex::icase);
  std::smatch m;
  auto content_type = r.header("Content-Type");
  if (!std::regex_search(content_type, m, boundary_re)) {
    return send_error(r.response, method_bad("A multipart upload needs Content-Type: multipart/related; boundary=…"));
  }
  auto boundary = m[1].matched ? m[1].str() : m[2].str();
  std::string name = r.param("name");
  auto temp = state.objects.temp_path();
  bool whole = false;
  std::optional<GcsError> error;
  json resource;
  std::string media_type;
  {
    FileWriter writer(temp, 0, true);
    MultipartReceiver receiver(boundary, writer, [&](const json& res, const std::string&) -> std::optional<GcsError> {
      if (name.empty()) name = string_field(res, "name");
      if (name.empty()) return invalid("Required: the object name (query parameter name or the metadata's name).");
      if (!valid_name(state, bucket, name)) {
        return invalid("Object names with '.', '..' or empty path segments are not supported by the emulator.");
      }
      if (token && !token->allows(bucket, name)) return forbidden("storage.objects.create", bucket, name);
      return std::nullopt;
    });
    whole = r.read_body([&](const char* data, std::size_t size) { return receiver.feed(data, size); });
    error = receiver.error();
    if (!error && whole && !receiver.complete()) error = invalid("The multipart body ended before its closing boundary.");
    resource = receiver.resource();
    media_type = receiver.media_type();
  }
  if (error || !whole) {
    std::error_code ec;
    std::filesystem::remove(temp, ec);
    r.response.set_header("Connection", "close");
    return send_error(r.response, error ? *error : invalid("The upload's body did not arrive whole."));
  }
  auto [md5, crc32c] = goog_hash(r.header("X-Goog-Hash"));
  if (md5.empty()) md5 = string_field(resource, "md5Hash");
  if (crc32c.empty()) crc32c = string_field(resource, "crc32c");
  auto type = string_field(resource, "contentType");
  if (type.empty()) type = media_type;
  auto result = state.commit(temp, bucket, name, type, string_field(resource, "contentEncoding"), metadata_of(resource),
                             md5, crc32c);
  if (auto* failed = std::get_if<GcsError>(&result)) return send_error(r.response, *failed);
  send_json(r.response, 200, std::get<json>(result));
}

// ---- resumable -----------------------------------------------------------------------------

std::string read_small_body(Request& r, bool& ok) {
  std::string body;
  ok = r.read_body([&](const char* data, std::size_t size) {
    body.append(data, size);
    return body.size() <= max_metadata_bytes;
  });
  return body;
}

void start_resumable(State& state, Request& r, const std::string& bucket, const IssuedToken* token) {
  bool ok = true;
  auto body = read_small_body(r, ok);
  if (!ok) return send_error(r.response, invalid("The upload's metadata did not arrive whole."));
  json resource = json::object();
  if (!body.empty()) {
    resource = json::parse(body, nullptr, false);
    if (resource.is_discarded() || !resource.is_object()) return send_error(r.response, invalid("Invalid JSON metadata."));
  }
  auto name = r.param("name");
  if (name.empty()) name = string_field(resource, "name");
  if (name.empty()) return send_error(r.response, invalid("Required: the object name (query parameter name or the metadata's name)."));
  if (!valid_name(state, bucket, name)) {
    return send_error(r.response, invalid("Object names with '.', '..' or empty path segments are not supported by the emulator."));
  }
  if (token && !token->allows(bucket, name)) return send_error(r.response, forbidden("storage.objects.create", bucket, name));
  auto session = std::make_shared<UploadSession>();
  session->id = "ADPycd" + s3::random_string(64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
  session->bucket = bucket;
  session->key = name;
  session->content_type = string_field(resource, "contentType");
  if (session->content_type.empty()) session->content_type = r.header("X-Upload-Content-Type");
  session->content_encoding = string_field(resource, "contentEncoding");
  session->metadata = metadata_of(resource);
  session->temp = state.objects.temp_path();
  {
    std::lock_guard lock(state.sessions_mutex);
    state.sessions[session->id] = session;
  }
  auto location = state.public_url + "/upload/storage/v1/b/" + encode_component(bucket) +
                  "/o?uploadType=resumable&name=" + encode_component(name) + "&upload_id=" + session->id;
  r.response.status = 200;
  r.response.set_header("Location", location);
  r.response.set_header("X-GUploader-UploadID", session->id);
  r.response.set_header("Content-Length", "0");
}

struct ContentRange {
  bool query = false;  // "bytes */…": no data, a status query (or finalize with a total)
  std::uint64_t first = 0;
  std::optional<std::uint64_t> last;
  std::optional<std::uint64_t> total;
};

std::optional<ContentRange> parse_content_range(const std::string& header) {
  static const std::regex re(R"(^bytes (\*|(\d+)-(\d+|\*))/(\*|\d+)$)");
  std::smatch m;
  if (!std::regex_match(header, m, re)) return std::nullopt;
  ContentRange range;
  if (m[1].str() == "*") {
    range.query = true;
  } else {
    range.first = std::stoull(m[2].str());
    if (m[3].str() != "*") range.last = std::stoull(m[3].str());
    if (range.last && *range.last < range.first) return std::nullopt;
  }
  if (m[4].str() != "*") range.total = std::stoull(m[4].str());
  return range;
}

void incomplete(httplib::Response& response, std::uint64_t persisted) {
  response.status = 308;
  if (persisted > 0) response.set_header("Range", "bytes=0-" + std::to_string(persisted - 1));
  response.set_header("Content-Length", "0");
}

std::shared_ptr<UploadSession> find_session(State& state, const std::string& id) {
  std::lock_guard lock(state.sessions_mutex);
  auto it = state.sessions.find(id);
  return it == state.sessions.end() ? nullptr : it->second;
}

void forget_session(State& state, const std::string& id) {
  std::lock_guard lock(state.sessions_mutex);
  state.sessions.erase(id);
}

void finalize(State& state, Request& r, UploadSession& session) {
  auto [md5, crc32c] = goog_hash(r.header("X-Goog-Hash"));
  {
    // The file must exist even for an empty object.
    FileWriter touch(session.temp, session.persisted, false);
  }
  auto result = state.commit(session.temp, session.bucket, session.key, session.content_type, session.content_encoding,
                             session.metadata, md5, crc32c);
  if (auto* error = std::get_if<GcsError>(&result)) {
    session.cancelled = true;  // the bytes are gone with the failed commit
    forget_session(state, session.id);
    return send_error(r.response, *error);
  }
  session.finalized = std::get<json>(result);
  send_json(r.response, 200, *session.finalized);
}

}  // namespace

void insert_object(State& state, Request& r, const std::string& bucket, const IssuedToken* token) {
  auto type = r.param("uploadType");
  if (type.empty() && r.header("X-Goog-Upload-Protocol") == "resumable") type = "resumable";
  if (type == "resumable") return start_resumable(state, r, bucket, token);
  if (type == "multipart") return multipart_upload(state, r, bucket, token);
  if (type == "media") {
    auto name = r.param("name");
    if (name.empty()) return send_error(r.response, invalid("Required: the object name (query parameter name)."));
    if (!valid_name(state, bucket, name)) {
      return send_error(r.response, invalid("Object names with '.', '..' or empty path segments are not supported by the emulator."));
    }
    if (token && !token->allows(bucket, name)) return send_error(r.response, forbidden("storage.objects.create", bucket, name));
    return media_upload(state, r, bucket, name);
  }
  send_error(r.response, invalid("Invalid upload type \"" + type + "\": use media, multipart or resumable."));
}

void resumable_put(State& state, Request& r) {
  auto session = find_session(state, r.param("upload_id"));
  if (!session) return send_error(r.response, GcsError{404, "notFound", "No such upload session (cancelled, or unknown).", "", ""});
  std::lock_guard lock(session->mutex);
  if (session->cancelled) return send_error(r.response, GcsError{404, "notFound", "No such upload session (cancelled).", "", ""});
  if (session->finalized) return send_json(r.response, 200, *session->finalized);  // as GCS: the object, again

  auto header = r.header("Content-Range");
  std::optional<ContentRange> range;
  if (header.empty()) {
    range = ContentRange{};  // the whole object in this one request
  } else {
    range = parse_content_range(header);
    if (!range) return send_error(r.response, invalid("Invalid Content-Range \"" + header + "\"."));
  }
  const auto persisted = session->persisted;
  if (range->query) {
    if (range->total && *range->total == persisted) return finalize(state, r, *session);
    return incomplete(r.response, persisted);
  }
  if (range->first > persisted) {
    // GCS answers this with 503 and a plain-text message (googleapis/java-storage, scenario S.5).
    r.response.status = 503;
    r.response.set_content("Invalid request. According to the Content-Range header, the upload offset is " +
                               std::to_string(range->first) + " byte(s), which exceeds already uploaded size of " +
                               std::to_string(persisted) + " byte(s).",
                           "text/plain; charset=utf-8");
    return;
  }
  const bool final = range->last ? (range->total && *range->last + 1 == *range->total) : true;
  if (range->last && range->total && *range->last + 1 > *range->total) {
    return send_error(r.response, invalid("Content-Range \"" + header + "\" ends after the object's total size."));
  }
  if (range->last) {
    auto length = *range->last - range->first + 1;
    if (r.http.has_header("Content-Length") &&
        std::strtoull(r.header("Content-Length").c_str(), nullptr, 10) != length) {
      return send_error(r.response, invalid("Content-Range \"" + header + "\" does not match Content-Length."));
    }
    if (!final && length % chunk_granularity != 0) {
      return send_error(r.response,
                        invalid("Invalid request. The number of bytes uploaded is required to be equal or greater "
                                "than 262144, except for the final request (it's recommended to be the exact multiple "
                                "of 262144). The received request contained " +
                                std::to_string(length) + " bytes, which does not meet this requirement."));
    }
  }

  // Bytes before the persisted offset were stored already: skip them.
  std::uint64_t skip = persisted - range->first;
  bool whole = false;
  std::uint64_t written = 0;
  {
    FileWriter writer(session->temp, persisted, false);
    if (!writer.ok()) return send_error(r.response, internal_error("cannot open the upload's file"));
    whole = r.read_body([&](const char* data, std::size_t size) {
      if (skip > 0) {
        auto n = static_cast<std::size_t>(std::min<std::uint64_t>(skip, size));
        skip -= n;
        data += n;
        size -= n;
      }
      return size == 0 || writer.write(data, size);
    });
    if (!writer.ok()) whole = false;
    written = writer.written();
    if (!whole) {
      // A chunk cut short keeps only whole 256 KiB blocks of what arrived (GCS persists in
      // such units too); the client asks for the offset and resumes from there.
      auto kept = (persisted + written) / chunk_granularity * chunk_granularity;
      kept = std::max(kept, persisted);
      writer.truncate_to(kept);
      session->persisted = kept;
      spdlog::info("gcs upload {}: chunk cut after {} bytes, persisted {}", session->id.substr(0, 12), written, kept);
      r.response.set_header("Connection", "close");
      return send_error(r.response, GcsError{503, "backendError", "The chunk did not arrive whole.", "", ""});
    }
    writer.truncate_to(persisted + written);
  }
  session->persisted = persisted + written;
  if (final) {
    if (range->total && *range->total != session->persisted) {
      return incomplete(r.response, session->persisted);
    }
    return finalize(state, r, *session);
  }
  incomplete(r.response, session->persisted);
}

void resumable_cancel(State& state, Request& r) {
  auto session = find_session(state, r.param("upload_id"));
  if (!session) return send_error(r.response, GcsError{404, "notFound", "No such upload session.", "", ""});
  {
    std::lock_guard lock(session->mutex);
    session->cancelled = true;
    std::error_code ec;
    if (!session->finalized) std::filesystem::remove(session->temp, ec);
  }
  forget_session(state, session->id);
  r.response.status = 499;  // GCS's answer to a cancelled resumable upload
  r.response.set_header("Content-Length", "0");
}

}  // namespace kbc::emulator::gcs
