// The bad-answer catalogue (tests/data/bad-answers.json, listed in docs/bad-input.md): the
// Storage API or the file storage answers what it should not (not JSON, the wrong shape, a
// missing field, huge or nested deep, never, a hostile manifest). Every case runs the real
// binary against the emulator with its faults and must end with its documented exit code and its
// one message, importing nothing (or, where the answer is only odd, warning and copying).
#include "run_fixture.hpp"

using namespace kbc::e2e;
using nlohmann::json;

namespace {

// A fault's body: "body" as written, or "bodyParts" [[text, times], ...] for answers too big
// to write out (a 65 MiB token, JSON nested 100,000 deep).
json fault_of(const json& entry) {
  json fault = entry;
  if (fault.contains("bodyParts")) {
    std::string body;
    for (const auto& part : fault["bodyParts"])
      for (int i = 0; i < part[1].get<int>(); ++i) body += part[0].get<std::string>();
    fault.erase("bodyParts");
    fault["body"] = std::move(body);
  }
  return fault;
}

}  // namespace

TEST_CASE("bad answer: every case of the catalogue gets its one message and its exit code, importing nothing") {
  const auto catalogue = json::parse(std::ifstream(std::filesystem::path(KBC_SOURCE_DIR) / "tests/data/bad-answers.json"));
  REQUIRE(catalogue["cases"].size() >= 20);
  std::ifstream doc_file(std::filesystem::path(KBC_SOURCE_DIR) / "docs/bad-input.md");
  const std::string doc((std::istreambuf_iterator<char>(doc_file)), std::istreambuf_iterator<char>());
  // One emulator for every case: each copies into a table of its own, with its own faults.
  RunWorld world({"--faults", "--slice-size", "65536"});  // "events" exports in slices
  int index = 0;
  for (const auto& entry : catalogue["cases"]) {
    const std::string name = entry["name"];
    const std::string table = "case" + std::to_string(index++);
    DYNAMIC_SECTION(name) {
      CHECK_THAT(doc, Catch::Contains("| " + name));  // docs/bad-input.md lists every case
      REQUIRE(kbc::test::http_request("DELETE", world.destination_url + "/_emulator/faults").status == 204);
      for (const auto& fault : entry["faults"]) world.add_fault(fault_of(fault));
      const int fired_before = world.faults_fired();
      json tables = json::array({{{"name", entry.value("source", "customers")}, {"destination", table}}});
      const auto config = world.config(tables, "in.c-from-eu", table + ".json");
      std::vector<std::string> args{"run", config.string()};
      for (const auto& arg : entry.value("args", json::array())) args.push_back(arg.get<std::string>());
      const auto result = world.run(args, std::chrono::seconds(60));
      CHECK(world.faults_fired() > fired_before);  // the case really met its fault
      CHECK(result.exit_code == entry["exit"].get<int>());
      CHECK_THAT(result.err, Catch::Contains(entry["message"].get<std::string>()));
      // A failed case imports nothing; a case that only warns (exit 0) copies its table.
      CHECK(world.destination_has("in.c-from-eu." + table) == (entry["exit"].get<int>() == 0));
    }
  }
}
