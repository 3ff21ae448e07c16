// examples/cron/kbc-storage-extract-cron, the wrapper the crontab example runs, against the
// emulator with the demo projects: a good run logs with timestamps, keeps its report and
// alerts nobody; a failing run calls ALERT_COMMAND with the exit code and the log's tail; no
// token is ever in the log; old runs are pruned.
#include <regex>
#include <sstream>

#include "run_fixture.hpp"

using namespace kbc::e2e;
using nlohmann::json;

namespace {

const std::string demo_source_token = "1-102-DemoSalesEuReadOnlySalesBucket0000000000";
const std::string demo_destination_token = "2-202-DemoAnalyticsUsManageBuckets000000000000";

struct CronWorld {
  RunWorld world{{"--faults"}, "examples/emulator/demo-seed.json"};
  std::filesystem::path logs = world.dir.path() / "logs";
  std::filesystem::path tokens = world.dir.path() / "tokens.env";
  std::filesystem::path alert = world.dir.path() / "alert.txt";

  CronWorld() {
    // The demo config, pointed at this emulator.
    auto config = json::parse(std::ifstream(std::filesystem::path(KBC_SOURCE_DIR) / "examples/emulator/config.json"));
    config["source"]["url"] = world.source_url;
    config["destination"]["url"] = world.destination_url;
    std::ofstream(world.dir.path() / "sales-eu.json") << config.dump(2);
    // Tokens come from TOKENS_FILE, as in the crontab example, not from the environment.
    std::ofstream(tokens) << "KBC_SOURCE_TOKEN=" << demo_source_token << "\nKBC_DESTINATION_TOKEN=" << demo_destination_token
                          << "\n";
    world.env["KBC_SOURCE_TOKEN"] = kbc::test::kUnsetEnv;
    world.env["KBC_DESTINATION_TOKEN"] = kbc::test::kUnsetEnv;
    world.env["TOKENS_FILE"] = tokens.string();
    world.env["LOG_DIR"] = logs.string();
    world.env["KBC_EXTRACT"] = KBC_EXTRACT_BIN;
    world.env["ALERT_COMMAND"] = "{ echo \"exit $1 log $2 env $KBC_EXIT_CODE\"; cat; } > '" + alert.string() + "'";
  }

  kbc::test::ProcessResult cron(std::vector<std::string> extra = {}) const {
    std::vector<std::string> argv = {(std::filesystem::path(KBC_SOURCE_DIR) / "examples/cron/kbc-storage-extract-cron").string(),
                                     (world.dir.path() / "sales-eu.json").string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto result = kbc::test::run_process(argv, world.env, std::chrono::seconds(120));
    UNSCOPED_INFO("exit " << result.exit_code << "\nstdout:\n" << result.out << "\nstderr:\n" << result.err);
    return result;
  }

  std::vector<std::filesystem::path> files(const std::string& suffix) const {
    std::vector<std::filesystem::path> found;
    for (const auto& entry : std::filesystem::directory_iterator(logs)) {
      const auto name = entry.path().filename().string();
      if (!entry.is_symlink() && name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
        found.push_back(entry.path());
    }
    std::sort(found.begin(), found.end());
    return found;
  }
};

std::string read_all(const std::filesystem::path& file) {
  std::ifstream in(file);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("examples: the cron wrapper logs a good run with timestamps, keeps the report, and alerts nobody") {
  CronWorld cron;
  const auto result = cron.cron();
  REQUIRE(result.exit_code == 0);
  CHECK(result.out.empty());  // cron mails whatever a job prints: a good run prints nothing
  const auto logs = cron.files(".log");
  REQUIRE(logs.size() == 1);
  const auto log = read_all(logs[0]);
  INFO(log);
  // Every line starts with a UTC timestamp: the tool's log lines and the summary alike.
  std::istringstream lines(log);
  std::string line;
  int count = 0;
  const std::regex stamped(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z .*)");
  while (std::getline(lines, line)) {
    ++count;
    CHECK(std::regex_match(line, stamped));
  }
  CHECK(count > 4);
  CHECK_THAT(log, Catch::Contains("cron: exit 0") && Catch::Contains("2 ok, 0 failed"));
  const auto reports = cron.files(".report.json");
  REQUIRE(reports.size() == 1);
  const auto report = json::parse(std::ifstream(reports[0]));
  CHECK(report["exitCode"] == 0);
  REQUIRE(report["tables"].size() == 2);
  for (const auto& table : report["tables"]) CHECK(table["status"] == "ok");
  CHECK(report["tables"][0]["destinationRows"] == 2000);  // the demo's orders, copied
  CHECK(std::filesystem::read_symlink(cron.logs / "sales-eu-latest.log") == logs[0].filename());
  CHECK_FALSE(std::filesystem::exists(cron.alert));
  for (const auto& token : {demo_source_token, demo_destination_token}) CHECK(log.find(token) == std::string::npos);
}

TEST_CASE("examples: the cron wrapper calls ALERT_COMMAND with the exit code and the log's tail when a run fails") {
  CronWorld cron;
  // A destination token the Storage API does not know: the run stops with exit 3.
  const std::string wrong_token = "2-299-NoSuchTokenNoSuchTokenNoSuchToken000";
  std::ofstream(cron.tokens) << "KBC_SOURCE_TOKEN=" << demo_source_token << "\nKBC_DESTINATION_TOKEN=" << wrong_token << "\n";
  const auto result = cron.cron({"--retries", "0"});
  CHECK(result.exit_code == 3);
  REQUIRE(std::filesystem::exists(cron.alert));
  const auto alert = read_all(cron.alert);
  const auto logs = cron.files(".log");
  REQUIRE(logs.size() == 1);
  CHECK_THAT(alert, Catch::StartsWith("exit 3 log " + logs[0].string() + " env 3\n"));
  CHECK_THAT(alert, Catch::Contains("destination token") && Catch::Contains("cron: exit 3"));
  const auto log = read_all(logs[0]);
  for (const auto& token : {demo_source_token, wrong_token}) {
    CHECK(log.find(token) == std::string::npos);
    CHECK(alert.find(token) == std::string::npos);
  }
  // The report of a run stopped before the tables is kept too.
  const auto reports = cron.files(".report.json");
  REQUIRE(reports.size() == 1);
  CHECK(json::parse(std::ifstream(reports[0]))["exitCode"] == 3);
}

TEST_CASE("examples: the cron wrapper keeps the newest KEEP_RUNS runs and refuses a TOKENS_FILE it cannot read") {
  CronWorld cron;
  std::filesystem::create_directories(cron.logs);
  for (const auto* stamp : {"20200101T000000Z", "20200102T000000Z", "20200103T000000Z"}) {
    std::ofstream(cron.logs / (std::string("sales-eu-") + stamp + ".log")) << "old\n";
    std::ofstream(cron.logs / (std::string("sales-eu-") + stamp + ".report.json")) << "{}\n";
  }
  cron.world.env["KEEP_RUNS"] = "2";
  REQUIRE(cron.cron().exit_code == 0);
  const auto logs = cron.files(".log");
  REQUIRE(logs.size() == 2);
  CHECK(logs[0].filename() == "sales-eu-20200103T000000Z.log");  // the newest old one, and this run's
  CHECK(cron.files(".report.json").size() == 2);

  cron.world.env["TOKENS_FILE"] = (cron.world.dir.path() / "missing.env").string();
  const auto refused = cron.cron();
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Catch::Contains("TOKENS_FILE") && Catch::Contains("missing.env"));
}
