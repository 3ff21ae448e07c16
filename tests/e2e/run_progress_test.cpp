// Progress as a person and as a log pipeline see it (docs/progress.md): the terminal view read
// off a real terminal (tmux capture-pane), the JSON events of --log-format json checked against
// the run report, and the 5-second log line during a long job.
#include <sys/types.h>
#include <unistd.h>

#include <regex>
#include <thread>

#include "run_fixture.hpp"

using namespace kbc::e2e;
using nlohmann::json;

namespace {

const json kTwoTables = json::array({{{"name", "orders"}}, {{"name", "customers"}, {"destination", "customers_copy"}}});

std::vector<json> json_lines(const std::string& text) {
  std::vector<json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    lines.push_back(json::parse(line));  // every stderr line is one object
  }
  return lines;
}

std::string file_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A tmux server of its own (its own socket), killed with everything in it when the test ends.
// scripts/install-deps.sh installs tmux (Debian's package).
constexpr const char* kTmux = "/usr/bin/tmux";
class Tmux {
 public:
  explicit Tmux(std::string socket) : socket_(std::move(socket)) {}
  ~Tmux() {
    try {
      kbc::test::run_process({kTmux, "-L", socket_, "kill-server"}, {}, std::chrono::seconds(10));
    } catch (...) {  // nothing left to stop
    }
  }
  void start(const std::filesystem::path& script) const {
    const auto started = kbc::test::run_process(
        {kTmux, "-L", socket_, "-f", "/dev/null", "new-session", "-d", "-x", "150", "-y", "40", "sh " + script.string()}, {},
        std::chrono::seconds(10));
    REQUIRE(started.exit_code == 0);
  }
  std::string screen() const {
    return kbc::test::run_process({kTmux, "-L", socket_, "capture-pane", "-p"}, {}, std::chrono::seconds(10)).out;
  }

 private:
  std::string socket_;
};

}  // namespace

