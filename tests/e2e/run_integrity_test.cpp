// Integrity: bytes in the source's file storage that are not what the Storage API promised (an
// empty or short object, a manifest naming other objects) fail their table before anything is
// imported, with one message naming the file, the slice and the sizes.
#include "run_fixture.hpp"

using namespace kbc::e2e;
using nlohmann::json;
using Catch::Contains;

namespace {

// Objects of the source project's exports (project 101); the destination's keys differ.
constexpr const char* source_objects = "/exp-15/101/files/";

const Rows destination_customers = sorted({{"10", "Alice (old)", "CZ"}, {"99", "Zed", "US"}});

json failed_table(const std::filesystem::path& report, const std::string& name) {
  const auto parsed = json::parse(std::ifstream(report), nullptr, false);
  if (parsed.is_object() && parsed.contains("tables"))
    for (const auto& table : parsed["tables"])
      if (table["name"] == name) return table;
  FAIL("no table " << name << " in the report " << report << ": " << parsed.dump());
  return {};
}

// Whether the destination project holds a file the tool prepared for `table` ("<table>.csv.gz";
// the test client's own exports are named by table id): one that failed its checks has none.
bool destination_has_prepared_file(const RunWorld& world, const std::string& table) {
  for (const auto& file : world.destination.get("/v2/storage/files?limit=100").json())
    if (file["name"] == table + ".csv.gz") return true;
  return false;
}

// A run of the 5000-row "events" table exported in 4 KiB slices (dozens of them).
struct SlicedWorld : RunWorld {
  SlicedWorld() : RunWorld({"--faults", "--slice-size", "4096"}) {}
  auto run_events() {
    const auto config = this->config(json::array({{{"name", "events"}}}));
    return run({"run", config.string(), "--report", report.string()});
  }
  std::filesystem::path report = dir.path() / "report.json";
};

void replace_manifest(const RunWorld& world, const std::string& body) {
  world.add_fault({{"action", "replace_body"}, {"target", "s3"}, {"method", "GET"},
                   {"pathRegex", std::string(source_objects) + ".*events.*manifest$"}, {"body", body}});
}

}  // namespace

TEST_CASE("run: an export object that file storage reports empty fails its table before any import, the others are copied") {
  RunWorld world;
  world.add_fault({{"action", "shrink"}, {"target", "s3"}, {"truncateAfter", 0}, {"count", 10},
                   {"pathRegex", std::string(source_objects) + ".*customers\\.csv\\.gz$"}});
  const auto config = world.config(json::array({{{"name", "customers"}, {"incremental", false}}, {{"name", "order_items"}}}));
  const auto report = world.dir.path() / "report.json";
  const auto result = world.run({"run", config.string(), "--report", report.string()});
  CHECK(result.exit_code == 4);
  CHECK(world.faults_fired() >= 1);
  const auto failed = failed_table(report, "customers");
  CHECK(failed["status"] == "failed");
  CHECK(failed["error"]["kind"] == "integrity");
  const auto message = failed["error"]["message"].get<std::string>();
  CHECK_THAT(message, Contains("in.c-sales.customers.csv.gz) is 0 bytes in the source's file storage") &&
                          Contains("but its file detail promises") && Contains("bytes (sizeBytes)"));
  CHECK_THAT(result.err, Contains("is 0 bytes in the source's file storage"));
  CHECK_THAT(result.err, !Contains("X-Amz-") && !Contains("Signature="));
  // Nothing imported: no destination file was even prepared, the destination table is as it was.
  CHECK_FALSE(destination_has_prepared_file(world, "customers"));
  CHECK(destination_has_prepared_file(world, "order_items"));
  CHECK(world.destination_rows("in.c-from-eu.customers") == destination_customers);
  CHECK(world.destination_rows("in.c-from-eu.order_items") == sorted(seed_order_items));
}

TEST_CASE("run: an export object shorter than its sizeBytes fails the table with both sizes, exit 1 when it was the only one") {
  RunWorld world;
  world.add_fault({{"action", "shrink"}, {"target", "s3"}, {"truncateAfter", 10}, {"count", 10},
                   {"pathRegex", std::string(source_objects) + ".*customers\\.csv\\.gz$"}});
  const auto config = world.config(json::array({{{"name", "customers"}, {"incremental", true}}}));
  const auto result = world.run({"run", config.string()});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Contains("is 10 bytes in the source's file storage") && Contains("but its file detail promises"));
  CHECK(world.destination_rows("in.c-from-eu.customers") == destination_customers);
}

TEST_CASE("run: an export object that reads shorter than its HEAD said fails the table during the copy, nothing imported") {
  RunWorld world;
  world.add_fault({{"action", "shrink"}, {"target", "s3"}, {"method", "GET"}, {"truncateAfter", 10}, {"count", 100},
                   {"pathRegex", std::string(source_objects) + ".*customers\\.csv\\.gz$"}});
  const auto config = world.config(json::array({{{"name", "customers"}, {"incremental", true}}}));
  const auto report = world.dir.path() / "report.json";
  const auto result = world.run({"run", config.string(), "--report", report.string()}, std::chrono::seconds(60));
  CHECK(result.exit_code == 1);
  const auto failed = failed_table(report, "customers");
  CHECK(failed["status"] == "failed");
  CHECK(failed["error"]["kind"] == "integrity");
  CHECK_THAT(failed["error"]["message"].get<std::string>(),
             Contains("copying slice 1 of 1: reading bytes 0-") && Contains("the object ends after 10 of them"));
  CHECK(world.destination_rows("in.c-from-eu.customers") == destination_customers);
}

