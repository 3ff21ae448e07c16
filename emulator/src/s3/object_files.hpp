#pragma once
// Objects as files: root/<bucket>/<key> holds the bytes, root/.meta/<bucket>/<key>.json what S3
// remembers about them (ETag, Content-Type, user metadata, checksums). New content is written
// to root/.tmp and renamed into place, so a reader never sees half an object.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kbc::emulator::s3 {

struct ObjectMeta {
  std::string etag;  // quoted, as S3 sends it
  std::string content_type;
  std::map<std::string, std::string> headers;  // x-amz-meta-*, x-amz-server-side-encryption, ...
  std::map<std::string, std::string> checksums;  // "crc32" → base64, as sent in x-amz-checksum-*
};

struct ObjectInfo {
  std::filesystem::path path;
  std::uint64_t size = 0;
  std::chrono::system_clock::time_point last_modified;
  ObjectMeta meta;
};

class ObjectFiles {
 public:
  explicit ObjectFiles(std::filesystem::path root);

  // Throws std::invalid_argument for bucket names or keys that would leave the bucket's folder
  // ('..', '.', empty segments, a leading '/').
  std::filesystem::path object_path(const std::string& bucket, const std::string& key) const;
  // A fresh path in the store's temp folder (same file system, so rename is atomic).
  std::filesystem::path temp_path() const;
  std::filesystem::path uploads_dir() const { return root_ / ".uploads"; }
  const std::filesystem::path& root() const { return root_; }

  // Makes `temp` the object bucket/key (replacing any previous one) with `meta`.
  void commit(const std::filesystem::path& temp, const std::string& bucket, const std::string& key,
              const ObjectMeta& meta);
  std::optional<ObjectInfo> stat(const std::string& bucket, const std::string& key) const;
  // Records `meta` for the content `info` describes (its size and mtime), for objects written
  // without commit() (exports) whose checksums were computed later. A replaced file ignores it.
  void annotate(const std::string& bucket, const std::string& key, const ObjectInfo& info, const ObjectMeta& meta);
  // For an object a job wrote in place (an export's slice): its ETag becomes the MD5 of its
  // bytes (computed while writing), as S3 gives for an object written in one request, so
  // clients can check what they read.
  void record_md5_etag(const std::string& bucket, const std::string& key, const std::string& md5_hex);
  bool remove(const std::string& bucket, const std::string& key);
  // Keys in the bucket starting with `prefix`, sorted (byte order, as S3 lists).
  std::vector<std::string> keys(const std::string& bucket, const std::string& prefix) const;

 private:
  std::filesystem::path meta_path(const std::string& bucket, const std::string& key) const;
  std::filesystem::path root_;
};

// RFC 1123 (Last-Modified) and ISO 8601 with milliseconds (XML listings).
std::string http_date(std::chrono::system_clock::time_point time);
std::string iso8601(std::chrono::system_clock::time_point time);

}  // namespace kbc::emulator::s3
