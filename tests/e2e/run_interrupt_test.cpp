// Ctrl-C during `run`: the table in progress finishes, the rest are skipped, exit 130.
#include <csignal>
#include <sys/wait.h>
#include <thread>

#include "run_fixture.hpp"
#include "spawn_run.hpp"

using namespace kbc::e2e;
using nlohmann::json;

TEST_CASE("run: SIGINT lets the table in progress finish, skips the rest and exits 130") {
  RunWorld world({"--faults", "--job-delay-ms", "1500"});  // every job takes 1.5 s: time to interrupt
  const auto config = world.config(json::array({{{"name", "customers"}, {"destination", "c1"}},
                                                {{"name", "orders"}, {"destination", "o1"}}}));
  const auto report = world.dir.path() / "report.json";
  const auto log = (world.dir.path() / "run.log").string();
  const pid_t pid = spawn_run(world, {"run", config.string(), "--report", report.string()}, log);
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));  // inside the first table's export job
  kill(pid, SIGINT);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  const std::string err = read_text(log);
  INFO(err);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  CHECK_THAT(err, Catch::Contains("interrupted"));
  CHECK(world.destination_rows("in.c-from-eu.c1") == sorted(seed_customers));
  CHECK_FALSE(world.destination_has("in.c-from-eu.o1"));
  const auto tables = json::parse(std::ifstream(report))["tables"];
  CHECK(tables[0]["status"] == "ok");
  CHECK(tables[1]["status"] == "skipped");
  CHECK(tables[1]["skipReason"] == "interrupted");
}

TEST_CASE("run: SIGTERM during the last table lets it finish and still exits 130") {
  RunWorld world({"--faults", "--job-delay-ms", "1500"});
  const auto config = world.config(json::array({{{"name", "customers"}, {"destination", "only"}}}));
  const auto report = world.dir.path() / "report.json";
  const auto log = (world.dir.path() / "run.log").string();
  const pid_t pid = spawn_run(world, {"run", config.string(), "--report", report.string()}, log);
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));  // inside its export job
  kill(pid, SIGTERM);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  INFO(read_text(log));
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);  // not 0: the run was interrupted, whatever was left to do
  CHECK(world.destination_rows("in.c-from-eu.only") == sorted(seed_customers));
  const auto written = json::parse(std::ifstream(report));
  CHECK(written["tables"][0]["status"] == "ok");
  CHECK(written["exitCode"] == 130);
}
