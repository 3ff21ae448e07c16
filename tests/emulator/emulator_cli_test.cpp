// The emulator's command line (docs/emulator.md, "Flags").
#include <catch2/catch.hpp>

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
