// The real kbc-storage-extract binary, run as a user would: commands, flags, exit codes,
// messages, and the promise that no token ever reaches the output.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "emulator_process.hpp"
#include "process.hpp"

using Catch::Matchers::Contains;
using kbc::test::run_process;

namespace {

const std::filesystem::path kSourceDir = KBC_SOURCE_DIR;
const std::filesystem::path kBrokenConfigs = kSourceDir / "tests" / "data" / "configs";

// Tokens for the example config's variables: shaped like real ones, and never to be printed.
const std::map<std::string, std::string> kTokenEnv{
    {"KBC_SOURCE_TOKEN", "1234-5678-SourceTokenSecretPart0123456789"},
    {"KBC_DESTINATION_TOKEN", "4321-8765-DestinationTokenSecretPart98765"},
};

kbc::test::ProcessResult extract(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {},
                                 std::chrono::seconds timeout = std::chrono::seconds(60)) {
  std::vector<std::string> argv{KBC_EXTRACT_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, env, timeout);
}

std::string output_of(const kbc::test::ProcessResult& result) { return result.out + result.err; }

// A loopback Storage API stand-in that rejects every token, echoing it back in its error body
// as a careless server might: the tool must mask it in whatever it prints.
class RejectingStorageApi {
 public:
  RejectingStorageApi() {
    server_.Get(".*", [](const httplib::Request& request, httplib::Response& response) {
      const std::string token = request.get_header_value("X-StorageApi-Token");
      response.status = 401;
      response.set_content(nlohmann::json{{"error", "Invalid access token " + token},
                                          {"code", "storage.tokenInvalid"}, {"exceptionId", "test-1"}}
                               .dump(),
                           "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // httplib 0.11 has no wait_until_ready(): poll, bounded.
    for (int i = 0; i < 500 && !server_.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ~RejectingStorageApi() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

void write_file(const std::filesystem::path& path, const std::string& text) { std::ofstream(path) << text; }

}  // namespace

TEST_CASE("run_process captures stdout, stderr, the exit code and the environment", "[process]") {
  const auto result = run_process({"/bin/sh", "-c", "echo out; echo \"err $KBC_PROBE\" >&2; exit 7"},
                                  {{"KBC_PROBE", "seen"}});
  CHECK(result.exit_code == 7);
  CHECK(result.out == "out\n");
  CHECK(result.err == "err seen\n");
  CHECK_FALSE(result.timed_out);
}

TEST_CASE("run_process kills a process that outlives its timeout", "[process]") {
  const auto result = run_process({"/bin/sh", "-c", "exec sleep 30"}, {}, std::chrono::seconds(1));
  CHECK(result.timed_out);
  CHECK(result.exit_code == 128 + 9);
}

TEST_CASE("help lists the subcommands and examples", "[cli]") {
  const auto result = extract({"--help"});
  CHECK(result.exit_code == 0);
  for (const char* text : {"run", "validate", "tables", "token", "--log-format", "--log-level", "--quiet", "--verbose",
                           "Examples:", "kbc-storage-extract validate config.json", "Exit codes:"})
    CHECK_THAT(result.out, Contains(text));
}

TEST_CASE("every subcommand has its own help", "[cli]") {
  CHECK_THAT(extract({"run", "--help"}).out, Contains("--table") && Contains("--dry-run") && Contains("--parallel"));
  CHECK_THAT(extract({"tables", "--help"}).out, Contains("--search"));
  CHECK_THAT(extract({"token", "verify", "--help"}).out, Contains("--token-env") && Contains("--region"));
}

TEST_CASE("the version flag prints the version and exits 0", "[cli]") {
  const auto result = extract({"--version"});
  CHECK(result.exit_code == 0);
  CHECK(result.out == std::string("kbc-storage-extract ") + KBC_VERSION + "\n");
}

TEST_CASE("bad command lines exit 2 and point to --help", "[cli]") {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {}, {"copy", "x.json"}, {"run"}, {"validate", "a.json", "--frobnicate"}, {"run", "a.json", "--parallel", "0"},
           {"--log-format", "xml", "validate", "a.json"}, {"--log-level", "loud", "validate", "a.json"},
           {"token", "verify", "--region", "us-east-1", "--url", "https://x.example.com"},
           {"token", "verify", "--destination", "--region", "us-east-1"}, {"-q", "-v", "validate", "a.json"}}) {
    const auto result = extract(args);
    INFO(output_of(result));
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("--help"));
  }
}

TEST_CASE("verbosity: -vv logs at trace level, -q only warnings and errors", "[cli]") {
  const std::string config = (kSourceDir / "examples" / "config.json").string();
  const auto verbose = extract({"-vv", "validate", config}, kTokenEnv);
  CHECK(verbose.exit_code == 0);
  CHECK_THAT(verbose.err, Contains("trace: kbc-storage-extract") && Contains("debug: "));
  const auto debug = extract({"validate", config, "-v"}, kTokenEnv);  // global flags also after the command
  CHECK_THAT(debug.err, Contains("debug: ") && !Contains("trace: "));
  const auto quiet = extract({"-q", "validate", config}, kTokenEnv);
  CHECK(quiet.exit_code == 0);
  CHECK(quiet.err.empty());
  CHECK_THAT(quiet.out, Contains("is valid"));  // results still go to stdout
}

TEST_CASE("token verify without a token names the variable it looked for", "[cli]") {
  const auto result = extract({"token", "verify", "--region", "us-east-1"}, {{"KBC_SOURCE_TOKEN", kbc::test::kUnsetEnv}});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Contains("KBC_SOURCE_TOKEN is not set"));
}

TEST_CASE("every subcommand's help ends with examples of that subcommand", "[cli]") {
  const std::vector<std::vector<std::string>> commands = {{"run"},   {"validate"}, {"tables"},      {"token", "verify"},
                                                          {"token", "create"}, {"token", "refresh"}, {"init"}, {"component"}};
  for (auto command : commands) {
    std::string line = "kbc-storage-extract";
    for (const auto& word : command) line += " " + word;
    command.push_back("--help");
    const auto result = extract(command);
    INFO(line << "\n" << result.out);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Contains("Examples:"));
    // Every example line is of this subcommand, none of another one.
    const auto examples = result.out.substr(result.out.find("Examples:"));
    CHECK_THAT(examples, Contains(line + " "));
    std::istringstream in(examples);
    for (std::string example; std::getline(in, example);)
      if (example.find("kbc-storage-extract ") != std::string::npos && example.rfind("  ", 0) == 0)
        CHECK_THAT(example + " ", Contains(line + " ") || Contains("--log-format json " + command.front()));
  }
}

TEST_CASE("validate tells both token problems at once", "[cli]") {
  const auto result = extract({"validate", (kSourceDir / "examples" / "config.json").string()},
                              {{"KBC_SOURCE_TOKEN", kbc::test::kUnsetEnv}, {"KBC_DESTINATION_TOKEN", kbc::test::kUnsetEnv}});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Contains("KBC_SOURCE_TOKEN is not set") && Contains("/source/token"));
  CHECK_THAT(result.err, Contains("KBC_DESTINATION_TOKEN is not set") && Contains("/destination/token"));
}

