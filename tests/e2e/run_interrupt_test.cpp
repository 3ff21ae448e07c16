// SIGINT/SIGTERM during `run` stop it at once, whatever it waits for (a stuck job, a backoff, a
// stalled transfer): no table starts, nothing half-copied is imported, an import already sent is
// left in the journal for the next run, the report is still written and the exit code is 130.
#include <csignal>
#include <random>
#include <sys/wait.h>
#include <thread>

#include <fmt/format.h>

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

// The second signal: when the first one's cleanup hangs (here the abort of a multipart upload,
// which the server answers only after 5 s), a second SIGTERM ends the run at once, exit 130; the
// abort already sent still lands, so no upload is left open. --part-size 5 makes a ~10 MiB object
// a multipart upload.
TEST_CASE("run: a second SIGTERM while the first one's upload abort hangs exits at once, and no upload is left open") {
  RunWorld world({"--faults"});
  std::string csv = "id,name,country\n";
  std::mt19937_64 random(7);
  for (int row = 0; row < 200'000; ++row)
    csv += fmt::format("{},{:016x}{:016x}{:016x},{:016x}{:016x}\n", row, random(), random(), random(), random(), random());
  world.load_source("in.c-sales.customers", csv, false);
  // The destination's part uploads (not the source's GETs) are held; the abort answers late.
  world.add_fault({{"target", "s3"}, {"method", "PUT"}, {"pathRegex", "\\.gz$"}, {"action", "delay"}, {"delayMs", 20000},
                   {"count", 1}});
  world.add_fault({{"target", "s3"}, {"method", "DELETE"}, {"pathRegex", "\\.gz$"}, {"action", "delay"}, {"delayMs", 5000},
                   {"count", 1}});
  const auto open_uploads = [&] {
    return kbc::test::http_request("GET", world.destination_url + "/_emulator/uploads").json()["openMultipartUploads"].get<int>();
  };
  const auto config = world.config(json::array({{{"name", "customers"}, {"destination", "big"}}}));
  const auto log = (world.dir.path() / "run.log").string();
  const pid_t pid = spawn_run(world, {"run", config.string(), "--part-size", "5"}, log);
  for (int i = 0; i < 1500 && world.faults_fired() < 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  REQUIRE(world.faults_fired() == 1);  // a part is in flight
  REQUIRE(open_uploads() == 1);
  kill(pid, SIGTERM);
  for (int i = 0; i < 500 && world.faults_fired() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  REQUIRE(world.faults_fired() == 2);  // the first signal's abort is under way, and held
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  int status = 0;
  CHECK(waitpid(pid, &status, WNOHANG) == 0);  // still waiting for it
  const auto signalled = Clock::now();
  kill(pid, SIGTERM);
  REQUIRE(waitpid(pid, &status, 0) == pid);
  const double seconds = std::chrono::duration<double>(Clock::now() - signalled).count();
  INFO(read_text(log));
  CHECK(seconds < 2);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  CHECK_THAT(read_text(log), Catch::Contains("interrupted again: aborting the uploads in flight and stopping now"));
  int open = 1;
  for (int i = 0; i < 400 && (open = open_uploads()) != 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  CHECK(open == 0);
  CHECK_FALSE(world.destination_has("in.c-from-eu.big"));
}
