// The bad-input catalogue (tests/data/bad-inputs.json, listed in docs/bad-input.md): configs,
// flags, tokens, report and state files that are wrong in one way each. Every case runs the real
// binary and must end with its documented exit code and its one message, before anything is
// contacted (the config's URLs point at a closed port: a case that reached the network would
// end with exit 1 instead).
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "emulator_process.hpp"
#include "process.hpp"

using nlohmann::json;

namespace {

std::string substituted(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
  return text;
}

}  // namespace

TEST_CASE("bad input: every case of the catalogue gets its one message and its exit code, contacting nothing") {
  const auto catalogue = json::parse(std::ifstream(std::filesystem::path(KBC_SOURCE_DIR) / "tests/data/bad-inputs.json"));
  REQUIRE(catalogue["cases"].size() >= 80);
  std::ifstream doc_file(std::filesystem::path(KBC_SOURCE_DIR) / "docs/bad-input.md");
  const std::string doc((std::istreambuf_iterator<char>(doc_file)), std::istreambuf_iterator<char>());
  for (const auto& entry : catalogue["cases"]) {
    const std::string name = entry["name"];
    DYNAMIC_SECTION(name) {
      CHECK_THAT(doc, Catch::Contains("| " + name));  // docs/bad-input.md lists every case
      kbc::test::TempDir dir;
      const std::string folder = dir.path().string();
      const auto config = dir.path() / "config.json";
      const auto expand = [&](const std::string& text) {
        return substituted(substituted(text, "{config}", config.string()), "{dir}", folder);
      };
      std::ofstream(config) << (entry.contains("configText") ? entry["configText"].get<std::string>()
                                                             : expand(entry["config"].dump()));
      if (entry.contains("files")) {
        for (const auto& [file, content] : entry["files"].items()) {
          const auto path = dir.path() / file;
          if (content.is_null()) REQUIRE(mkfifo(path.c_str(), 0600) == 0);
          else std::ofstream(path) << content.get<std::string>();
        }
      }
      std::vector<std::string> argv{KBC_EXTRACT_BIN};
      for (const auto& arg : entry["args"]) argv.push_back(expand(arg.get<std::string>()));
      std::map<std::string, std::string> env{{"KBC_SOURCE_TOKEN", "123-456-abcdefabcdefabcdefabcdef01"},
                                             {"KBC_DESTINATION_TOKEN", "789-1011-abcdefabcdefabcdefabcdef02"}};
      if (entry.contains("env"))
        for (const auto& [variable, value] : entry["env"].items()) env[variable] = value.get<std::string>();
      const auto result = kbc::test::run_process(argv, env, std::chrono::seconds(20));
      INFO("stderr:\n" << result.err);
      CHECK(result.exit_code == entry["exit"].get<int>());
      CHECK_THAT(result.err, Catch::Contains(expand(entry["message"].get<std::string>())));
    }
  }
}
