#include "commands/interrupt.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <mutex>
#include <thread>

#include "kbc_storage_extract/stop.hpp"
#include "kbc_storage_extract/transfer/copy.hpp"

namespace kbc::commands {

namespace {

int signal_pipe[2] = {-1, -1};

void on_signal(int) {
  const int saved = errno;
  const char byte = 1;
  [[maybe_unused]] const auto written = write(signal_pipe[1], &byte, 1);
  errno = saved;
}

void say(const char* text, std::size_t size) { [[maybe_unused]] const auto written = write(STDERR_FILENO, text, size); }

void watch_signals() {
  for (int received = 0;;) {
    char byte = 0;
    const auto got = read(signal_pipe[0], &byte, 1);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return;
    if (++received == 1) {
      constexpr char message[] = "\ninterrupted: stopping (transfers end, uploads are aborted, imports already sent "
                                 "are left to the next run); signal again to stop at once\n";
      say(message, sizeof message - 1);
      process_stop().request();
    } else {
      constexpr char message[] = "\ninterrupted again: aborting the uploads in flight and stopping now\n";
      say(message, sizeof message - 1);
      transfer::abort_uploads_in_flight();
      _exit(130);
    }
  }
}

}  // namespace

void install_interrupt_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (pipe2(signal_pipe, O_CLOEXEC) != 0) return;  // no pipe: the default action (exit) stays
    std::thread(watch_signals).detach();
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
  });
}

}  // namespace kbc::commands
