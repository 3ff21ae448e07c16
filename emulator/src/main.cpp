// kbc-storage-emulator: a local emulator of the Keboola Storage API subset kbc-storage-extract
// uses (docs/emulator.md).
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>

#include "command_line.hpp"
#include "emulator.hpp"

int main(int argc, char** argv) {
  kbc::emulator::EmulatorOptions options;
  CLI::App app;
  kbc::emulator::define_command_line(app, options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& done) {  // --help, --version
    return app.exit(done);
  } catch (const CLI::ParseError& error) {
    // Every usage error exits 1 (docs/emulator.md), not CLI11's per-kind codes (105, 109, …).
    std::cerr << "kbc-storage-emulator: " << error.what() << " (see kbc-storage-emulator --help)\n";
    return 1;
  }

  auto logger = spdlog::stderr_color_mt("emulator");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(options.log_level));

  // Every thread inherits the blocked signals; the main thread waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);  // a client that hangs up must not end the emulator

  try {
    kbc::emulator::Emulator emulator(options);
    auto ready = emulator.start();
    std::cout << ready.dump() << std::endl;
    spdlog::info("ready: {}", ready.dump());
    int received = 0;
    sigwait(&signals, &received);
    spdlog::info("signal {}: stopping", received);
    emulator.stop();
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
  return 0;
}
