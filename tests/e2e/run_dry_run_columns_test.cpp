// --dry-run compares the exported columns with an existing destination table's: columns the
// import adds, columns it lacks (the import would fail: exit 1, or 4 beside tables that copy),
// and a primary-key change. The run itself refuses the failing table before exporting it.
#include "run_fixture.hpp"

using namespace kbc::e2e;
using nlohmann::json;

namespace {

json report_of(const std::filesystem::path& file) { return json::parse(std::ifstream(file)); }

}  // namespace

TEST_CASE("run --dry-run names the columns the import would add to the destination table") {
  RunWorld world;
  world.load_source("in.c-sales.customers", "id,name,country,email\n12,Cyd,FR,cyd@example.com\n", true);
  const auto config = world.config(json::array({{{"name", "customers"}, {"incremental", true}}}));
  const auto report = world.dir.path() / "report.json";
  const auto result = world.run({"run", config.string(), "--dry-run", "--report", report.string()});
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("customers: the import adds column email to in.c-from-eu.customers"));
  const auto changes = report_of(report)["tables"][0]["importChanges"];
  CHECK(changes["addedColumns"] == json({"email"}));
  CHECK(changes["missingColumns"] == json::array());
  CHECK(changes["primaryKey"].is_null());
  CHECK(world.destination_table("in.c-from-eu.customers")["columns"] == json({"id", "name", "country"}));
}

TEST_CASE("run --dry-run: destination columns the export lacks make the import fail, and the dry run exits 1") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "customers"}, {"columns", {"id", "name"}}, {"incremental", true}}}));
  const auto report = world.dir.path() / "report.json";
  auto result = world.run({"run", config.string(), "--dry-run", "--report", report.string()});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.out, Catch::Contains("customers: cannot be copied: the import into in.c-from-eu.customers would fail: "
                                         "it has column country that the export of in.c-sales.customers lacks"));
  const auto entry = report_of(report)["tables"][0];
  CHECK(entry["status"] == "failed");
  CHECK(entry["error"]["kind"] == "conflict");
  CHECK(entry["importChanges"]["missingColumns"] == json({"country"}));

  SECTION("beside a table that copies, the dry run exits 4") {
    const auto two = world.config(json::array({{{"name", "customers"}, {"columns", {"id", "name"}}, {"incremental", true}},
                                               {{"name", "orders"}}}),
                                  "in.c-from-eu", "two.json");
    CHECK(world.run({"run", two.string(), "--dry-run"}).exit_code == 4);
  }
  SECTION("the run refuses the table the same way, before exporting it") {
    result = world.run({"run", config.string()});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Catch::Contains("would fail: it has column country"));
    CHECK(world.source.upload_file("probe.csv", "a\n1\n") == 1);  // no export made a file
    CHECK(world.destination_rows("in.c-from-eu.customers") == sorted({{"10", "Alice (old)", "CZ"}, {"99", "Zed", "US"}}));
  }
}

TEST_CASE("run --dry-run shows the primary-key change the run would make") {
  RunWorld world;
  const auto config =
      world.config(json::array({{{"name", "customers"}, {"incremental", true}, {"primaryKey", {"id", "name"}}}}));
  const auto report = world.dir.path() / "report.json";
  const auto result = world.run({"run", config.string(), "--dry-run", "--report", report.string()});
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("customers: the primary key of in.c-from-eu.customers changes from id to id, name"));
  const auto key = report_of(report)["tables"][0]["importChanges"]["primaryKey"];
  CHECK(key["from"] == json({"id"}));
  CHECK(key["to"] == json({"id", "name"}));
  CHECK(world.destination_table("in.c-from-eu.customers")["primaryKey"] == json({"id"}));
}
