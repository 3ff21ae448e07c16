// `run`: what a table costs in requests, counted from the emulator's request log (one line a
// request: "<listener> <METHOD> <path> <status> ...", the S3 listener as "s3").
#include <regex>
#include <thread>

#include "run_fixture.hpp"

using namespace kbc::e2e;
using nlohmann::json;

namespace {

// The request lines of the emulator's log so far. The emulator logs a request after its answer
// went out, so the last lines of a finished run may come a moment late: wait (bounded) until
// the count has not changed for 300 ms.
std::vector<std::string> request_lines(const kbc::test::EmulatorProcess& emulator) {
  static const std::regex line(R"((eu-central-1|us-east-1|s3) (GET|HEAD|POST|PUT|DELETE) (\S+) \d{3})");
  std::vector<std::string> lines;
  std::size_t stable_for = 0;
  for (int waited = 0; waited < 100 && stable_for < 6; ++waited) {
    std::vector<std::string> now;
    const std::string log = emulator.log_tail(16 << 20);
    for (auto it = std::sregex_iterator(log.begin(), log.end(), line); it != std::sregex_iterator(); ++it)
      now.push_back((*it)[0].str());
    stable_for = now.size() == lines.size() ? stable_for + 1 : 0;
    lines = std::move(now);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return lines;
}

std::size_t count_matching(const std::vector<std::string>& lines, const std::string& pattern) {
  const std::regex re(pattern);
  return static_cast<std::size_t>(
      std::count_if(lines.begin(), lines.end(), [&](const std::string& l) { return std::regex_search(l, re); }));
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  return text;
}

}  // namespace

TEST_CASE("run: a replace of an existing table makes at most 11 requests, job polls included") {
  // Jobs that finish at once: each is seen done at its first poll (25 ms after it started).
  RunWorld world({"--faults", "--job-delay-ms", "0"});
  const auto config = world.config(json::array({{{"name", "customers"}}, {{"name", "order_items"}, {"destination", "customers_copy"}}}));
  REQUIRE(world.run({"run", config.string(), "--table", "customers"}).exit_code == 0);
  const auto lines = request_lines(world.emulator);
  INFO(joined(lines));
  // The run itself: both tokens verified, the destination bucket read, both buckets listed once.
  CHECK(count_matching(lines, "tokens/verify") == 2);
  CHECK(count_matching(lines, R"(GET /v2/storage/buckets/in\.c-from-eu )") == 1);
  CHECK(count_matching(lines, R"(GET /v2/storage/buckets/[^ ]+/tables )") == 2);
  CHECK(count_matching(lines, R"(GET /v2/storage/tables/)") == 0);  // no table detail a table
  // One HEAD of the exported object: its size in file storage is checked against the file
  // detail's sizeBytes before anything is written (docs/run.md "Integrity").
  CHECK(count_matching(lines, "^s3 HEAD") == 1);
  const std::size_t per_table = lines.size() - 5;
  CHECK(per_table <= 11);  // 8 below, and a job that takes a second poll under load
  // export-async, file detail, slice HEAD, prepare, slice GET, slice PUT, manifest PUT,
  // import-async: 8, and the polls (one a job here).
  CHECK(per_table - count_matching(lines, "GET /v2/storage/jobs/") == 8);
  CHECK(world.destination_rows("in.c-from-eu.customers") == sorted(seed_customers));
}

TEST_CASE("run: job polls follow the policy: a 1 s job costs about 35 polls, not a flood") {
  // Each job waits 500 ms and processes 500 ms.
  RunWorld world({"--faults", "--job-delay-ms", "500"});
  const auto config = world.config(json::array({{{"name", "customers"}}}));
  const auto report = world.dir.path() / "report.json";
  REQUIRE(world.run({"run", config.string(), "--report", report.string()}).exit_code == 0);
  const auto lines = request_lines(world.emulator);
  INFO(joined(lines));
  const auto polls = count_matching(lines, "GET /v2/storage/jobs/");
  // Two jobs (export, import) of >= 1 s: 25 ms steps for 500 ms, then 5% of the elapsed time
  // (35 polls a job by the schedule; a poll's own time only lowers it).
  CHECK(polls >= 2 * 20);
  CHECK(polls <= 2 * 36);
  // The job's end is seen within 5% of its duration: the whole run is not much over 2 s of jobs.
  const auto seconds = json::parse(std::ifstream(report))["tables"][0]["seconds"].get<double>();
  CHECK(seconds >= 2.0);
}
