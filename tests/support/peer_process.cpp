#include "peer_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "process.hpp"

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

std::filesystem::path make_work_dir(const std::string& name) {
  std::string pattern = (std::filesystem::temp_directory_path() / ("kbc-" + name + "-XXXXXX")).string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temp dir for " + name);
  return pattern;
}

}  // namespace

std::vector<std::string> PeerProcess::node_script(const std::string& script) {
  const std::filesystem::path path = std::filesystem::path(KBC_SOURCE_DIR) / "tests/peers/node_modules" / script;
  if (!std::filesystem::exists(path))
    throw std::runtime_error(path.string() + " is missing: run scripts/install-deps.sh (npm ci in tests/peers)");
  return {"node", path.string()};
}

PeerProcess::PeerProcess(std::string name, const std::function<std::vector<std::string>(const std::filesystem::path&)>& command,
                         const std::regex& listening)
    : name_(std::move(name)) {
  work_dir_ = make_work_dir(name_);
  const auto log = work_dir_ / (name_ + ".log");

  std::vector<std::string> args;
  try {
    args = command(work_dir_);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove_all(work_dir_, ignored);
    throw;
  }
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // a crashed test leaves no server behind
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
      close(fd);
    }
    execvp(argv[0], argv.data());
    _exit(127);
  }

  const auto deadline = std::chrono::steady_clock::now() + k_start_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::smatch match;
    const auto text = read_file(log);
    if (std::regex_search(text, match, listening)) {
      url_ = "http://127.0.0.1:" + match[1].str();
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      std::error_code ignored;
      std::filesystem::remove_all(work_dir_, ignored);
      throw std::runtime_error(name_ + " exited before listening: " + text);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const auto text = read_file(log);
  stop();
  throw std::runtime_error(name_ + " did not start within 30 s: " + text);
}

PeerProcess::~PeerProcess() { stop(); }

void PeerProcess::stop() {
  stop_process(pid_, k_stop_grace);
  pid_ = -1;
  std::error_code ignored;
  if (!work_dir_.empty()) std::filesystem::remove_all(work_dir_, ignored);
}

}  // namespace kbc::test
