#pragma once
// The real binary started in the background (for tests that signal or kill it mid-run).
#include <fcntl.h>
#include <spawn.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "run_fixture.hpp"

extern char** environ;

namespace kbc::e2e {

// Start the real binary with the world's environment, stderr into `log`; returns its pid.
inline pid_t spawn_run(const RunWorld& world, std::vector<std::string> argv, const std::string& log) {
  std::vector<std::string> environment;
  for (char** e = environ; *e; ++e) environment.emplace_back(*e);
  for (const auto& [name, value] : world.env)
    if (value != kbc::test::kUnsetEnv) environment.push_back(name + "=" + value);
  argv.insert(argv.begin(), KBC_EXTRACT_BIN);
  std::vector<char*> args, envp;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  for (auto& e : environment) envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&files, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, argv[0].c_str(), &files, nullptr, args.data(), envp.data()) == 0);
  posix_spawn_file_actions_destroy(&files);
  return pid;
}

inline std::string read_text(const std::string& file) {
  std::ifstream in(file);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace kbc::e2e
