#pragma once
// A server from npm (tests/peers/node_modules, installed by scripts/install-deps.sh) run as a
// child process on a free loopback port: started with a fresh work dir, waited for (bounded)
// until its log prints where it listens, stopped (SIGTERM, then SIGKILL) by the destructor.
#include <filesystem>
#include <functional>
#include <regex>
#include <string>
#include <vector>

namespace kbc::test {

class PeerProcess {
 public:
  // `script`: below tests/peers/node_modules, e.g. "s3rver/bin/s3rver.js". `arguments` gets the
  // work dir (for data) and returns the script's arguments. `listening` matches the log line
  // that says it accepts connections; its first group is the port.
  PeerProcess(std::string name, const std::string& script,
              const std::function<std::vector<std::string>(const std::filesystem::path& work_dir)>& arguments,
              const std::regex& listening);
  ~PeerProcess();
  PeerProcess(const PeerProcess&) = delete;
  PeerProcess& operator=(const PeerProcess&) = delete;

  // "http://127.0.0.1:<port>"
  const std::string& url() const { return url_; }
  const std::filesystem::path& work_dir() const { return work_dir_; }

 private:
  void stop();

  std::string name_;
  int pid_ = -1;
  std::filesystem::path work_dir_;
  std::string url_;
};

}  // namespace kbc::test
