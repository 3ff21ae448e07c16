// `run --shard I/N` against the emulator: the N shards together copy every table exactly once;
// shards of one config run at once (each its own run state and lock) while an unsharded run of
// it is kept out; a shard that holds nothing exits 0; a table that moves between layouts keeps
// its bookmark; malformed values are usage errors.
#include <sys/wait.h>

#include <set>
#include <thread>

#include <fmt/format.h>

#include "kbc_storage_extract/extract/shard.hpp"
#include "spawn_run.hpp"

using namespace kbc::e2e;
using nlohmann::json;

namespace {

constexpr int k_tables = 18;

std::string table_name(int i) { return fmt::format("t{:02}", i); }

// The two-projects seed with k_tables more source tables t00.. of two rows each, written to `dir`.
std::filesystem::path many_tables_seed(const std::filesystem::path& dir) {
  auto seed = json::parse(std::ifstream(std::filesystem::path(KBC_SOURCE_DIR) / "tests/data/e2e/two-projects.json"));
  auto& tables = seed["projects"][0]["buckets"][0]["tables"];
  for (int i = 0; i < k_tables; ++i)
    tables.push_back({{"name", table_name(i)},
                      {"columns", {"id", "table"}},
                      {"rows", json::array({json::array({"1", table_name(i)}), json::array({"2", table_name(i)})})}});
  const auto file = dir / "many-tables.json";
  std::ofstream(file) << seed.dump();
  return file;
}

// Appended tables: a second copy of any table would double its rows.
json appended_tables() {
  json tables = json::array();
  for (int i = 0; i < k_tables; ++i) tables.push_back({{"name", table_name(i)}, {"incremental", true}});
  return tables;
}

json read_json(const std::filesystem::path& file) { return json::parse(std::ifstream(file)); }

int wait_exit(pid_t pid) {
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  return WEXITSTATUS(status);
}

}  // namespace

TEST_CASE("run --shard: the shards 1..N together copy every table exactly once, each report naming its shard") {
  kbc::test::TempDir seed_dir;
  RunWorld world({"--faults", "--job-delay-ms", "5"}, many_tables_seed(seed_dir.path()).string());
  const auto config = world.config(appended_tables());
  const int count = 4;
  std::map<std::string, int> copied;  // table -> times reported ok
  for (int index = 1; index <= count; ++index) {
    const auto report_file = world.dir.path() / fmt::format("report-{}.json", index);
    const auto result = world.run({"run", config.string(), "--shard", fmt::format("{}/{}", index, count), "--parallel",
                                   "4", "--report", report_file.string()});
    REQUIRE(result.exit_code == 0);
    const auto report = read_json(report_file);
    CHECK(report["shard"]["index"] == index);
    CHECK(report["shard"]["count"] == count);
    CHECK(report["shard"]["configuredTables"] == k_tables);
    CHECK(report["shard"]["tables"].size() == report["tables"].size());
    for (const auto& table : report["tables"]) {
      CHECK(table["status"] == "ok");
      copied[table["name"].get<std::string>()] += 1;
    }
    CHECK_THAT(result.out, Catch::Contains(fmt::format("shard {}/{}: {} of {} configured tables", index, count,
                                                       report["tables"].size(), k_tables)));
    // Each shard has its own run state.
    CHECK(std::filesystem::exists(world.dir.path() / fmt::format("config.shard-{}-of-{}.state.json", index, count)));
  }
  REQUIRE(copied.size() == static_cast<std::size_t>(k_tables));
  for (int i = 0; i < k_tables; ++i) {
    INFO(table_name(i));
    CHECK(copied[table_name(i)] == 1);
    // Appended once: exactly the source's two rows (a second copy would hold four).
    CHECK(world.destination_rows("in.c-from-eu." + table_name(i)) ==
          sorted({{"1", table_name(i)}, {"2", table_name(i)}}));
  }
  // Not a partition of positions: no shard holds everything and none depends on the others.
  CHECK_FALSE(std::filesystem::exists(world.dir.path() / "config.state.json"));
}

TEST_CASE("run --shard auto/N takes the shard from JOB_COMPLETION_INDEX (0-based); --dry-run shows the shard's tables") {
  kbc::test::TempDir seed_dir;
  RunWorld world({"--faults"}, many_tables_seed(seed_dir.path()).string());
  const auto config = world.config(appended_tables());
  world.env["JOB_COMPLETION_INDEX"] = "2";
  const auto report_file = world.dir.path() / "plan.json";
  const auto result = world.run({"run", config.string(), "--shard", "auto/3", "--dry-run", "--report", report_file.string()});
  REQUIRE(result.exit_code == 0);
  const auto report = read_json(report_file);
  CHECK(report["shard"]["index"] == 3);
  CHECK(report["shard"]["count"] == 3);
  const auto loaded = kbc::load_config(config);
  REQUIRE(loaded.config);
  const auto expected = kbc::extract::shard_tables(*loaded.config, {3, 3});
  REQUIRE_FALSE(expected.empty());
  CHECK(report["shard"]["tables"] == json(expected));
  CHECK_THAT(result.out, Catch::Contains(fmt::format("shard 3/3: {} of {} configured tables", expected.size(), k_tables)));
  for (int i = 0; i < k_tables; ++i) {
    const bool held = std::find(expected.begin(), expected.end(), table_name(i)) != expected.end();
    CHECK((result.out.find("in.c-from-eu." + table_name(i)) != std::string::npos) == held);
  }
  CHECK_FALSE(world.destination_has("in.c-from-eu." + expected.front()));  // a dry run
}

