// The real kbc-storage-extract binary, run as a user would: flags, exit codes, messages, and
// the promise that no token ever reaches the output.
#include <catch2/catch.hpp>

#include "process.hpp"

using kbc::test::run_process;

TEST_CASE("run_process captures stdout, stderr, the exit code and the environment", "[process]") {
  const auto result = run_process({"/bin/sh", "-c", "echo out; echo \"err $KBC_PROBE\" >&2; exit 7"},
                                  {{"KBC_PROBE", "seen"}});
  CHECK(result.exit_code == 7);
  CHECK(result.out == "out\n");
  CHECK(result.err == "err seen\n");
  CHECK_FALSE(result.timed_out);
}

TEST_CASE("run_process kills a process that outlives its timeout", "[process]") {
  const auto result = run_process({"/bin/sh", "-c", "exec sleep 30"}, {}, std::chrono::seconds(1));
  CHECK(result.timed_out);
  CHECK(result.exit_code == 128 + 9);
}
