#pragma once
// The emulator's Google Cloud Storage file storage: the GCS JSON API v1 (metadata, media
// download with Range, delete, list, simple / multipart / resumable uploads) and V4 signed URL
// downloads, on a listener of its own, over the same object files as the S3 endpoint (a bucket
// of its own). Requests carry `Authorization: Bearer <token>` with a token this store issued
// for one bucket + key prefix (the Storage API hands them out as gcsUploadParams /
// gcsCredentials); errors are GCS's JSON error bodies. See docs/emulator.md.
#include <chrono>
#include <memory>
#include <string>

namespace httplib { class Server; }

namespace kbc::emulator {

class FaultInjector;
namespace s3 { class ObjectFiles; }

struct GcsToken {
  std::string access_token;
  std::chrono::system_clock::time_point expiration;
};

class GcsStore {
 public:
  // `objects` are the file storage's object files (shared with the S3 endpoint).
  GcsStore(s3::ObjectFiles& objects, FaultInjector& faults);
  ~GcsStore();

  // Registers the routes on `server` (a listener of its own) reached by clients at `public_url`.
  void mount(httplib::Server& server, std::string public_url);
  const std::string& public_url() const;

  // An OAuth2-style bearer token valid for `ttl` on keys under `key_prefix` of `bucket`.
  GcsToken issue_token(const std::string& bucket, const std::string& key_prefix, std::chrono::seconds ttl);
  // Fault injection: every token issued so far is expired from now on.
  void expire_all_tokens();

  // A V4 signed URL (GOOG4-HMAC-SHA256, the emulator's own HMAC key) that GETs bucket/key for
  // `ttl`; `location` (the bucket's region) is part of its credential scope.
  std::string sign_get_url(const std::string& bucket, const std::string& key, const std::string& location,
                           std::chrono::seconds ttl);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kbc::emulator