TEST_CASE("validate accepts the example configuration", "[cli]") {
  const auto result = extract({"validate", (kSourceDir / "examples" / "config.json").string()}, kTokenEnv);
  INFO(output_of(result));
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Contains("config.json is valid: 2 tables, 1 enabled"));
  CHECK_THAT(result.out, Contains("bucket in.c-from-eu"));
}

TEST_CASE("validate fails with exit 2 when a token variable is not set", "[cli]") {
  const auto result = extract({"validate", (kSourceDir / "examples" / "config.json").string()},
                              {{"KBC_SOURCE_TOKEN", kTokenEnv.at("KBC_SOURCE_TOKEN")}, {"KBC_DESTINATION_TOKEN", kbc::test::kUnsetEnv}});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Contains("KBC_DESTINATION_TOKEN is not set") && Contains("/destination/token"));
}

TEST_CASE("each broken configuration exits 2 naming the JSON path of its mistake", "[cli]") {
  // file -> what the message must contain: the JSON path, or for file-level problems the finding.
  const std::map<std::string, std::vector<std::string>> expected{
      {"auto-full-load.json", {"/tables/0/changedSince: \"changedSince\": \"auto\" copies only the rows changed",
                               "set \"incremental\": true"}},
      {"bad-bucket.json", {"/destination/bucket: invalid bucket id"}},
      {"bad-changed-since.json", {"/tables/0/changedSince: cannot read \"yesterday\""}},
      {"bad-primary-key.json", {"/tables/0/primaryKey/1: invalid column name"}},
      {"bad-table-name.json", {"/tables/0/name: invalid table name"}},
      {"default-for-name.json", {"/defaults/name: \"name\" cannot have a default"}},
      {"duplicate-destination.json", {"/tables/1/destination: destination table \"orders\""}},
      {"duplicate-key.json", {"/tables: duplicate key \"tables\""}},
      {"duplicate-name.json", {"/tables/1/name: duplicate table name"}},
      {"empty-string.json", {"/tables/1/name: must not be empty"}},
      {"empty-token-file.json", {"/destination/token", "empty.token is empty"}},
      {"empty.json", {"the file is empty"}},
      {"future-changed-since.json", {"/tables/0/changedSince:", "must be in the past"}},
      {"http-url.json", {"/source/url:", "allowed only on loopback"}},
      {"many-errors.json",
       {"/source/tokn: unknown key \"tokn\"; did you mean \"token\"?", "/destination/url:", "/defaults/changedSince:",
        "/tables/0/primaryKey:", "/tables/1/enabled:", "/tables/2/name:", "6 problems found"}},
      {"initial-without-auto.json", {"/tables/0/initialChangedSince: initialChangedSince is where the first"}},
      {"missing-bucket.json", {"/destination/bucket: missing required key \"bucket\""}},
      {"missing-token-env.json", {"/source/token", "KBC_TEST_VARIABLE_THAT_IS_NOT_SET is not set"}},
      {"missing-token-file.json", {"/destination/token", "cannot read the token file"}},
      {"no-tables.json", {"/tables: no tables configured"}},
      {"number-overflow.json", {"not valid JSON: number overflow parsing '1e999'"}},
      {"not-json.json", {"not valid JSON at line 1"}},
      {"region-and-url.json", {"/destination: give either \"region\" or \"url\""}},
      {"top-level-array.json", {"expected a JSON object"}},
      {"truncated.json", {"not valid JSON at line 5", "is the file truncated?"}},
      {"unknown-key.json", {"/tables/0/changedSinc: unknown key", "did you mean \"changedSince\"?"}},
      {"unknown-region.json", {"/source/region: unknown region \"eu-central\"", "did you mean \"eu-central-1\"?"}},
      {"url-with-path.json", {"/source/url:", "has the path \"/v2/storage\""}},
      {"wrong-type.json", {"/tables/0/incremental: expected true or false, got a string"}},
  };
  std::set<std::string> on_disk;
  for (const auto& entry : std::filesystem::directory_iterator(kBrokenConfigs))
    if (entry.path().extension() == ".json") on_disk.insert(entry.path().filename().string());
  std::set<std::string> covered;
  for (const auto& [name, _] : expected) covered.insert(name);
  CHECK(on_disk == covered);  // every broken config is checked, and every check has its file

  for (const auto& [name, texts] : expected) {
    const auto result = extract({"validate", (kBrokenConfigs / name).string()}, kTokenEnv);
    INFO(name << ":\n" << output_of(result));
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains(name));
    for (const auto& text : texts) CHECK_THAT(result.err, Contains(text));
  }
}

