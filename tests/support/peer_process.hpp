#pragma once
// A server written by others (from npm in tests/peers/node_modules, or a program on the PATH
// such as moto_server), run as a child process on a free loopback port: started with a fresh
// work dir, waited for (bounded) until its log prints where it listens, stopped (SIGTERM, then
// SIGKILL) by the destructor.
#include <filesystem>
#include <functional>
#include <regex>
#include <string>
#include <vector>

namespace kbc::test {

class PeerProcess {
 public:
  // `command` gets the work dir (for data) and returns the argv (argv[0] looked up in PATH).
  // `listening` matches the log line that says it accepts connections; its first group is
  // the port.
  PeerProcess(std::string name, const std::function<std::vector<std::string>(const std::filesystem::path& work_dir)>& command,
              const std::regex& listening);

  // {"node", <tests/peers/node_modules/script>}: the start of a command for an npm server;
  // throws, naming the install step, when it is not installed.
  static std::vector<std::string> node_script(const std::string& script);
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
