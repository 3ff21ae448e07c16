// Convergence: for a full load, an upsert and an append with "changedSince": "auto", a run that
// is killed (SIGKILL: no cleanup at all) or stopped (SIGTERM: it stops waiting, aborts its
// uploads, writes its journal and exits 130) in its export job, its transfer or its import job,
// followed by a plain re-run, leaves exactly the destination that the same runs leave without
// the kill, and an empty journal.
#include <csignal>
#include <sys/wait.h>
#include <functional>
#include <thread>

#include "run_fixture.hpp"
#include "spawn_run.hpp"

using namespace kbc::e2e;
using nlohmann::json;

namespace {

const Rows new_customers = {{"10", "Alice (moved)", "AT"}, {"12", "Cecil", "PL"}, {"13", "Dora", "SK"}};

enum class Mode { full_load, upsert, append };
enum class Phase { export_job, transfer, import_job };

const char* name_of(Phase phase) {
  switch (phase) {
    case Phase::export_job: return "export job";
    case Phase::transfer: return "transfer";
    case Phase::import_job: return "import job";
  }
  return "?";
}

json table_of(Mode mode) {
  switch (mode) {
    case Mode::full_load: return {{"name", "customers"}, {"destination", "copy"}};
    case Mode::upsert:
      return {{"name", "customers"}, {"destination", "copy"}, {"incremental", true}, {"primaryKey", {"id"}},
              {"changedSince", "auto"}};
    case Mode::append: return {{"name", "customers"}, {"destination", "copy"}, {"incremental", true}, {"changedSince", "auto"}};
  }
  return {};
}

json read_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  return in ? json::parse(in, nullptr, false) : json();
}

std::string newest_job_id(const RunWorld& world) {
  const auto jobs = world.source.get("/v2/storage/jobs?limit=1").json();
  return jobs.empty() ? std::string() : jobs[0]["id"].dump();
}

const char* name_of_signal(int signal) { return signal == SIGKILL ? "SIGKILL" : "SIGTERM"; }

// Start a run of `config` and send it `signal` once `inside()` holds (polled for up to ~10 s);
// true when that moment was seen. A run sent SIGTERM must end by itself within 15 s, exit 130.
bool kill_when(const RunWorld& world, const std::filesystem::path& config, const std::function<bool()>& inside,
               int signal = SIGKILL) {
  const auto log = (world.dir.path() / "killed.log").string();
  const pid_t pid = spawn_run(world, {"run", config.string()}, log);
  bool seen = false;
  for (int i = 0; i < 1000 && !seen; ++i) {
    seen = inside();
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid, signal);
  int status = 0;
  bool ended = false;
  for (int i = 0; i < 1500 && !ended; ++i) {
    ended = waitpid(pid, &status, WNOHANG) == pid;
    if (!ended) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!ended) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  UNSCOPED_INFO(name_of_signal(signal) << " run's log:\n" << read_text(log));
  if (signal == SIGTERM) {
    CHECK(ended);
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 130));
  }
  return seen;
}

// The newest job of the destination project is a `operation` job (tableCreate, …).
bool destination_runs(const RunWorld& world, const std::string& operation) {
  const auto jobs = world.destination.get("/v2/storage/jobs?limit=1").json();
  return !jobs.empty() && jobs[0]["operationName"] == operation;
}

// Start a run and send it `signal` once it is inside `phase`; true when that moment was seen.
bool kill_in(const RunWorld& world, const std::filesystem::path& config, const std::filesystem::path& state, Phase phase,
             int signal) {
  const std::string before = newest_job_id(world);
  if (phase == Phase::transfer)  // the source object's GET answers only after 3 s
    world.add_fault({{"target", "s3"}, {"method", "GET"}, {"pathRegex", "\\.gz"}, {"action", "delay"}, {"delayMs", 3000},
                     {"count", 1}});
  const auto inside = [&] {
    switch (phase) {
      case Phase::export_job: return newest_job_id(world) != before;
      case Phase::transfer: return world.faults_fired() == 1;
      case Phase::import_job: {
        auto journal = read_json(state);
        return journal.is_object() && journal["tables"]["in.c-from-eu.copy"]["inFlight"]["jobId"].is_string();
      }
    }
    return false;
  };
  return kill_when(world, config, inside, signal);
}