TEST_CASE("run refuses an unknown --table with the configured names", "[cli]") {
  const auto result = extract({"run", (kSourceDir / "examples" / "config.json").string(), "--table", "ordrs"}, kTokenEnv);
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Contains("unknown table \"ordrs\"; configured tables: orders, customers"));
}

TEST_CASE("JSON logs are one object per line with time, level and message", "[cli]") {
  const auto result = extract({"--log-format", "json", "validate", (kBrokenConfigs / "many-errors.json").string()});
  CHECK(result.exit_code == 2);
  std::size_t lines = 0;
  std::istringstream err(result.err);
  for (std::string line; std::getline(err, line); ++lines) {
    INFO(line);
    const auto object = nlohmann::json::parse(line);
    CHECK(object.at("level") == "error");
    CHECK(object.at("time").get<std::string>().size() == 24);  // 2026-11-25T08:00:00.123Z
    CHECK(object.contains("message"));
  }
  CHECK(lines == 7);
}

TEST_CASE("no token appears in any output, even at trace level", "[cli][secrets]") {
  kbc::test::TempDir dir;
  RejectingStorageApi api;
  const std::string literal = "literal-token-Q9xT7vM2-not-keboola-shaped";  // masked only because it is registered
  const std::string from_env = "env-token-W3kP9zR4-also-plain";
  write_file(dir.path() / "config.json", nlohmann::json{
      {"source", {{"url", api.url()}, {"token", literal}}},
      {"destination", {{"url", api.url()}, {"token", {{"env", "KBC_E2E_DESTINATION"}}}, {"bucket", "in.c-copy"}}},
      {"tables", {{{"name", "orders"}}}},
  }.dump(2));
  const std::map<std::string, std::string> env{{"KBC_E2E_DESTINATION", from_env}};
  const std::string config = (dir.path() / "config.json").string();

  for (const std::string format : {"text", "json"}) {
    SECTION("validate, " + format + " logs") {
      const auto result = extract({"--log-level", "trace", "--log-format", format, "validate", config}, env);
      INFO(output_of(result));
      CHECK(result.exit_code == 0);
      CHECK_THAT(result.err, Contains("the token is written in the config file"));  // the warning
      CHECK_THAT(output_of(result), !Contains(literal) && !Contains(from_env));
    }
    SECTION("run, " + format + " logs") {
      const auto result = extract({"--log-level", "trace", "--log-format", format, "run", config}, env,
                                  std::chrono::seconds(180));
      INFO(output_of(result));
      CHECK_FALSE(result.timed_out);
      CHECK(result.exit_code != 0);
      CHECK_THAT(output_of(result), !Contains(literal) && !Contains(from_env));
      CHECK_THAT(output_of(result), !Contains("Q9xT7vM2") && !Contains("W3kP9zR4"));
    }
  }
  SECTION("token verify with the literal token's config") {
    const auto result = extract({"-vv", "token", "verify", "--config", config}, env, std::chrono::seconds(180));
    INFO(output_of(result));
    CHECK(result.exit_code != 0);
    CHECK_THAT(output_of(result), !Contains("Q9xT7vM2"));
  }
}
