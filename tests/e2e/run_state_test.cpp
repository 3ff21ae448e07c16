// The run state: imports happen once (a lost answer, a kill during the import), bookmarks of
// "changedSince": "auto" move exactly as far as the imports that landed, one run per config.
#include <csignal>
#include <sys/wait.h>
#include <thread>

#include "run_fixture.hpp"
#include "spawn_run.hpp"

using namespace kbc::e2e;
using nlohmann::json;

namespace {

const Rows new_customers = {{"10", "Alice (moved)", "AT"}, {"12", "Cecil", "PL"}, {"13", "Dora", "SK"}};

json read_state(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return json();
  return json::parse(in, nullptr, false);
}

// An append table (incremental, no key) that follows the source's changes: every import adds
// the rows it carries, so a doubled import shows as doubled rows.
json append_log(const std::string& changed_since = "auto") {
  return json::array({{{"name", "customers"}, {"destination", "customer_log"}, {"incremental", true},
                       {"changedSince", changed_since}}});
}

// A run's window ends at the server's current second, exclusive: rows of that very second come
// with the next run. Tests move the clock on so that the seed rows are in the past.
void seed_in_the_past(const RunWorld& world) { world.advance_clock(5); }

// Three source rows change, with a timestamp after everything copied before.
void change_source(const RunWorld& world) {
  world.advance_clock(10);
  world.load_source("in.c-sales.customers", "id,name,country\n10,Alice (moved),AT\n12,Cecil,PL\n13,Dora,SK\n", true);
  world.advance_clock(10);
}

Rows plus(Rows a, const Rows& b) {
  a.insert(a.end(), b.begin(), b.end());
  return sorted(a);
}

}  // namespace

TEST_CASE("run state: changedSince auto copies everything first, then exactly the rows that changed") {
  RunWorld world;
  seed_in_the_past(world);
  const auto config = world.config(append_log());
  const auto state_file = world.dir.path() / "config.state.json";
  auto first = world.run({"run", config.string()});
  REQUIRE(first.exit_code == 0);
  CHECK(world.destination_rows("in.c-from-eu.customer_log") == sorted(seed_customers));
  const auto state = read_state(state_file);
  INFO(state.dump(2));
  REQUIRE(state["tables"]["in.c-from-eu.customer_log"]["bookmark"].is_string());
  CHECK(state["tables"]["in.c-from-eu.customer_log"]["inFlight"].is_null());

  change_source(world);
  auto second = world.run({"run", config.string()});
  REQUIRE(second.exit_code == 0);
  CHECK(world.destination_rows("in.c-from-eu.customer_log") == plus(seed_customers, new_customers));

  // Nothing changed since: the third run adds nothing.
  auto third = world.run({"run", config.string()});
  REQUIRE(third.exit_code == 0);
  CHECK(world.destination_rows("in.c-from-eu.customer_log") == plus(seed_customers, new_customers));

  // --full copies every row of the source (4 now) once more, on purpose.
  auto full = world.run({"run", config.string(), "--full"});
  REQUIRE(full.exit_code == 0);
  CHECK(world.destination_rows("in.c-from-eu.customer_log").size() == 2 + 3 + 4);
}

TEST_CASE("run state: a failed import leaves the bookmark where it was, so the next run copies those rows") {
  RunWorld world;
  seed_in_the_past(world);
  const auto config = world.config(append_log());
  REQUIRE(world.run({"run", config.string()}).exit_code == 0);
  const auto bookmark = read_state(world.dir.path() / "config.state.json")["tables"]["in.c-from-eu.customer_log"]["bookmark"];
  change_source(world);
  world.add_fault({{"action", "fail_job"}, {"method", "POST"}, {"pathRegex", "customer_log/import-async"}, {"count", 1},
                   {"message", "Load error: simulated"}});
  auto failed = world.run({"run", config.string()});
  CHECK(failed.exit_code == 1);
  CHECK(read_state(world.dir.path() / "config.state.json")["tables"]["in.c-from-eu.customer_log"]["bookmark"] == bookmark);
  CHECK(world.destination_rows("in.c-from-eu.customer_log") == sorted(seed_customers));
  auto again = world.run({"run", config.string()});
  REQUIRE(again.exit_code == 0);
  CHECK(world.destination_rows("in.c-from-eu.customer_log") == plus(seed_customers, new_customers));
}