void converges(Mode mode) {
  for (const int signal : {SIGKILL, SIGTERM}) {
    for (const Phase phase : {Phase::export_job, Phase::transfer, Phase::import_job}) {
      DYNAMIC_SECTION(name_of_signal(signal) << " in the " << name_of(phase)) {
        RunWorld world({"--faults", "--job-delay-ms", "400"});
        world.advance_clock(5);  // the seed rows are in the past of the first window
        const auto config = world.config(json::array({table_of(mode)}));
        const auto state = world.dir.path() / "config.state.json";
        REQUIRE(world.run({"run", config.string()}).exit_code == 0);
        // Three source rows change (one updated, two new), after everything copied so far.
        world.advance_clock(10);
        world.load_source("in.c-sales.customers", "id,name,country\n10,Alice (moved),AT\n12,Cecil,PL\n13,Dora,SK\n", true);
        world.advance_clock(10);

        REQUIRE(kill_in(world, config, state, phase, signal));
        auto rerun = world.run({"run", config.string()});
        REQUIRE(rerun.exit_code == 0);

        // What the two runs leave without the kill.
        Rows expected;
        if (mode == Mode::append) {
          expected = seed_customers;
          expected.insert(expected.end(), new_customers.begin(), new_customers.end());
          expected = sorted(expected);
        } else {
          expected = world.rows_of(world.source, "in.c-sales.customers");  // replaced, or upserted by key
        }
        CHECK(world.destination_rows("in.c-from-eu.copy") == expected);
        CHECK(read_json(state)["tables"]["in.c-from-eu.copy"]["inFlight"].is_null());
      }
    }
  }
}

}  // namespace

TEST_CASE("convergence: a full load killed or stopped in its export, transfer or import, then re-run, ends as without it") {
  converges(Mode::full_load);
}

TEST_CASE("convergence: an upsert with auto killed or stopped in its export, transfer or import, then re-run, ends as without it") {
  converges(Mode::upsert);
}

TEST_CASE("convergence: an append with auto killed or stopped in its export, transfer or import, then re-run, ends as without it") {
  converges(Mode::append);
}

// A missing destination table is created first (a header-only file, then the import). A run
// killed in that creation job leaves the job to finish on the server, possibly only while the
// re-run already plans: the re-run finds the table there by then and imports into it once.
TEST_CASE("convergence: an append killed or stopped while it creates the destination table, then re-run at once, copies every row once") {
  for (const int signal : {SIGKILL, SIGTERM}) {
    DYNAMIC_SECTION(name_of_signal(signal)) {
      RunWorld world({"--faults", "--job-delay-ms", "400"});
      const auto config = world.config(json::array(
          {{{"name", "customers"}, {"destination", "fresh"}, {"incremental", true}, {"changedSince", "auto"}}}));
      const auto state = world.dir.path() / "config.state.json";
      REQUIRE(kill_when(world, config, [&] { return destination_runs(world, "tableCreate"); }, signal));
      const auto rerun = world.run({"run", config.string()});
      REQUIRE(rerun.exit_code == 0);
      CHECK(world.destination_rows("in.c-from-eu.fresh") == world.rows_of(world.source, "in.c-sales.customers"));
      CHECK(read_json(state)["tables"]["in.c-from-eu.fresh"]["inFlight"].is_null());
      // And the run after copies nothing new: the bookmark moved with the one import.
      REQUIRE(world.run({"run", config.string()}).exit_code == 0);
      CHECK(world.destination_rows("in.c-from-eu.fresh") == world.rows_of(world.source, "in.c-sales.customers"));
    }
  }
}

// A destination keyed otherwise than the config gets the configured key: the old key is
// removed, then the new one added, each by a job. A run killed in either job, re-run at once,
// ends with the configured key and the rows of a run without the kill.
TEST_CASE("convergence: an upsert killed or stopped while it changes the destination's primary key, then re-run at once, ends as without it") {
  for (const int signal : {SIGKILL, SIGTERM}) {
    for (const char* operation : {"tablePrimaryKeyDelete", "tablePrimaryKeyAdd"}) {
      DYNAMIC_SECTION(name_of_signal(signal) << " in " << operation) {
        RunWorld world({"--faults", "--job-delay-ms", "400"});
        // Destination customers is keyed by id; the config keys it by name.
        const auto config = world.config(json::array({{{"name", "customers"}, {"incremental", true}, {"primaryKey", {"name"}}}}));
        REQUIRE(kill_when(world, config, [&] { return destination_runs(world, operation); }, signal));
        const auto rerun = world.run({"run", config.string()});
        REQUIRE(rerun.exit_code == 0);
        CHECK(world.destination_table("in.c-from-eu.customers")["primaryKey"] == json::array({"name"}));
        // What `run: a destination table whose primary key differs from the configured one gets the configured key` leaves.
        CHECK(world.destination_rows("in.c-from-eu.customers") ==
              sorted({{"10", "Alice (old)", "CZ"}, {"99", "Zed", "US"}, {"10", "Alice", "CZ"}, {"11", "Bob", "DE"}}));
      }
    }
  }
}
