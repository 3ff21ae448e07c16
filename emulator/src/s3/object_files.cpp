#include "s3/object_files.hpp"

#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <stdexcept>
#include <vector>

#include "s3/crypto.hpp"

namespace kbc::emulator::s3 {

namespace fs = std::filesystem;

namespace {
// Meta files say which content they describe (size + mtime), so a file replaced directly
// through FileStore::prepare_write is never shown with a stale ETag.
struct Stamp {
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
};

std::optional<Stamp> stamp_of(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return Stamp{static_cast<std::uint64_t>(st.st_size),
               static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

// Objects written without our PUT (exports) get a stable ETag derived from their stamp.
std::string synthetic_etag(const Stamp& stamp) {
  return "\"" + sha256_hex(std::to_string(stamp.size) + ":" + std::to_string(stamp.mtime_ns)).substr(0, 32) + "\"";
}
}  // namespace

ObjectFiles::ObjectFiles(fs::path root) : root_(std::move(root)) {
  // Half-written uploads and parts of multipart uploads from an earlier run are garbage now
  // (upload bookkeeping lives in memory).
  std::error_code ec;
  fs::remove_all(root_ / ".tmp", ec);
  fs::remove_all(root_ / ".uploads", ec);
  fs::create_directories(root_ / ".tmp");
  fs::create_directories(root_ / ".meta");
  fs::create_directories(root_ / ".uploads");
}

fs::path ObjectFiles::object_path(const std::string& bucket, const std::string& key) const {
  if (bucket.empty() || bucket.find('/') != std::string::npos || bucket.front() == '.') {
    throw std::invalid_argument("invalid bucket name");
  }
  if (key.empty() || key.front() == '/' || key.back() == '/' || key.find('\0') != std::string::npos) {
    throw std::invalid_argument("invalid object key");
  }
  std::size_t start = 0;
  while (start <= key.size()) {
    auto end = key.find('/', start);
    if (end == std::string::npos) end = key.size();
    auto segment = std::string_view(key).substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") throw std::invalid_argument("invalid object key");
    start = end + 1;
  }
  return root_ / bucket / key;
}

fs::path ObjectFiles::meta_path(const std::string& bucket, const std::string& key) const {
  object_path(bucket, key);  // validates
  return root_ / ".meta" / bucket / (key + ".json");
}

fs::path ObjectFiles::temp_path() const {
  return root_ / ".tmp" / random_string(24, "abcdefghijklmnopqrstuvwxyz0123456789");
}

void ObjectFiles::commit(const fs::path& temp, const std::string& bucket, const std::string& key,
                         const ObjectMeta& meta) {
  auto target = object_path(bucket, key);
  fs::create_directories(target.parent_path());
  auto stamp = stamp_of(temp);
  if (!stamp) throw std::runtime_error("upload temp file vanished");
  nlohmann::json doc = {{"etag", meta.etag},         {"contentType", meta.content_type},
                        {"headers", meta.headers},   {"checksums", meta.checksums},
                        {"size", stamp->size},       {"mtimeNs", stamp->mtime_ns}};
  auto meta_target = meta_path(bucket, key);
  fs::create_directories(meta_target.parent_path());
  auto meta_temp = temp_path();
  {
    std::ofstream out(meta_temp);
    out << doc.dump();
  }
  fs::rename(meta_temp, meta_target);
  fs::rename(temp, target);  // rename keeps mtime, so the stamp written above stays valid
}

void ObjectFiles::record_md5_etag(const std::string& bucket, const std::string& key, const std::string& md5_hex) {
  auto info = stat(bucket, key);
  if (!info) return;
  auto meta = info->meta;
  meta.etag = "\"" + md5_hex + "\"";
  annotate(bucket, key, *info, meta);
}

void ObjectFiles::annotate(const std::string& bucket, const std::string& key, const ObjectInfo& info,
                           const ObjectMeta& meta) {
  auto mtime_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(info.last_modified.time_since_epoch()).count();
  nlohmann::json doc = {{"etag", meta.etag},       {"contentType", meta.content_type},
                        {"headers", meta.headers}, {"checksums", meta.checksums},
                        {"size", info.size},       {"mtimeNs", static_cast<std::int64_t>(mtime_ns)}};
  auto meta_target = meta_path(bucket, key);
  fs::create_directories(meta_target.parent_path());
  auto meta_temp = temp_path();
  {
    std::ofstream out(meta_temp);
    out << doc.dump();
  }
  fs::rename(meta_temp, meta_target);
}

std::optional<ObjectInfo> ObjectFiles::stat(const std::string& bucket, const std::string& key) const {
  auto path = object_path(bucket, key);
  auto stamp = stamp_of(path);
  if (!stamp) return std::nullopt;
  ObjectInfo info;
  info.path = path;
  info.size = stamp->size;
  info.last_modified = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::nanoseconds(stamp->mtime_ns)));
  info.meta.content_type = "binary/octet-stream";
  std::ifstream in(meta_path(bucket, key));
  auto doc = in ? nlohmann::json::parse(in, nullptr, false) : nlohmann::json();
  if (doc.is_object() && doc.value("size", std::uint64_t{0}) == stamp->size &&
      doc.value("mtimeNs", std::int64_t{0}) == stamp->mtime_ns) {
    info.meta.etag = doc.value("etag", "");
    info.meta.content_type = doc.value("contentType", info.meta.content_type);
    info.meta.headers = doc.value("headers", std::map<std::string, std::string>{});
    info.meta.checksums = doc.value("checksums", std::map<std::string, std::string>{});
  }
  if (info.meta.etag.empty()) info.meta.etag = synthetic_etag(*stamp);
  return info;
}

bool ObjectFiles::remove(const std::string& bucket, const std::string& key) {
  auto path = object_path(bucket, key);
  std::error_code ec;
  fs::remove(meta_path(bucket, key), ec);
  bool removed = fs::remove(path, ec);
  // Drop folders the key left empty, so "a/b" disappearing does not block a later key "a".
  auto bucket_dir = root_ / bucket;
  for (auto dir = path.parent_path(); removed && dir != bucket_dir && dir.native().size() > bucket_dir.native().size();
       dir = dir.parent_path()) {
    if (!fs::remove(dir, ec)) break;  // not empty (or gone): stop
  }
  return removed;
}

std::vector<std::string> ObjectFiles::keys(const std::string& bucket, const std::string& prefix) const {
  std::vector<std::string> keys;
  auto bucket_dir = root_ / bucket;
  std::error_code ec;
  if (bucket.empty() || bucket.front() == '.' || !fs::is_directory(bucket_dir, ec)) return keys;
  // Only descend into folders that can hold keys with this prefix (when the prefix's folder
  // part is a valid key itself: never '..' out of the bucket).
  auto start = bucket_dir;
  if (auto slash = prefix.rfind('/'); slash != std::string::npos) {
    try {
      start = object_path(bucket, prefix.substr(0, slash));
    } catch (const std::invalid_argument&) {
      return keys;  // no key can start with such a prefix
    }
  }
  if (!fs::is_directory(start, ec)) return keys;
  for (auto it = fs::recursive_directory_iterator(start, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    auto key = it->path().lexically_relative(bucket_dir).generic_string();
    if (key.compare(0, prefix.size(), prefix) == 0) keys.push_back(std::move(key));
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::string http_date(std::chrono::system_clock::time_point time) {
  auto t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buffer;
}

std::string iso8601(std::chrono::system_clock::time_point time) {
  auto t = std::chrono::system_clock::to_time_t(time);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[80];
  std::snprintf(out, sizeof out, "%s.%03dZ", buffer, static_cast<int>(ms));
  return out;
}

}  // namespace kbc::emulator::s3
