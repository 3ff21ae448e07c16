// The emulator's command line: --version, and every usage error exits 1 with one message
// (docs/emulator.md, "Flags").
#include <catch2/catch.hpp>

#include <algorithm>

#include "emulator_test_support.hpp"
#include "process.hpp"

using namespace kbc::test;

TEST_CASE("kbc-storage-emulator --version prints the project version and exits 0") {
  auto result = run_process({KBC_EMULATOR_BIN, "--version"}, {}, std::chrono::seconds(20));
  INFO(result.err);
  CHECK_FALSE(result.timed_out);
  CHECK(result.exit_code == 0);
  CHECK(result.out == std::string("kbc-storage-emulator ") + KBC_VERSION + "\n");
  CHECK(result.err.empty());
}

namespace {
std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}
}  // namespace

TEST_CASE("a --seed naming a missing file exits 1 with one message naming it") {
  TempDir dir;
  const auto missing = (dir.path() / "no-such-seed.json").string();
  auto result = run_process({KBC_EMULATOR_BIN, "--seed", missing, "--port", "0"}, {}, std::chrono::seconds(20));
  INFO(result.err);
  CHECK_FALSE(result.timed_out);
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("seed file " + missing + " does not exist") != std::string::npos);
  CHECK(line_count(result.err) == 1);
  CHECK(result.out.empty());
}

TEST_CASE("every usage error of the emulator exits 1 with one message, not CLI11's own codes") {
  TempDir dir;
  const auto seed = write_seed(dir, two_region_seed()).string();
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--no-such-flag"}, "--no-such-flag"},
      {{"--port", "seventy"}, "--port"},
      {{"--port", "70000"}, "--port"},
      {{"--log-level", "loud"}, "--log-level"},
      {{"--job-workers", "0"}, "--job-workers"},
      {{"--seed"}, "--seed"},
      {{"unexpected-positional"}, "unexpected-positional"},
  };
  for (const auto& [args, named] : cases) {
    std::vector<std::string> argv{KBC_EMULATOR_BIN, "--seed", seed};
    argv.insert(argv.end(), args.begin(), args.end());
    auto result = run_process(argv, {}, std::chrono::seconds(20));
    INFO(args.front() << ": " << result.err);
    CHECK_FALSE(result.timed_out);
    CHECK(result.exit_code == 1);
    CHECK(result.err.rfind("kbc-storage-emulator: ", 0) == 0);
    CHECK(result.err.find(named) != std::string::npos);
    CHECK(line_count(result.err) == 1);
    CHECK(result.out.empty());
  }
}

TEST_CASE("kbc-storage-emulator --help prints the flags and exits 0") {
  auto result = run_process({KBC_EMULATOR_BIN, "--help"}, {}, std::chrono::seconds(20));
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("--seed") != std::string::npos);
  CHECK(result.out.find("--version") != std::string::npos);
}
