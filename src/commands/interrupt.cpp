#include "commands/interrupt.hpp"

#include <csignal>
#include <unistd.h>

namespace kbc::commands {

namespace {

std::atomic<bool> interrupted{false};

void on_signal(int) {
  if (interrupted.exchange(true)) _exit(130);  // the second signal: stop now
  constexpr char message[] =
      "\ninterrupted: finishing the table in progress, skipping the rest (signal again to stop at once)\n";
  [[maybe_unused]] const auto written = write(STDERR_FILENO, message, sizeof message - 1);
}

}  // namespace

const std::atomic<bool>& install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  return interrupted;
}

}  // namespace kbc::commands
