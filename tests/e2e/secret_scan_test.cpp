// No secret in any output: runs at --log-level trace with --log-format json, --report and a
// run state, one of them through S3 errors that echo the whole signed request (Authorization,
// x-amz-security-token), then every file the runs wrote (stdout, stderr, report, state, the
// emulator's log) is scanned for every token of the seed and every S3 secret key and session
// token the emulator issued (GET /_emulator/secrets).
#include "run_fixture.hpp"

#include <regex>

using namespace kbc::e2e;
using nlohmann::json;

namespace {

// The secret part of every token of the seed ("101-2-<secret>"), and the tokens whole.
std::vector<std::string> seed_token_secrets(const std::filesystem::path& seed) {
  std::vector<std::string> secrets;
  const auto document = json::parse(std::ifstream(seed));
  for (const auto& project : document["projects"])
    for (const auto& token : project["tokens"]) {
      const std::string text = token["token"];
      secrets.push_back(text);
      const auto dash = text.find('-', text.find('-') + 1);
      secrets.push_back(text.substr(dash + 1));
    }
  return secrets;
}

std::string read_all(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("secrets: no token, storage key, session token or signature in any output, even when S3 echoes the request") {
  RunWorld world({"--faults", "--log-level", "trace"});
  std::map<std::string, std::string> outputs;  // name -> text

  // 1: a part upload refused once with an error that echoes the signed request, then retried.
  world.add_fault({{"target", "s3"}, {"method", "PUT"}, {"action", "status"}, {"status", 500},
                   {"message", "We encountered an internal error."}, {"echoRequest", true}, {"count", 1}});
  const auto config = world.config(json::array({{{"name", "customers"}, {"destination", "c1"}},
                                                {{"name", "orders"}, {"destination", "o1"}, {"changedSince", "auto"},
                                                 {"incremental", true}}}));
  const auto report = world.dir.path() / "report.json";
  auto ok = world.run({"--log-level", "trace", "--log-format", "json", "run", config.string(), "--report",
                       report.string()});
  REQUIRE(ok.exit_code == 0);
  CHECK(world.faults_fired() == 1);
  outputs["stdout 1"] = ok.out;
  outputs["stderr 1"] = ok.err;
  outputs["report 1"] = read_all(report);
  CHECK_THAT(ok.err, Catch::Contains("We encountered an internal error"));  // the echo reached the log, masked

  // 2: the source object refused for good with the same echo: the error reaches summary and report.
  world.add_fault({{"target", "s3"}, {"method", "GET"}, {"action", "status"}, {"status", 403},
                   {"message", "Access Denied."}, {"echoRequest", true}, {"count", 100}});
  const auto failing = world.config(json::array({{{"name", "customers"}, {"destination", "c2"}}}), "in.c-from-eu",
                                    "failing.json");
  const auto failed_report = world.dir.path() / "failed-report.json";
  auto failed = world.run({"-vv", "run", failing.string(), "--report", failed_report.string()});
  CHECK(failed.exit_code != 0);
  outputs["stdout 2"] = failed.out;
  outputs["stderr 2"] = failed.err;
  outputs["report 2"] = read_all(failed_report);
  CHECK_THAT(outputs["report 2"], Catch::Contains("Access Denied"));
  outputs["state"] = read_all(world.dir.path() / "config.state.json");
  outputs["emulator log"] = read_all(world.emulator.log_file());

  auto secrets = seed_token_secrets(std::filesystem::path(KBC_SOURCE_DIR) / "tests/data/e2e/two-projects.json");
  const auto issued = kbc::test::http_request("GET", world.destination_url + "/_emulator/secrets").json()["s3"];
  REQUIRE(issued.size() >= 4);  // the source's and the destination's credentials at least
  for (const auto& secret : issued) secrets.push_back(secret.get<std::string>());

  const std::regex signature("Signature=[0-9a-f]{16,}|X-Amz-Signature=[0-9a-f]{16,}");
  for (const auto& [name, text] : outputs) {
    INFO(name);
    CHECK_FALSE(text.empty());
    for (const auto& secret : secrets) {
      INFO("secret starting " << secret.substr(0, 6));
      CHECK(text.find(secret) == std::string::npos);
    }
    CHECK_FALSE(std::regex_search(text, signature));
  }
}
