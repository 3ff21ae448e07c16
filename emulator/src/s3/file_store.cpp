#include "s3/file_store.hpp"

#include <httplib.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>

#include "faults.hpp"
#include "s3/credentials.hpp"

namespace kbc::emulator {

struct FileStore::Impl {
  Impl(std::filesystem::path root_dir, std::string signing_region, FaultInjector& injector)
      : root(std::move(root_dir)), region(std::move(signing_region)), faults(injector) {}
  std::filesystem::path root;
  std::string region;
  FaultInjector& faults;
  s3::CredentialRegistry credentials;
  std::string public_url;
};

FileStore::FileStore(std::filesystem::path root, std::string region, FaultInjector& faults)
    : impl_(std::make_unique<Impl>(std::move(root), std::move(region), faults)) {
  std::filesystem::create_directories(impl_->root);
}

FileStore::~FileStore() = default;

void FileStore::mount(httplib::Server& server, std::string public_url) {
  impl_->public_url = std::move(public_url);
  (void)server;
}

S3Credentials FileStore::issue_credentials(const std::string& bucket, const std::string& key_prefix,
                                           std::chrono::seconds ttl) {
  return impl_->credentials.issue(bucket, key_prefix, ttl);
}

void FileStore::expire_all_credentials() { impl_->credentials.expire_all(); }

std::string FileStore::presign_get(const std::string& bucket, const std::string& key, std::chrono::seconds ttl) {
  (void)ttl;
  return impl_->public_url + "/" + bucket + "/" + key;
}

std::filesystem::path FileStore::path_of(const std::string& bucket, const std::string& key) const {
  if (bucket.empty() || bucket.find('/') != std::string::npos || bucket.front() == '.') {
    throw std::invalid_argument("invalid bucket name");
  }
  if (key.empty() || key.front() == '/' || key.back() == '/') throw std::invalid_argument("invalid object key");
  std::filesystem::path relative(key);
  for (const auto& part : relative) {
    if (part == ".." || part == "." || part.empty()) throw std::invalid_argument("invalid object key");
  }
  return impl_->root / bucket / relative;
}

bool FileStore::exists(const std::string& bucket, const std::string& key) const {
  std::error_code ec;
  return std::filesystem::is_regular_file(path_of(bucket, key), ec);
}

std::optional<std::uint64_t> FileStore::size_of(const std::string& bucket, const std::string& key) const {
  std::error_code ec;
  auto size = std::filesystem::file_size(path_of(bucket, key), ec);
  if (ec) return std::nullopt;
  return size;
}

std::vector<std::string> FileStore::list(const std::string& bucket, const std::string& prefix) const {
  std::vector<std::string> keys;
  auto bucket_dir = impl_->root / bucket;
  std::error_code ec;
  if (!std::filesystem::is_directory(bucket_dir, ec)) return keys;
  for (auto it = std::filesystem::recursive_directory_iterator(bucket_dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    auto key = it->path().lexically_relative(bucket_dir).generic_string();
    if (key.compare(0, prefix.size(), prefix) == 0) keys.push_back(std::move(key));
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::filesystem::path FileStore::prepare_write(const std::string& bucket, const std::string& key) {
  auto path = path_of(bucket, key);
  std::filesystem::create_directories(path.parent_path());
  return path;
}

const std::string& FileStore::region() const { return impl_->region; }

}  // namespace kbc::emulator
