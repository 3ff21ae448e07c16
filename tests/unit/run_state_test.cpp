// The run state file: the journal's steps survive a reload, bookmarks move only with an import
// that landed, the lock keeps a second holder out.
#include <catch2/catch.hpp>

#include <fstream>

#include "emulator_process.hpp"
#include "kbc_storage_extract/state/run_state.hpp"

using namespace kbc::state;

namespace {

const TableState identity{"https://a.example", "in.c-sales.orders", "https://b.example", {}, {}, {}};
const TimePoint t1 = std::chrono::system_clock::from_time_t(1'800'000'000);
const TimePoint t2 = t1 + std::chrono::hours(1);

}  // namespace

TEST_CASE("run state: a missing file is an empty state; each journal step is on disk before it returns") {
  kbc::test::TempDir dir;
  const auto file = dir.path() / "config.state.json";
  auto state = RunState::load(file);
  REQUIRE(state.ok());
  CHECK(state->in_flight().empty());
  CHECK_FALSE(std::filesystem::exists(file));

  REQUIRE(state->begin_import("in.c-x.orders", identity, {42, "", t2, t1}).ok());
  {
    auto reloaded = RunState::load(file);
    REQUIRE(reloaded.ok());
    const auto flying = reloaded->in_flight();
    REQUIRE(flying.count("in.c-x.orders") == 1);
    CHECK(flying.at("in.c-x.orders").in_flight->file_id == 42);
    CHECK(flying.at("in.c-x.orders").in_flight->job_id.empty());
  }
  REQUIRE(state->set_import_job("in.c-x.orders", "777").ok());
  CHECK(RunState::load(file)->table("in.c-x.orders")->in_flight->job_id == "777");

  REQUIRE(state->end_import("in.c-x.orders", true, t2).ok());
  auto done = RunState::load(file)->table("in.c-x.orders");
  REQUIRE(done);
  CHECK_FALSE(done->in_flight);
  CHECK(done->bookmark == t2);
  CHECK(done->source_table_id == "in.c-sales.orders");
}

TEST_CASE("run state: a failed import or one without a window leaves the bookmark where it was") {
  kbc::test::TempDir dir;
  auto state = RunState::load(dir.path() / "s.json");
  REQUIRE(state->begin_import("t", identity, {1, "", t1, t1}).ok());
  REQUIRE(state->end_import("t", true, t1).ok());
  REQUIRE(state->begin_import("t", identity, {2, "", t2, t1}).ok());
  REQUIRE(state->end_import("t", false, t2).ok());
  CHECK(state->table("t")->bookmark == t1);
  REQUIRE(state->begin_import("t", identity, {3, "", std::nullopt, t1}).ok());
  REQUIRE(state->end_import("t", true, t2).ok());
  CHECK(state->table("t")->bookmark == t1);  // an explicit changedSince window does not continue it
  CHECK(state->table("t")->last_import == t2);
}

TEST_CASE("run state: a bookmark of another source table does not carry over") {
  kbc::test::TempDir dir;
  auto state = RunState::load(dir.path() / "s.json");
  REQUIRE(state->begin_import("t", identity, {1, "", t1, t1}).ok());
  REQUIRE(state->end_import("t", true, t1).ok());
  TableState other = identity;
  other.source_table_id = "in.c-sales.customers";
  REQUIRE(state->begin_import("t", other, {2, "", std::nullopt, t1}).ok());
  REQUIRE(state->end_import("t", true, t2).ok());
  CHECK_FALSE(state->table("t")->bookmark);
}

TEST_CASE("run state: files that are not a run state are refused, never read as empty") {
  kbc::test::TempDir dir;
  const auto file = dir.path() / "s.json";
  for (const std::string text : {"", "not json", "[]", "{\"format\": \"other\"}",
                                 "{\"format\": \"kbc-storage-extract run state\", \"version\": 99}",
                                 "{\"format\": \"kbc-storage-extract run state\", \"version\": 1, \"tables\": "
                                 "{\"t\": {\"inFlight\": {\"fileId\": \"x\"}}}}"}) {
    std::ofstream(file) << text;
    auto state = RunState::load(file);
    INFO(text);
    REQUIRE_FALSE(state.ok());
    CHECK(state.error().kind == kbc::ErrorKind::invalid_input);
    CHECK_THAT(state.error().message, Catch::Contains(file.string()));
  }
  auto directory = RunState::load(dir.path());
  CHECK_FALSE(directory.ok());
}

TEST_CASE("run state: a read-only state changes in memory but never writes") {
  kbc::test::TempDir dir;
  const auto file = dir.path() / "s.json";
  auto loaded = RunState::load(file);
  REQUIRE(loaded.ok());
  auto state = RunState::read_only(std::move(*loaded));
  REQUIRE(state.begin_import("t", identity, {1, "", t1, t1}).ok());
  CHECK_FALSE(std::filesystem::exists(file));
}

TEST_CASE("run state lock: a second holder is refused with the first one's pid until it is released") {
  kbc::test::TempDir dir;
  const auto file = dir.path() / "s.json";
  {
    auto first = StateLock::acquire(file);
    REQUIRE(first.ok());
    auto second = StateLock::acquire(file);  // another open file description: flock refuses it
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().kind == kbc::ErrorKind::conflict);
    CHECK_THAT(second.error().message, Catch::Contains("pid " + std::to_string(::getpid())));
  }
  CHECK(StateLock::acquire(file).ok());
  CHECK(std::filesystem::exists(file.string() + ".lock"));
}