TEST_CASE("run state: a lost answer to import-async is found in the job list; the rows land once and the table is ok") {
  RunWorld world;
  const auto config = world.config(append_log("-1 days"));  // plain append: every run adds its export
  REQUIRE(world.run({"run", config.string()}).exit_code == 0);
  world.add_fault({{"action", "lose_answer"}, {"method", "POST"}, {"pathRegex", "customer_log/import-async"}, {"count", 1}});
  const auto report = world.dir.path() / "report.json";
  auto result = world.run({"run", config.string(), "--report", report.string()});
  REQUIRE(result.exit_code == 0);
  CHECK(world.faults_fired() == 1);
  CHECK_THAT(result.err, Catch::Contains("the import did start"));
  CHECK(world.destination_rows("in.c-from-eu.customer_log") == plus(seed_customers, seed_customers));  // once, not twice
  CHECK(json::parse(std::ifstream(report))["tables"][0]["status"] == "ok");
}

TEST_CASE("run state: killed during the import job, the next run settles that import and copies nothing twice") {
  RunWorld world({"--faults", "--job-delay-ms", "1500"});
  seed_in_the_past(world);
  const auto config = world.config(append_log());
  const auto state_file = world.dir.path() / "config.state.json";
  REQUIRE(world.run({"run", config.string()}).exit_code == 0);
  change_source(world);

  const auto log = (world.dir.path() / "killed.log").string();
  const pid_t pid = spawn_run(world, {"run", config.string()}, log);
  // Kill it once the journal shows the import job: the job goes on in the Storage API.
  bool journalled = false;
  for (int i = 0; i < 300 && !journalled; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const auto state = read_state(state_file);
    journalled = state.is_object() && state["tables"]["in.c-from-eu.customer_log"]["inFlight"].is_object() &&
                 state["tables"]["in.c-from-eu.customer_log"]["inFlight"]["jobId"].is_string();
  }
  kill(pid, SIGKILL);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  INFO(read_text(log));
  REQUIRE(journalled);

  auto rerun = world.run({"run", config.string()});
  REQUIRE(rerun.exit_code == 0);
  CHECK_THAT(rerun.err, Catch::Contains("left by an earlier run"));
  CHECK(read_state(state_file)["tables"]["in.c-from-eu.customer_log"]["inFlight"].is_null());
  // The killed run's import landed and moved the bookmark: the re-run added nothing more.
  CHECK(world.destination_rows("in.c-from-eu.customer_log") == plus(seed_customers, new_customers));
}

TEST_CASE("run state: two runs of one config never overlap; the second is refused naming the first") {
  RunWorld world({"--faults", "--job-delay-ms", "1500"});
  const auto config = world.config(json::array({{{"name", "orders"}}}));
  const auto log = (world.dir.path() / "first.log").string();
  const pid_t pid = spawn_run(world, {"run", config.string()}, log);
  const auto lock = world.dir.path() / "config.state.json.lock";
  std::string holder;
  for (int i = 0; i < 200 && holder.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    holder = read_text(lock.string());
  }
  auto second = world.run({"run", config.string()});
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(second.exit_code == 1);
  CHECK_THAT(second.err, Catch::Contains("another run of this config is in progress (pid " + std::to_string(pid) + ")"));
  // Once the first is done, a run goes ahead.
  CHECK(world.run({"run", config.string()}).exit_code == 0);
}

TEST_CASE("run state: a state file that is not one is refused with its name, and never overwritten") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "orders"}}}));
  const auto state_file = world.dir.path() / "elsewhere.json";
  std::ofstream(state_file) << "{\"some\": \"other file\"}";
  auto result = world.run({"run", config.string(), "--state", state_file.string()});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("elsewhere.json: is not a run state of this tool"));
  CHECK(read_text(state_file.string()) == "{\"some\": \"other file\"}");
  CHECK_FALSE(world.destination_has("in.c-from-eu.orders"));

  auto same = world.run({"run", config.string(), "--state", config.string()});
  CHECK(same.exit_code == 2);
  CHECK_THAT(same.err, Catch::Contains("is the configuration or the report file"));
}
