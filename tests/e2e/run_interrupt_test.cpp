// SIGINT/SIGTERM during `run` stop it at once, whatever it waits for (a stuck job, a backoff, a
// stalled transfer): no table starts, nothing half-copied is imported, an import already sent is
// left in the journal for the next run, the report is still written and the exit code is 130.
#include <csignal>
#include <sys/wait.h>
#include <thread>

#include "run_fixture.hpp"
#include "spawn_run.hpp"

using namespace kbc::e2e;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

struct Stopped {
  int exit_code = -1;
  double seconds_after_signal = 0;
  std::string log;
};

// Start a run, send `signal` after `after` (or once `ready()` holds), and wait for it to end.
Stopped interrupt_run(const RunWorld& world, const std::vector<std::string>& args, int signal,
                      std::chrono::milliseconds after, const std::function<bool()>& ready = {}) {
  const auto log = (world.dir.path() / "run.log").string();
  const pid_t pid = spawn_run(world, args, log);
  std::this_thread::sleep_for(after);
  for (int i = 0; ready && i < 1500 && !ready(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const auto signalled = Clock::now();
  kill(pid, signal);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  Stopped stopped;
  stopped.seconds_after_signal = std::chrono::duration<double>(Clock::now() - signalled).count();
  stopped.log = read_text(log);
  REQUIRE(WIFEXITED(status));
  stopped.exit_code = WEXITSTATUS(status);
  return stopped;
}

json read_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  return in ? json::parse(in, nullptr, false) : json();
}

}  // namespace

TEST_CASE("run: SIGINT during a stuck export job stops at once, skips the rest and exits 130 with a report") {
  RunWorld world({"--faults", "--job-delay-ms", "60000"});  // the export job would take 2 minutes
  const auto config = world.config(json::array({{{"name", "customers"}, {"destination", "c1"}},
                                                {{"name", "orders"}, {"destination", "o1"}}}));
  const auto report = world.dir.path() / "report.json";
  const auto stopped = interrupt_run(world, {"run", config.string(), "--report", report.string()}, SIGINT,
                                     std::chrono::milliseconds(1500));
  INFO(stopped.log);
  CHECK(stopped.exit_code == 130);
  CHECK(stopped.seconds_after_signal < 5);
  CHECK_THAT(stopped.log, Catch::Contains("interrupted"));
  CHECK_FALSE(world.destination_has("in.c-from-eu.c1"));
  CHECK_FALSE(world.destination_has("in.c-from-eu.o1"));
  const auto written = read_json(report);
  REQUIRE(written.is_object());
  CHECK(written["exitCode"] == 130);
  CHECK(written["tables"][0]["status"] == "failed");
  CHECK(written["tables"][0]["error"]["kind"] == "cancelled");
  CHECK(written["tables"][1]["status"] == "skipped");
  CHECK(written["tables"][1]["skipReason"] == "interrupted");
}

TEST_CASE("run: SIGTERM during a Retry-After wait stops at once and exits 130") {
  RunWorld world({"--faults"});
  world.add_fault({{"method", "POST"}, {"pathRegex", "export-async"}, {"action", "status"}, {"status", 503},
                   {"retryAfterSeconds", 120}, {"count", 100}});
  const auto config = world.config(json::array({{{"name", "customers"}, {"destination", "only"}}}));
  const auto stopped = interrupt_run(world, {"run", config.string(), "--retry-max-wait", "300"}, SIGTERM,
                                     std::chrono::milliseconds(1500));
  INFO(stopped.log);
  CHECK(stopped.exit_code == 130);
  CHECK(stopped.seconds_after_signal < 5);
  CHECK_THAT(stopped.log, Catch::Contains("retrying in 120000 ms"));  // Retry-After, within --retry-max-wait
  CHECK_FALSE(world.destination_has("in.c-from-eu.only"));
}