TEST_CASE("run: an emptied slice of a sliced export fails the table on the slices' sum, naming the empty slice") {
  SlicedWorld world;
  world.add_fault({{"action", "shrink"}, {"target", "s3"}, {"truncateAfter", 0}, {"count", 10},
                   {"pathRegex", std::string(source_objects) + ".*events.*/part0003\\.csv\\.gz$"}});
  const auto result = world.run_events();
  CHECK(result.exit_code == 1);
  const auto failed = failed_table(world.report, "events");
  CHECK(failed["error"]["kind"] == "integrity");
  CHECK_THAT(failed["error"]["message"].get<std::string>(),
             Contains("slices of export file") && Contains("but its file detail promises") && Contains("empty: part0003.csv.gz"));
  CHECK_FALSE(world.destination_has("in.c-from-eu.events"));
  CHECK_FALSE(destination_has_prepared_file(world, "events"));
}

TEST_CASE("run: a slice whose size differs from its manifest entry's meta.content_length fails the table, naming the slice") {
  SlicedWorld world;
  replace_manifest(world, R"({"entries":[{"url":"s3://{bucket}/{prefix}part0000.csv.gz","meta":{"content_length":1}}]})");
  const auto result = world.run_events();
  CHECK(result.exit_code == 1);
  CHECK(world.faults_fired() == 1);
  const auto failed = failed_table(world.report, "events");
  CHECK(failed["error"]["kind"] == "integrity");
  CHECK_THAT(failed["error"]["message"].get<std::string>(),
             Contains("slice part0000.csv.gz of export file") && Contains("but its manifest entry promises 1 bytes (meta.content_length)"));
  CHECK_FALSE(world.destination_has("in.c-from-eu.events"));
}

TEST_CASE("run: a manifest that lists fewer slices than the file holds fails on sizeBytes") {
  SlicedWorld world;
  replace_manifest(world, R"({"entries":[{"url":"s3://{bucket}/{prefix}part0000.csv.gz"},{"url":"s3://{bucket}/{prefix}part0001.csv.gz"}]})");
  const auto result = world.run_events();
  CHECK(result.exit_code == 1);
  CHECK_THAT(failed_table(world.report, "events")["error"]["message"].get<std::string>(),
             Contains("the 2 slices of export file") && Contains("but its file detail promises"));
  CHECK_FALSE(world.destination_has("in.c-from-eu.events"));
}

TEST_CASE("run: a manifest entry in another bucket is refused and nothing is copied") {
  SlicedWorld world;
  replace_manifest(world, R"({"entries":[{"url":"s3://{bucket}/{prefix}part0000.csv.gz"},{"url":"s3://other-bucket/{prefix}part0001.csv.gz"}]})");
  const auto result = world.run_events();
  CHECK(result.exit_code == 1);
  const auto failed = failed_table(world.report, "events");
  CHECK(failed["error"]["kind"] == "integrity");
  CHECK_THAT(failed["error"]["message"].get<std::string>(),
             Contains("manifest entry \"s3://other-bucket/") && Contains("is not a slice of this file"));
  CHECK_FALSE(world.destination_has("in.c-from-eu.events"));
  CHECK_FALSE(destination_has_prepared_file(world, "events"));
}

TEST_CASE("run: a manifest entry outside the file's prefix, or listed twice, is refused") {
  SlicedWorld world;
  replace_manifest(world, R"({"entries":[{"url":"s3://{bucket}/{prefix}part0000.csv.gz"},{"url":"s3://{bucket}/{prefix}part0000.csv.gz"}]})");
  auto result = world.run_events();
  CHECK(result.exit_code == 1);
  CHECK_THAT(failed_table(world.report, "events")["error"]["message"].get<std::string>(), Contains("part0000.csv.gz\" is listed twice"));
  replace_manifest(world, R"({"entries":[{"url":"s3://{bucket}/exp-15/101/files/elsewhere/part0000.csv.gz"}]})");
  result = world.run_events();
  CHECK(result.exit_code == 1);
  CHECK_THAT(failed_table(world.report, "events")["error"]["message"].get<std::string>(),
             Contains("elsewhere/part0000.csv.gz\" is not a slice of this file"));
  CHECK_FALSE(world.destination_has("in.c-from-eu.events"));
  CHECK(world.faults_fired() == 2);
}

TEST_CASE("run: a slice served with one byte changed fails its table on the MD5 its storage states, nothing imported") {
  SlicedWorld world;
  world.add_fault({{"action", "corrupt"}, {"target", "s3"}, {"method", "GET"}, {"truncateAfter", 100}, {"count", 100},
                   {"pathRegex", std::string(source_objects) + ".*events.*/part0002\\.csv\\.gz$"}});
  const auto result = world.run_events();
  CHECK(result.exit_code == 1);
  CHECK(world.faults_fired() >= 1);
  const auto failed = failed_table(world.report, "events");
  CHECK(failed["error"]["kind"] == "integrity");
  CHECK_THAT(failed["error"]["message"].get<std::string>(),
             Contains("the bytes read of slice part0002.csv.gz of export file") && Contains("have MD5") &&
                 Contains("they changed on the way"));
  CHECK_THAT(failed["error"]["hint"].get<std::string>(), Contains("nothing was imported"));
  CHECK_FALSE(world.destination_has("in.c-from-eu.events"));
}

TEST_CASE("run: every slice's MD5 is compared with its storage's when slices are read one part at a time, and reported") {
  SlicedWorld world;
  const auto result = world.run_events();
  REQUIRE(result.exit_code == 0);
  const auto copied = failed_table(world.report, "events");  // the table's report entry, here a success
  CHECK(copied["status"] == "ok");
  CHECK(copied["slices"].get<int>() > 10);
  CHECK(copied["checksumsVerified"] == copied["slices"]);
}
