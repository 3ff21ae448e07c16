#pragma once
// What the GCS endpoint's handlers share: issued bearer tokens, resumable upload sessions,
// object descriptions (checksums, generation) and the JSON error bodies.
#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <variant>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gcs/gcs_store.hpp"
#include "s3/object_files.hpp"

namespace kbc::emulator::gcs {

inline constexpr std::uint64_t chunk_granularity = 256 * 1024;  // resumable chunks: multiples of 256 KiB

struct GcsError {
  int status = 500;
  std::string reason;
  std::string message;
  std::string location_type;  // "header" for authorization errors
  std::string location;
};

GcsError unauthenticated();                       // 401 required
GcsError invalid_credentials();                   // 401 authError
GcsError forbidden(const std::string& permission, const std::string& bucket, const std::string& key);
GcsError no_such_object(const std::string& bucket, const std::string& key);
GcsError invalid(const std::string& message);     // 400 invalid
GcsError internal_error(const std::string& message = "Internal Error");

void send_error(httplib::Response& response, const GcsError& error);
void send_json(httplib::Response& response, int status, const nlohmann::json& body);

struct IssuedToken {
  std::string bucket;
  std::string key_prefix;
  std::chrono::system_clock::time_point expiration;
  bool allows(const std::string& b, const std::string& key) const {
    return b == bucket && key.compare(0, key_prefix.size(), key_prefix) == 0;
  }
};

class TokenRegistry {
 public:
  GcsToken issue(const std::string& bucket, const std::string& key_prefix, std::chrono::seconds ttl);
  std::optional<IssuedToken> find(const std::string& token) const;
  void expire(const std::string& token);
  void expire_all();

 private:
  mutable std::mutex mutex_;
  std::map<std::string, IssuedToken> tokens_;
};

// One resumable upload: bytes land in `temp` (persisted = its size), the object appears at
// finalization. Requests on one session are serialized by `mutex`.
struct UploadSession {
  std::mutex mutex;
  std::string id;
  std::string bucket;
  std::string key;
  std::string content_type;
  std::string content_encoding;
  std::map<std::string, std::string> metadata;
  std::filesystem::path temp;
  std::uint64_t persisted = 0;
  std::optional<nlohmann::json> finalized;  // the object resource once complete
  bool cancelled = false;
};

// What the JSON API tells about an object; checksums are computed once and remembered.
struct ObjectDescription {
  s3::ObjectInfo info;
  std::string md5;     // base64
  std::string crc32c;  // base64, big-endian
  std::int64_t generation = 0;
  std::string content_type;
  std::string content_encoding;
  std::map<std::string, std::string> metadata;
};

struct State {
  State(s3::ObjectFiles& files, FaultInjector& injector) : objects(files), faults(injector) {}
  s3::ObjectFiles& objects;
  FaultInjector& faults;
  TokenRegistry tokens;
  std::string public_url;
  std::string signing_access_id;  // "GOOG1…": the emulator's HMAC key for signed URLs
  std::string signing_secret;
  std::mutex sessions_mutex;
  std::map<std::string, std::shared_ptr<UploadSession>> sessions;

  std::optional<ObjectDescription> describe(const std::string& bucket, const std::string& key);
  nlohmann::json resource(const ObjectDescription& object, const std::string& bucket, const std::string& key) const;
  // Makes `temp` the object (checksums computed from it, checked against `expected_*` if
  // given); returns its resource or the error.
  std::variant<nlohmann::json, GcsError> commit(const std::filesystem::path& temp, const std::string& bucket,
                                                const std::string& key, const std::string& content_type,
                                                const std::string& content_encoding,
                                                const std::map<std::string, std::string>& metadata,
                                                const std::string& expected_md5, const std::string& expected_crc32c);
};

// A request as the handlers see it: the raw path split, decoded query, the body as a stream.
struct Request {
  const httplib::Request& http;
  httplib::Response& response;
  const httplib::ContentReader* reader;
  std::string raw_path;
  std::vector<std::pair<std::string, std::string>> query;
  std::optional<std::uint64_t> truncate_after;  // injected: cut a download short
  std::optional<std::uint64_t> cut_upload_after;  // injected: read this many body bytes, then drop
  bool body_consumed = false;

  std::string param(const std::string& name, const std::string& fallback = "") const;
  bool has_param(const std::string& name) const;
  std::string header(const std::string& name) const { return http.get_header_value(name); }
  bool has_body() const;
  // Feeds the body to `sink` (false from the sink stops); false when the body did not arrive whole.
  bool read_body(const std::function<bool(const char*, std::size_t)>& sink);
  void finish_body();
};

// Handlers (gcs_objects.cpp, gcs_uploads.cpp, gcs_signing.cpp).
void get_object(State& state, Request& r, const std::string& bucket, const std::string& key, bool media);
void delete_object(State& state, Request& r, const std::string& bucket, const std::string& key);
void list_objects(State& state, Request& r, const std::string& bucket, const IssuedToken& token);
void stream_object(State& state, Request& r, const ObjectDescription& object);
void insert_object(State& state, Request& r, const std::string& bucket, const IssuedToken* token);
void resumable_put(State& state, Request& r);
void resumable_cancel(State& state, Request& r);
void signed_get(State& state, Request& r, const std::string& bucket, const std::string& key);
std::string sign_url(const State& state, const std::string& bucket, const std::string& key, const std::string& location,
                     std::chrono::seconds ttl);

// Drops the request's connection (after the given number of body bytes were read).
bool drop(const httplib::Request& request);

std::string encode_component(const std::string& text);  // RFC 3986, '/' encoded
std::string iso_time(std::chrono::system_clock::time_point time);

}  // namespace kbc::emulator::gcs
