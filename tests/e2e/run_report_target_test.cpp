// `run --report FILE` is checked before any work: a report that cannot be written (a missing
// folder, the config itself, a device, a directory) is a usage error (exit 2) before anything
// is contacted, not a failure after the tables were copied.
#include <sys/stat.h>

#include "run_fixture.hpp"

using namespace kbc::e2e;
using nlohmann::json;

namespace {

// A config whose two sides are unreachable: a run that contacted anything would fail with
// exit 1 (connection refused), not 2.
std::filesystem::path unreachable_config(const RunWorld& world) {
  const json document = {{"source", {{"url", "http://127.0.0.1:9"}}},
                         {"destination", {{"url", "http://127.0.0.1:9"}, {"bucket", "in.c-from-eu"}}},
                         {"tables", json::array({{{"name", "orders"}}})}};
  const auto file = world.dir.path() / "unreachable.json";
  std::ofstream(file) << document.dump(2);
  return file;
}

std::string text_of(const std::filesystem::path& file) {
  std::ifstream in(file);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("run: --report into a missing folder is refused before any request") {
  RunWorld world;
  const auto result = world.run({"run", unreachable_config(world).string(), "--report",
                                 (world.dir.path() / "no-such-dir" / "report.json").string()});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("--report") && Catch::Contains("cannot create a file in"));
  CHECK_THAT(result.err, Catch::Contains("check that the directory exists"));
}

TEST_CASE("run: --report naming the config file is refused and the config stays as it was") {
  RunWorld world;
  const auto config = unreachable_config(world);
  const auto before = text_of(config);
  const auto result = world.run({"run", config.string(), "--report", config.string()});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("is the configuration file"));
  CHECK(text_of(config) == before);
}

TEST_CASE("run: --report on a device or a directory is refused and the device stays a device") {
  RunWorld world;
  for (const std::string target : {"/dev/full", "/dev/null"}) {
    const auto result = world.run({"run", unreachable_config(world).string(), "--report", target});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains(target + ": is not a regular file"));
    struct stat info {};
    REQUIRE(::stat(target.c_str(), &info) == 0);
    CHECK(S_ISCHR(info.st_mode));
  }
  const auto directory = world.run({"run", unreachable_config(world).string(), "--report", world.dir.path().string()});
  CHECK(directory.exit_code == 2);
  CHECK_THAT(directory.err, Catch::Contains("is a directory"));
}

TEST_CASE("run: a written report leaves no temporary file beside it") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "customers"}, {"destination", "c"}}}));
  const auto reports = world.dir.path() / "reports";
  std::filesystem::create_directories(reports);
  REQUIRE(world.run({"run", config.string(), "--report", (reports / "report.json").string()}).exit_code == 0);
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(reports)) names.push_back(entry.path().filename().string());
  CHECK(names == std::vector<std::string>{"report.json"});
  CHECK(json::parse(std::ifstream(reports / "report.json"))["tables"][0]["status"] == "ok");
}