TEST_CASE("run --shard: two shards of one config run at once and both finish; an unsharded run waits its turn") {
  kbc::test::TempDir seed_dir;
  // Jobs of >= 200 ms: each shard runs for seconds, so the two overlap.
  RunWorld world({"--faults", "--job-delay-ms", "100"}, many_tables_seed(seed_dir.path()).string());
  const auto config = world.config(appended_tables());
  const pid_t first = spawn_run(world, {"run", config.string(), "--shard", "1/2"}, (world.dir.path() / "1.log").string());
  const pid_t second = spawn_run(world, {"run", config.string(), "--shard", "2/2"}, (world.dir.path() / "2.log").string());
  // While they run, an unsharded run of the config is refused (it would copy their tables too).
  const auto lock = world.dir.path() / "config.state.json.lock";
  for (int i = 0; i < 200 && read_text(lock.string()).empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const auto unsharded = world.run({"run", config.string()});
  const int first_exit = wait_exit(first), second_exit = wait_exit(second);
  INFO(read_text((world.dir.path() / "1.log").string()) << read_text((world.dir.path() / "2.log").string()));
  CHECK(first_exit == 0);
  CHECK(second_exit == 0);
  CHECK(unsharded.exit_code == 1);
  CHECK_THAT(unsharded.err, Catch::Contains("another run of this config is in progress"));
  // They overlapped: each shard's first export was asked before the other shard's last import.
  const auto log = world.emulator.log_tail(16 << 20);
  const auto loaded = kbc::load_config(config);
  REQUIRE(loaded.config);
  std::size_t first_export[2] = {std::string::npos, std::string::npos}, last_import[2] = {0, 0};
  for (int index = 1; index <= 2; ++index)
    for (const auto& name : kbc::extract::shard_tables(*loaded.config, {index, 2})) {
      first_export[index - 1] =
          std::min(first_export[index - 1], log.find("POST /v2/storage/tables/in.c-sales." + name + "/export-async"));
      const auto import = log.rfind("POST /v2/storage/tables/in.c-from-eu." + name + "/import-async");
      REQUIRE(import != std::string::npos);
      last_import[index - 1] = std::max(last_import[index - 1], import);
    }
  CHECK(first_export[0] < last_import[1]);
  CHECK(first_export[1] < last_import[0]);
  // Each table landed once, and each shard's state is its own file.
  for (int i = 0; i < k_tables; ++i) CHECK(world.destination_rows("in.c-from-eu." + table_name(i)).size() == 2);
  CHECK(std::filesystem::exists(world.dir.path() / "config.shard-1-of-2.state.json"));
  CHECK(std::filesystem::exists(world.dir.path() / "config.shard-2-of-2.state.json"));
  // The same shard twice at once is refused like any second run of one state.
  const pid_t again =
      spawn_run(world, {"run", config.string(), "--shard", "1/2", "--parallel", "8"}, (world.dir.path() / "3.log").string());
  const auto shard_lock = world.dir.path() / "config.shard-1-of-2.state.json.lock";
  std::string holder;
  for (int i = 0; i < 200 && holder != std::to_string(again) + "\n"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    holder = read_text(shard_lock.string());
  }
  const auto twice = world.run({"run", config.string(), "--shard", "1/2"});
  CHECK(wait_exit(again) == 0);
  CHECK(twice.exit_code == 1);
  CHECK_THAT(twice.err, Catch::Contains("another run of this config is in progress (pid " + std::to_string(again) + ")"));
}

TEST_CASE("run --shard: a shard that holds no table says so and exits 0, contacting nothing to copy") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "orders"}}}));
  const auto loaded = kbc::load_config(config);
  REQUIRE(loaded.config);
  const int holder = kbc::extract::shard_of("in.c-from-eu.orders", 5);
  const int empty = holder == 1 ? 2 : 1;
  const auto report_file = world.dir.path() / "report.json";
  const auto result =
      world.run({"run", config.string(), "--shard", fmt::format("{}/5", empty), "--report", report_file.string()});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains(fmt::format("shard {}/5: none of the 1 configured tables; nothing to copy", empty)));
  CHECK_THAT(result.err, Catch::Contains("holds no table to copy"));
  const auto report = read_json(report_file);
  CHECK(report["tables"].empty());
  CHECK(report["shard"]["tables"].empty());
  CHECK(report["exitCode"] == 0);
  CHECK_FALSE(world.destination_has("in.c-from-eu.orders"));
  // The shard that holds it copies it.
  CHECK(world.run({"run", config.string(), "--shard", fmt::format("{}/5", holder)}).exit_code == 0);
  CHECK(world.destination_rows("in.c-from-eu.orders") == sorted(seed_orders));
}

