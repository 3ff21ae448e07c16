#include "cli/terminal.hpp"

#include <termios.h>
#include <unistd.h>

#include <iostream>

namespace kbc::cli {

namespace {

// Echo off for its life; TCSANOW, not TCSAFLUSH, so that input typed ahead is kept.
class EchoOff {
 public:
  EchoOff() {
    if (tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    active_ = tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;
  }
  ~EchoOff() {
    if (active_) tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

std::string trimmed(std::string text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

}  // namespace

bool interactive_terminal() { return isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1; }

std::optional<std::string> ask(const std::string& question) {
  std::cerr << question << std::flush;
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  return trimmed(line);
}

std::optional<std::string> ask_hidden(const std::string& question) {
  std::cerr << question << std::flush;
  std::string line;
  bool read = false;
  {
    EchoOff echo_off;
    read = static_cast<bool>(std::getline(std::cin, line));
  }
  std::cerr << '\n';
  if (!read) return std::nullopt;
  return trimmed(line);
}

}  // namespace kbc::cli
