#pragma once
// The emulator's own GCS JSON API, in-process: a GcsStore over a FileStore's object files on a
// fresh temp dir, served by an httplib::Server on a free loopback port in a thread. Clients
// may reach it through a proxy: `public_url` (the URL resumable session URIs are built on) is
// asked for once the port is known.
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <thread>

#include "faults.hpp"
#include "listener.hpp"
#include "gcs/gcs_store.hpp"
#include "kbc_storage_extract/transfer/file_access.hpp"
#include "s3/file_store.hpp"

namespace kbc::test {

class EmulatorGcsServer {
 public:
  // `public_url_for(url)`: the URL clients use, given the server's own (a proxy's, or itself).
  explicit EmulatorGcsServer(const std::function<std::string(const std::string&)>& public_url_for =
                                 [](const std::string& url) { return url; })
      : root_(make_root()), files_(root_ / "files", "europe-west3", faults), gcs_(files_.objects(), faults) {
    const int port = emulator::bind_listener(server_, "127.0.0.1", 0);
    if (port <= 0) throw std::runtime_error("cannot bind a loopback port");
    url_ = "http://127.0.0.1:" + std::to_string(port);
    gcs_.mount(server_, public_url_for(url_));
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ~EmulatorGcsServer() {
    server_.stop();
    thread_.join();
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }
  EmulatorGcsServer(const EmulatorGcsServer&) = delete;
  EmulatorGcsServer& operator=(const EmulatorGcsServer&) = delete;

  const std::string& url() const { return url_; }

  // Access to `bucket` with a bearer token freshly issued by the store, as files/prepare gives it.
  transfer::GcsAccess access(const std::string& bucket, std::chrono::seconds ttl = std::chrono::hours(1)) {
    const auto token = gcs_.issue_token(bucket, "", ttl);
    transfer::GcsAccess access;
    access.bucket = bucket;
    access.project_id = "kbc-emulator";
    access.access_token = Secret(token.access_token);
    access.expiration = token.expiration;
    return access;
  }

  emulator::FaultInjector faults;

 private:
  static std::filesystem::path make_root() {
    std::string pattern = (std::filesystem::temp_directory_path() / "kbc-emulator-gcs-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temp dir");
    return pattern;
  }

  std::filesystem::path root_;
  emulator::FileStore files_;
  emulator::GcsStore gcs_;
  httplib::Server server_;
  std::thread thread_;
  std::string url_;
};

}  // namespace kbc::test
