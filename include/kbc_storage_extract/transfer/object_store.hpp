#pragma once
// The one contract every cloud file storage meets (one backend per provider, each in its own
// folder src/transfer/<provider>/): read an object's bytes as a stream, write an object of
// known size from a stream in parts, name objects as manifest URLs. Implementations keep no
// object in memory: bytes flow through the callbacks in small chunks. Failures come back as
// kbc::Error values whose kind the retry policy reads; each backend maps its own provider's
// answers (retryable, credentials_expired, the caller's fault). The contract is checked by one
// suite that every backend runs against every server it is tested with (tests/contract/).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "kbc_storage_extract/bytes.hpp"
#include "kbc_storage_extract/http/client.hpp"
#include "kbc_storage_extract/result.hpp"
#include "kbc_storage_extract/retry.hpp"
#include "kbc_storage_extract/transfer/file_access.hpp"

namespace kbc::transfer {

using kbc::ByteRange;
using kbc::ByteSink;
using kbc::ByteSource;

// What a backend can do, read by the copy engine so that it never names a provider.
struct StoreCapabilities {
  // Parts of one upload may be written from several threads at once (S3 multipart, Azure
  // blocks); false when they must go one after another in order (a GCS resumable session).
  bool parallel_parts = true;
};

// An upload of one object in parts. Parts are numbered from 1, each exactly part_size()
// bytes except the last; with StoreCapabilities::parallel_parts they may be written from
// different threads at once, else in order 1, 2, … from one thread.
class ObjectUpload {
 public:
  virtual ~ObjectUpload() = default;
  virtual std::uint64_t part_size() const = 0;
  virtual int part_count() const = 0;
  // Upload part `number` of `length` bytes pulled from `source`. Safe to retry a failed part.
  virtual Status write_part(int number, std::uint64_t length, const ByteSource& source) = 0;
  // Make the object visible; only after this does the object exist.
  virtual Status commit() = 0;
  // Throw away what was uploaded (best effort, never throws).
  virtual void abort() noexcept = 0;
};

// What a store can say of an object without reading it.
struct ObjectFacts {
  std::uint64_t size = 0;
  // The MD5 of its bytes (16 raw bytes) where the provider states one, else empty: S3's ETag of
  // a single-part upload without KMS, GCS's md5Hash (not for composite objects), Azure's
  // Content-MD5 (set by a single Put Blob, or by a client that gave one).
  std::string md5;
};

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;
  // Size in bytes of the object at `key`.
  virtual Result<std::uint64_t> size(const std::string& key) = 0;
  // Its size and checksum, from the same one request as size(); a store that knows no checksum
  // gives the size alone.
  virtual Result<ObjectFacts> facts(const std::string& key) {
    auto bytes = size(key);
    if (!bytes) return bytes.error();
    return ObjectFacts{*bytes, {}};
  }
  // Stream the bytes of `range` (or the whole object) of `key` into `sink`, in order.
  virtual Status read(const std::string& key, ByteRange range, const ByteSink& sink) = 0;
  // Start writing a new object of exactly `size` bytes at `key`.
  virtual Result<std::unique_ptr<ObjectUpload>> begin_upload(const std::string& key, std::uint64_t size) = 0;
  // Write a small object (a manifest, a header-only CSV) in one request.
  virtual Status put_small(const std::string& key, std::string_view body) = 0;

  // The provider's URL of `key` as sliced-file manifests name it ("s3://bucket/key").
  virtual std::string url_of(const std::string& key) const = 0;
  // The key that a manifest entry `url` names, or nullopt when it is not a URL of an object in
  // this store's bucket (another scheme, bucket, account or container).
  virtual std::optional<std::string> key_of(std::string_view url) const = 0;
  virtual StoreCapabilities capabilities() const { return {}; }
};

// The store for `access`, chosen by provider. Endpoint overrides follow each provider's
// convention (S3: AWS_ENDPOINT_URL_S3, then AWS_ENDPOINT_URL).
Result<std::unique_ptr<ObjectStore>> open_object_store(const FileAccess& access);

// Knobs a caller may set; the defaults are right for the real clouds.
// Fresh credentials for the same file (the Storage API's file detail or files/{id}/refresh).
using RefreshAccess = std::function<Result<FileAccess>()>;

struct ObjectStoreOptions {
  std::string endpoint;         // overrides the environment's endpoint (tests talk to two stores at once)
  std::uint64_t part_size = 0;  // 0 = provider default (S3: 64 MiB, GCS: 64 MiB; each backend's limits apply)
  RetryPolicy retry;            // for each single request (a streamed part is retried by copy_object)
  http::Limits limits;          // stalls and connect time of every request
  // When set, a store whose temporary credentials expire (or are within minutes of it) asks for
  // fresh ones, once for all its threads, and goes on where it was: a request with its body in
  // memory is sent again, a streamed part fails as transient so copy_object sends it again.
  // Called from worker threads; may be empty (then credentials_expired reaches the caller).
  RefreshAccess refresh_access;
};
Result<std::unique_ptr<ObjectStore>> open_object_store(const FileAccess& access, const ObjectStoreOptions& options);

}  // namespace kbc::transfer