TEST_CASE("run --shard: a table that moves to a shard keeps the bookmark of the run before; an import another layout journals is left to it") {
  RunWorld world;
  const auto config =
      world.config(json::array({{{"name", "orders"}, {"changedSince", "auto"}, {"incremental", true}}}));
  world.advance_clock(5);  // the seed's rows lie before the first export's window end
  REQUIRE(world.run({"run", config.string()}).exit_code == 0);  // unsharded: config.state.json
  REQUIRE(world.destination_rows("in.c-from-eu.orders") == sorted(seed_orders));
  const auto bookmark = read_json(world.dir.path() / "config.state.json")["tables"]["in.c-from-eu.orders"]["bookmark"];
  REQUIRE(bookmark.is_string());
  // Now sharded: the shard's own state file has no entry yet; the bookmark carries over.
  const int holder = kbc::extract::shard_of("in.c-from-eu.orders", 3);
  const auto report_file = world.dir.path() / "report.json";
  auto sharded = world.run({"run", config.string(), "--shard", fmt::format("{}/3", holder), "--report", report_file.string()});
  REQUIRE(sharded.exit_code == 0);
  CHECK(read_json(report_file)["tables"][0]["changedSince"] == bookmark);
  CHECK(world.destination_rows("in.c-from-eu.orders") == sorted(seed_orders));  // nothing twice

  // An import the unsharded layout still journals: the sharded run does not copy the table.
  auto state = read_json(world.dir.path() / "config.state.json");
  state["tables"]["in.c-from-eu.orders"]["inFlight"] = {
      {"fileId", 999999}, {"jobId", nullptr}, {"windowEnd", nullptr}, {"journalled", "2026-01-01T00:00:00Z"}};
  std::ofstream(world.dir.path() / "config.state.json") << state.dump(2);
  auto refused = world.run({"run", config.string(), "--shard", fmt::format("{}/3", holder), "--report", report_file.string()});
  CHECK(refused.exit_code == 1);
  const auto entry = read_json(report_file)["tables"][0];
  CHECK(entry["status"] == "failed");
  CHECK(entry["error"]["kind"] == "conflict");
  CHECK_THAT(entry["error"]["message"].get<std::string>(), Catch::Contains("config.state.json"));
  CHECK_THAT(entry["error"]["hint"].get<std::string>(), Catch::Contains("run the layout that wrote that file once more"));
}

TEST_CASE("run --shard: malformed values are usage errors (exit 2) that say how to write it") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "orders"}}}));
  world.env["JOB_COMPLETION_INDEX"] = kbc::test::kUnsetEnv;
  for (const auto& [value, why] : std::vector<std::pair<std::string, std::string>>{
           {"0/4", "I is 0; it must be 1 to N = 4"},
           {"5/4", "I is 5; it must be 1 to N = 4"},
           {"1/1001", "N is 1001; it must be 1 to 1000"},
           {"two/4", "I \"two\" is not a whole number (or auto)"},
           {"4", "is not of the form I/N"},
           {"auto/4", "auto takes the shard from $JOB_COMPLETION_INDEX, which is not set"}}) {
    INFO(value);
    const auto result = world.run({"run", config.string(), "--shard", value});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains("--shard \"" + value + "\": " + why) && Catch::Contains("--shard I/N"));
  }
  world.env["JOB_COMPLETION_INDEX"] = "4";
  const auto out_of_range = world.run({"run", config.string(), "--shard", "auto/4"});
  CHECK(out_of_range.exit_code == 2);
  CHECK_THAT(out_of_range.err, Catch::Contains("$JOB_COMPLETION_INDEX is \"4\"; with N = 4 it must be 0 to 3 (0-based)"));
  CHECK_FALSE(world.destination_has("in.c-from-eu.orders"));
}

TEST_CASE("run --state DIR keeps the default state names in DIR (a read-only config folder, as in Kubernetes)") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "orders"}}, {{"name", "customers"}, {"destination", "c2"}}}));
  const auto states = world.dir.path() / "states";
  std::filesystem::create_directories(states);
  for (int index = 1; index <= 2; ++index)
    REQUIRE(world.run({"run", config.string(), "--shard", fmt::format("{}/2", index), "--state", states.string() + "/"})
                .exit_code == 0);
  CHECK(std::filesystem::exists(states / "config.shard-1-of-2.state.json.lock"));
  CHECK(std::filesystem::exists(states / "config.shard-2-of-2.state.json.lock"));
  CHECK(std::filesystem::exists(states / "config.state.json.lock"));  // the shared lock of the config
  CHECK_FALSE(std::filesystem::exists(world.dir.path() / "config.shard-1-of-2.state.json.lock"));
  REQUIRE(world.run({"run", config.string(), "--state", states.string()}).exit_code == 0);
  CHECK(std::filesystem::exists(states / "config.state.json"));
  CHECK_FALSE(std::filesystem::exists(world.dir.path() / "config.state.json"));
  CHECK(world.destination_rows("in.c-from-eu.c2") == sorted(seed_customers));
}
