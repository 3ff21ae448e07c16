#include "emulator_process.hpp"
#include "process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <nlohmann/json.hpp>

namespace kbc::test {

namespace {

std::filesystem::path make_temp_dir(const char* prefix) {
  auto pattern = (std::filesystem::temp_directory_path() / (std::string(prefix) + "XXXXXX")).string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed: " + std::string(std::strerror(errno)));
  return pattern;
}

int start_timeout(int requested) {
  if (const char* env = std::getenv("KBC_EMULATOR_START_TIMEOUT")) {
    int value = std::atoi(env);
    if (value > requested) return value;
  }
  return requested;
}

}  // namespace

EmulatorProcess::EmulatorProcess(Options options) : work_dir_(make_temp_dir("kbc-emulator-test-")) {
  auto ready_file = work_dir_ / "ready.json";
  std::vector<std::string> args = {KBC_EMULATOR_BIN, "--port", "0", "--ready-file", ready_file.string()};
  if (!options.seed.empty()) {
    args.push_back("--seed");
    args.push_back(options.seed.string());
  }
  args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  auto log = log_file().string();

  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive a crashed test
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }

  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(start_timeout(options.start_timeout_seconds));
  while (!std::filesystem::exists(ready_file)) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("kbc-storage-emulator exited before it was ready:\n" + log_tail());
    }
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("kbc-storage-emulator was not ready in time:\n" + log_tail());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::ifstream in(ready_file);
  auto ready = nlohmann::json::parse(in);
  for (auto& [region, url] : ready.at("regions").items()) regions_[region] = url.get<std::string>();
  s3_url_ = ready.at("s3").get<std::string>();
  gcs_url_ = ready.value("gcs", "");
}

EmulatorProcess::~EmulatorProcess() {
  stop_process(pid_, std::chrono::seconds(10));
  std::error_code ec;
  std::filesystem::remove_all(work_dir_, ec);
}

std::string EmulatorProcess::url(const std::string& region) const {
  auto it = regions_.find(region);
  if (it == regions_.end()) throw std::out_of_range("the emulator has no region " + region);
  return it->second;
}

std::string EmulatorProcess::s3_url() const { return s3_url_; }

std::string EmulatorProcess::log_tail(std::size_t max_bytes) const {
  std::ifstream in(log_file(), std::ios::binary);
  std::stringstream all;
  all << in.rdbuf();
  auto text = all.str();
  return text.size() > max_bytes ? text.substr(text.size() - max_bytes) : text;
}

TempDir::TempDir() : path_(make_temp_dir("kbc-test-")) {}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace kbc::test
