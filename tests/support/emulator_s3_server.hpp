#pragma once
// The emulator's own S3 file storage, in-process: a FileStore on a fresh temp dir served by an
// httplib::Server on a free loopback port in a thread, with its FaultInjector at hand.
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "faults.hpp"
#include "listener.hpp"
#include "kbc_storage_extract/transfer/object_store.hpp"
#include "s3/file_store.hpp"

namespace kbc::test {

class EmulatorS3Server {
 public:
  static constexpr const char* region = "eu-central-1";

  EmulatorS3Server() : root_(make_root()), store(root_ / "s3", region, faults) {
    const int port = emulator::bind_listener(server_, "127.0.0.1", 0);
    if (port <= 0) throw std::runtime_error("cannot bind a loopback port");
    url_ = "http://127.0.0.1:" + std::to_string(port);
    store.mount(server_, url_);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ~EmulatorS3Server() {
    server_.stop();
    thread_.join();
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }
  EmulatorS3Server(const EmulatorS3Server&) = delete;
  EmulatorS3Server& operator=(const EmulatorS3Server&) = delete;

  const std::string& url() const { return url_; }

  // Access to `bucket` with credentials freshly issued by the store, as files/prepare gives them.
  transfer::AwsAccess access(const std::string& bucket, std::chrono::seconds ttl = std::chrono::hours(1)) {
    const auto credentials = store.issue_credentials(bucket, "", ttl);
    transfer::AwsAccess access;
    access.region = region;
    access.bucket = bucket;
    access.access_key_id = credentials.access_key_id;
    access.secret_access_key = Secret(credentials.secret_access_key);
    access.session_token = Secret(credentials.session_token);
    access.expiration = credentials.expiration;
    return access;
  }

  // Part files of multipart uploads still open (neither completed nor aborted).
  std::size_t open_upload_files() const {
    std::size_t count = 0;
    const auto dir = root_ / "s3" / ".uploads";
    if (!std::filesystem::exists(dir)) return 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir))
      if (entry.is_regular_file()) ++count;
    return count;
  }

  emulator::FaultInjector faults;

 private:
  static std::filesystem::path make_root() {
    std::string pattern = (std::filesystem::temp_directory_path() / "kbc-emulator-s3-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temp dir");
    return pattern;
  }

  std::filesystem::path root_;

 public:
  emulator::FileStore store;

 private:
  httplib::Server server_;
  std::thread thread_;
  std::string url_;
};

}  // namespace kbc::test
