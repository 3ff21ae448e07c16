#include "s3rver_process.hpp"
#include "process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace kbc::test {
namespace {

constexpr auto k_start_timeout = std::chrono::seconds(30);
constexpr auto k_stop_grace = std::chrono::seconds(3);

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::filesystem::path make_work_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "kbc-s3rver-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temp dir for s3rver");
  return pattern;
}

}  // namespace

S3rverProcess::S3rverProcess(const std::vector<std::string>& buckets) {
  const std::filesystem::path script = std::filesystem::path(KBC_SOURCE_DIR) / "tests/peers/node_modules/s3rver/bin/s3rver.js";
  if (!std::filesystem::exists(script))
    throw std::runtime_error(script.string() + " is missing: run scripts/install-deps.sh (npm ci in tests/peers)");
  work_dir_ = make_work_dir();
  data_dir_ = work_dir_ / "data";
  std::filesystem::create_directories(data_dir_);
  const auto log = work_dir_ / "s3rver.log";

  std::vector<std::string> args = {"node", script.string(), "-d", data_dir_.string(), "-a", "127.0.0.1", "-p", "0",
                                   "--silent", "--no-vhost-buckets"};
  for (const auto& bucket : buckets) {
    args.push_back("--configure-bucket");
    args.push_back(bucket);
  }
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
      close(fd);
    }
    execvp("node", argv.data());
    _exit(127);
  }

  // It prints "S3rver listening on 127.0.0.1:<port>" once it accepts connections.
  const std::regex listening(R"(S3rver listening on 127\.0\.0\.1:(\d+))");
  const auto deadline = std::chrono::steady_clock::now() + k_start_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::smatch match;
    const auto text = read_file(log);
    if (std::regex_search(text, match, listening)) {
      endpoint_ = "http://127.0.0.1:" + match[1].str();
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      std::filesystem::remove_all(work_dir_);
      throw std::runtime_error("s3rver exited before listening: " + text);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const auto text = read_file(log);
  stop();
  throw std::runtime_error("s3rver did not start within 30 s: " + text);
}

S3rverProcess::~S3rverProcess() { stop(); }

void S3rverProcess::stop() {
  stop_process(pid_, k_stop_grace);
  pid_ = -1;
  std::error_code ignored;
  if (!work_dir_.empty()) std::filesystem::remove_all(work_dir_, ignored);
}

}  // namespace kbc::test
