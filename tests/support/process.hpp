#pragma once
// Run a program to completion and capture what it printed: the way e2e tests drive the real
// kbc-storage-extract binary. Bounded in time: a process that outlives `timeout` is killed.
#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace kbc::test {

struct ProcessResult {
  int exit_code = -1;  // the exit status, 128 + signal when killed by a signal
  std::string out;     // everything written to stdout
  std::string err;     // everything written to stderr
  bool timed_out = false;
};

// argv[0] is the program path (no PATH lookup). `extra_env` is added to (and overrides) this
// process's environment; a value of "\x01unset" removes the variable instead.
ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& extra_env = {},
                          std::chrono::seconds timeout = std::chrono::seconds(60));

// Stop a child started by a fixture: SIGTERM, then SIGKILL if it is still running after
// `grace`; reaps it either way.
void stop_process(int pid, std::chrono::milliseconds grace);

// The marker value for run_process's extra_env that removes a variable from the environment.
inline constexpr const char* kUnsetEnv = "\x01unset";

}  // namespace kbc::test