TEST_CASE("run: the terminal view shows each table's phase in place and is gone when the run ends") {
  // Each job takes ~3 s (queued 1.5 s, processing 1.5 s): the view has time to be seen.
  RunWorld world({"--faults", "--job-delay-ms", "1500"});
  const auto config = world.config(kTwoTables);
  const auto done = world.dir.path() / "exit-code";
  const auto script = world.dir.path() / "run.sh";
  {
    std::ofstream out(script);
    for (const auto& [name, value] : world.env)
      if (value != kbc::test::kUnsetEnv) out << "export " << name << "='" << value << "'\n";
    out << "unset AWS_ENDPOINT_URL\n";
    out << "'" << KBC_EXTRACT_BIN << "' run '" << config.string() << "' --parallel 2\n";
    out << "echo $? > '" << done.string() << "'\nsleep 600\n";
  }
  Tmux tmux("kbc-progress-" + std::to_string(::getpid()));
  tmux.start(script);

  // A line per table in flight: name, phase, the phase's seconds and its job; then the total.
  const std::regex exporting(R"((^|\n)  orders +exporting \d+ s \(job \d+\))");
  const std::regex total(R"((^|\n)tables: \d+ done, \d+ in flight; .* gzip moved; \d+ s)");
  bool saw_exporting = false, saw_total = false, saw_two_tables = false;
  std::string screen;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  while (!std::filesystem::exists(done) && std::chrono::steady_clock::now() < deadline) {
    screen = tmux.screen();
    saw_exporting = saw_exporting || std::regex_search(screen, exporting);
    saw_total = saw_total || std::regex_search(screen, total);
    saw_two_tables = saw_two_tables || (screen.find("  orders ") != std::string::npos &&
                                        screen.find("  customers ") != std::string::npos);
    // Drawn in place: never two lines of the same table on one screen.
    std::size_t orders_lines = 0;
    for (std::size_t at = screen.find("\n  orders "); at != std::string::npos; at = screen.find("\n  orders ", at + 1))
      ++orders_lines;
    INFO(screen);
    REQUIRE(orders_lines <= 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  REQUIRE(std::filesystem::exists(done));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  screen = tmux.screen();
  INFO(screen);
  CHECK(file_text(done).rfind("0", 0) == 0);
  CHECK(saw_exporting);
  CHECK(saw_total);
  CHECK(saw_two_tables);
  // The summary stays, the view went: no table line, no total line left on the screen.
  CHECK_THAT(screen, Catch::Contains("2 ok, 0 failed"));
  CHECK_FALSE(std::regex_search(screen, total));
  CHECK(screen.find(" exporting ") == std::string::npos);
  CHECK(screen.find(" importing ") == std::string::npos);
  CHECK(world.destination_has("in.c-from-eu.orders"));
}

TEST_CASE("run: --log-format json tells each table's phases, jobs, file and bytes, as the report does") {
  RunWorld world;
  const auto report_file = world.dir.path() / "report.json";
  const auto result = world.run({"run", world.config(kTwoTables).string(), "--log-format", "json", "--parallel", "2",
                                 "--report", report_file.string()});
  REQUIRE(result.exit_code == 0);
  const auto report = json::parse(file_text(report_file));
  CHECK(report["toolVersion"].is_string());
  CHECK_FALSE(report["toolVersion"].get<std::string>().empty());
  for (const auto& table : report["tables"]) {
    const std::string name = table["name"];
    INFO(name << "\n" << result.err);
    std::vector<json> events;
    for (const auto& line : json_lines(result.err))
      if (line.contains("event") && line["table"] == name) events.push_back(line);
    REQUIRE(!events.empty());
    std::vector<std::string> kinds;
    std::uint64_t moved = 0;
    for (const auto& event : events) {
      const std::string kind = event["event"];
      if (kind == "bytesMoved") moved += event["bytes"].get<std::uint64_t>();
      else kinds.push_back(kind + (event.contains("phase") ? ":" + event["phase"].get<std::string>() : ""));
    }
    // Create jobs are not told; export and import jobs are, each in its phase.
    const std::vector<std::string> expected = {"tableStarted",          "phaseStarted:exporting", "jobStarted:exporting",
                                               "phaseStarted:transferring", "fileReady:transferring",
                                               "phaseStarted:importing",    "jobStarted:importing", "tableFinished"};
    CHECK(kinds == expected);
    // The bytes' deltas add up to the file's total and to the report's bytes.
    CHECK(moved == table["bytes"].get<std::uint64_t>());
    for (const auto& event : events) {
      if (event["event"] == "fileReady") {
        CHECK(event["totalBytes"] == table["bytes"]);
        CHECK(event["fileId"] == table["sourceFileId"]);
      }
      if (event["event"] == "jobStarted" && event["phase"] == "exporting") CHECK(event["jobId"] == table["exportJobId"]);
      if (event["event"] == "jobStarted" && event["phase"] == "importing") CHECK(event["jobId"] == table["importJobId"]);
      if (event["event"] == "tableFinished") CHECK(event["seconds"].get<double>() > 0);
      CHECK(event["level"] == "info");
      CHECK(event["time"].get<std::string>().back() == 'Z');
    }
    CHECK(table["destinationFileId"].is_number());
    CHECK(table["phases"]["exportJob"].is_number());
  }
}

TEST_CASE("run: --log-format json tells a table's failure with its error kind") {
  RunWorld world;
  const auto result = world.run({"run", world.config(json::array({{{"name", "no_such_table"}}})).string(), "--log-format",
                                 "json"});
  CHECK(result.exit_code == 1);
  bool failed = false;
  for (const auto& line : json_lines(result.err)) {
    if (line.value("event", "") != "tableFailed") continue;
    failed = true;
    CHECK(line["table"] == "no_such_table");
    CHECK(line["error"]["kind"] == "not_found");
    CHECK_THAT(line["error"]["message"].get<std::string>(), Catch::Contains("does not exist"));
  }
  CHECK(failed);
}

TEST_CASE("run: text logs to a file get a progress line every 5 s during a long export job") {
  // Each job ~6 s (queued 3 s, processing 3 s): one 5-second line at least in the export.
  RunWorld world({"--faults", "--job-delay-ms", "3000"});
  const auto result = world.run({"run", world.config(json::array({{{"name", "customers"}}})).string()});
  REQUIRE(result.exit_code == 0);
  CHECK(std::regex_search(result.err, std::regex(R"(info: table customers: exporting \d+ s \(job \d+\))")));
  // No terminal here: no view was drawn (no cursor movements in the log).
  CHECK(result.err.find("\x1b[1A") == std::string::npos);
}

TEST_CASE("run: -q shows no progress and --progress always draws the view into a file") {
  RunWorld world({"--faults", "--job-delay-ms", "1500"});
  const auto config = world.config(json::array({{{"name", "customers"}}}));
  const auto quiet = world.run({"run", config.string(), "-q"});
  REQUIRE(quiet.exit_code == 0);
  CHECK(quiet.err.find("exporting") == std::string::npos);
  const auto always = world.run({"run", config.string(), "--progress", "always"});
  REQUIRE(always.exit_code == 0);
  CHECK_THAT(always.err, Catch::Contains("  customers  exporting"));
  CHECK_THAT(always.err, Catch::Contains("\r\x1b[K"));  // erased in place
}
