#pragma once
// A loopback TCP proxy in front of any server, that cuts a connection after a given number of
// bytes on demand: the same "connection dropped mid-transfer" fault for every storage server a
// test talks to (ours, s3rver, moto, azurite), whether or not it can inject faults itself.
// Bytes pass through unchanged (HTTP included), so signatures over Host stay valid.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kbc::test {

class CuttingProxy {
 public:
  // Forwards every connection to `upstream_url`'s host and port ("http://127.0.0.1:9000").
  explicit CuttingProxy(const std::string& upstream_url);
  ~CuttingProxy();
  CuttingProxy(const CuttingProxy&) = delete;
  CuttingProxy& operator=(const CuttingProxy&) = delete;

  // "http://127.0.0.1:<port>" of the proxy itself.
  const std::string& url() const { return url_; }

  // Once: after `bytes` more bytes went from the server to a client (a download), close that
  // connection on both sides.
  void cut_download_after(std::uint64_t bytes);
  // Once: after `bytes` more bytes went from a client to the server (an upload), close it.
  void cut_upload_after(std::uint64_t bytes);
  // How many connections were cut so far.
  int cuts() const { return cuts_; }

 private:
  struct Budget {
    std::atomic<bool> armed{false};
    std::atomic<std::int64_t> remaining{0};
  };
  void accept_loop();
  void pump(int client, int server);
  // How many of `size` bytes may pass before the cut; size when no cut is armed.
  std::size_t allowance(Budget& budget, std::size_t size, bool& cut);

  int listener_ = -1;
  int upstream_port_ = 0;
  std::string url_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> cuts_{0};
  Budget download_;
  Budget upload_;
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<std::thread> pumps_;
  std::vector<int> open_fds_;
};

}  // namespace kbc::test
