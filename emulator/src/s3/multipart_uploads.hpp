#pragma once
// Multipart uploads in progress: which object each is for and the parts received so far.
// Part bytes live in files under the store's .uploads folder; the bookkeeping is in memory.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "s3/object_files.hpp"

namespace kbc::emulator::s3 {

inline constexpr std::uint64_t min_part_size = 5ull * 1024 * 1024;  // all parts but the last, as AWS
inline constexpr int max_part_number = 10000;

struct UploadedPart {
  std::uint64_t size = 0;
  std::string md5;   // raw
  std::string etag;  // quoted hex MD5
  std::string checksum_algorithm;
  std::string checksum_value;
  std::filesystem::path file;
  std::chrono::system_clock::time_point last_modified;
};

struct MultipartUpload {
  std::string upload_id;
  std::string bucket;
  std::string key;
  ObjectMeta meta;  // Content-Type and headers given at CreateMultipartUpload
  std::chrono::system_clock::time_point initiated;
  std::map<int, UploadedPart> parts;
};

class MultipartUploads {
 public:
  explicit MultipartUploads(std::filesystem::path dir);

  std::string create(const std::string& bucket, const std::string& key, ObjectMeta meta);
  // A copy of the upload's current state.
  std::optional<MultipartUpload> find(const std::string& upload_id) const;
  // Moves `received` (a finished part file) into the upload; false when the upload is gone.
  bool add_part(const std::string& upload_id, int number, UploadedPart part, const std::filesystem::path& received);
  // Forgets the upload and deletes its part files; false when there was none.
  bool remove(const std::string& upload_id);
  std::size_t count() const;  // uploads neither completed nor aborted

 private:
  std::filesystem::path dir_;
  mutable std::mutex mutex_;
  std::map<std::string, MultipartUpload> uploads_;
};

}  // namespace kbc::emulator::s3