TEST_CASE("run: SIGTERM during a stalled download stops at once; nothing is imported") {
  RunWorld world({"--faults"});
  // The source object's GET answers after 20 s: a server that does not answer.
  world.add_fault({{"target", "s3"}, {"method", "GET"}, {"pathRegex", "\\.gz"}, {"action", "delay"}, {"delayMs", 20000},
                   {"count", 1}});
  const auto config = world.config(json::array({{{"name", "customers"}, {"destination", "only"}}}));
  const auto stopped = interrupt_run(world, {"run", config.string()}, SIGTERM, std::chrono::milliseconds(0),
                                     [&] { return world.faults_fired() == 1; });
  INFO(stopped.log);
  CHECK(world.faults_fired() == 1);
  CHECK(stopped.exit_code == 130);
  CHECK(stopped.seconds_after_signal < 5);
  CHECK_FALSE(world.destination_has("in.c-from-eu.only"));
}

TEST_CASE("run: SIGTERM during the import job leaves it in the journal; the next run settles it and copies once") {
  RunWorld world({"--faults", "--job-delay-ms", "1500"});
  const auto config = world.config(json::array({{{"name", "customers"}, {"destination", "only"}}}));
  const auto state_file = world.dir.path() / "config.state.json";
  const auto report = world.dir.path() / "report.json";
  const auto in_flight = [&] {
    const auto state = read_json(state_file);
    return state.is_object() && state["tables"]["in.c-from-eu.only"]["inFlight"]["jobId"].is_string();
  };
  const auto stopped = interrupt_run(world, {"run", config.string(), "--report", report.string()}, SIGTERM,
                                     std::chrono::milliseconds(0), in_flight);
  INFO(stopped.log);
  CHECK(stopped.exit_code == 130);
  CHECK(stopped.seconds_after_signal < 5);
  REQUIRE(in_flight());  // the import was sent: the journal keeps it for the next run
  CHECK(read_json(report)["tables"][0]["error"]["kind"] == "cancelled");

  auto rerun = world.run({"run", config.string()});
  REQUIRE(rerun.exit_code == 0);
  CHECK_THAT(rerun.err, Catch::Contains("left by an earlier run"));
  CHECK_FALSE(in_flight());
  CHECK(world.destination_rows("in.c-from-eu.only") == sorted(seed_customers));
}

TEST_CASE("run: --job-timeout ends the wait for a job that does not finish, naming the flag's limit") {
  RunWorld world({"--faults", "--job-delay-ms", "60000"});
  const auto config = world.config(json::array({{{"name", "customers"}, {"destination", "only"}}}));
  auto result = world.run({"run", config.string(), "--job-timeout", "2"});
  CHECK(result.exit_code == 1);  // its one table failed
  CHECK_THAT(result.err, Catch::Contains("did not finish within 2 s"));
  CHECK_FALSE(world.destination_has("in.c-from-eu.only"));
}

TEST_CASE("run: a download that stalls longer than --stall-timeout is abandoned and resumed") {
  RunWorld world({"--faults"});
  world.add_fault({{"target", "s3"}, {"method", "GET"}, {"pathRegex", "\\.gz"}, {"action", "delay"}, {"delayMs", 15000},
                   {"count", 1}});
  const auto config = world.config(json::array({{{"name", "customers"}, {"destination", "only"}}}));
  const auto started = Clock::now();
  auto result = world.run({"run", config.string(), "--stall-timeout", "2"});
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  REQUIRE(result.exit_code == 0);
  CHECK(world.faults_fired() == 1);
  CHECK(seconds < 12);  // the stall was cut after ~2 s, not waited out for 15
  CHECK_THAT(result.err, Catch::Contains("attempt 1 of 8"));
  CHECK(world.destination_rows("in.c-from-eu.only") == sorted(seed_customers));
}

TEST_CASE("run: --retries 0 gives up after the first attempt, and the error says so once") {
  RunWorld world({"--faults"});
  world.add_fault({{"method", "POST"}, {"pathRegex", "export-async"}, {"action", "status"}, {"status", 500}, {"count", 5}});
  const auto config = world.config(json::array({{{"name", "customers"}, {"destination", "only"}}}));
  auto result = world.run({"run", config.string(), "--retries", "0"});
  CHECK(result.exit_code == 1);  // its one table failed
  CHECK_THAT(result.err, !Catch::Contains("retrying"));
  CHECK(world.faults_fired() == 1);
}
