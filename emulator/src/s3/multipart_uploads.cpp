#include "s3/multipart_uploads.hpp"

#include "s3/crypto.hpp"

namespace kbc::emulator::s3 {

namespace fs = std::filesystem;

MultipartUploads::MultipartUploads(fs::path dir) : dir_(std::move(dir)) { fs::create_directories(dir_); }

std::string MultipartUploads::create(const std::string& bucket, const std::string& key, ObjectMeta meta) {
  MultipartUpload upload;
  upload.upload_id = random_string(64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._");
  upload.bucket = bucket;
  upload.key = key;
  upload.meta = std::move(meta);
  upload.initiated = std::chrono::system_clock::now();
  fs::create_directories(dir_ / upload.upload_id);
  std::lock_guard lock(mutex_);
  auto id = upload.upload_id;
  uploads_.emplace(id, std::move(upload));
  return id;
}

std::optional<MultipartUpload> MultipartUploads::find(const std::string& upload_id) const {
  std::lock_guard lock(mutex_);
  auto it = uploads_.find(upload_id);
  if (it == uploads_.end()) return std::nullopt;
  return it->second;
}

bool MultipartUploads::add_part(const std::string& upload_id, int number, UploadedPart part,
                                const fs::path& received) {
  std::lock_guard lock(mutex_);
  auto it = uploads_.find(upload_id);
  if (it == uploads_.end()) return false;
  // A part number uploaded again replaces the earlier part, as in S3.
  part.file = dir_ / upload_id / std::to_string(number);
  std::error_code ec;
  fs::rename(received, part.file, ec);
  if (ec) return false;
  it->second.parts[number] = std::move(part);
  return true;
}

std::size_t MultipartUploads::count() const {
  std::lock_guard lock(mutex_);
  return uploads_.size();
}

bool MultipartUploads::remove(const std::string& upload_id) {
  {
    std::lock_guard lock(mutex_);
    if (uploads_.erase(upload_id) == 0) return false;
  }
  std::error_code ec;
  fs::remove_all(dir_ / upload_id, ec);
  return true;
}

}  // namespace kbc::emulator::s3
