// Component mode against the emulator, with a generated data folder: out/tables (slices and
// manifests read back and checked) when the job forwards no token, storage to storage when it
// forwards KBC_URL and KBC_TOKEN; exit codes in the component convention (1 user, 2 application).
#include "run_fixture.hpp"

using namespace kbc::e2e;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A job's data folder holding config.json with `parameters`.
fs::path data_folder(const RunWorld& world, const json& parameters, const std::string& name = "data") {
  const auto dir = world.dir.path() / name;
  fs::create_directories(dir / "in");
  std::ofstream(dir / "config.json") << json{{"parameters", parameters}, {"action", "run"}}.dump(2);
  return dir;
}

// The environment of a job started by the platform: KBC_DATADIR, no tokens of ours.
void job_environment(RunWorld& world, const fs::path& dir, bool forward_token) {
  world.env["KBC_DATADIR"] = dir.string();
  world.env["KBC_SOURCE_TOKEN"] = kbc::test::kUnsetEnv;
  world.env["KBC_DESTINATION_TOKEN"] = kbc::test::kUnsetEnv;
  world.env["KBC_URL"] = forward_token ? world.destination_url : kbc::test::kUnsetEnv;
  world.env["KBC_TOKEN"] = forward_token ? destination_writer : kbc::test::kUnsetEnv;
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Every slice of a sliced table folder, gunzipped and concatenated in name order.
Rows slice_rows(const fs::path& folder) {
  std::vector<fs::path> slices;
  for (const auto& entry : fs::directory_iterator(folder)) slices.push_back(entry.path());
  std::sort(slices.begin(), slices.end());
  std::string csv;
  for (const auto& slice : slices) {
    CHECK(slice.extension() == ".gz");
    csv += kbc::test::gzip_decompress(read_file(slice));
  }
  return sorted(parse_csv(csv));
}

void check_no_secret(const kbc::test::ProcessResult& result) {
  for (const auto& token : {source_reader, source_master, destination_writer}) {
    CHECK(result.out.find(token) == std::string::npos);
    CHECK(result.err.find(token) == std::string::npos);
  }
}

}  // namespace

TEST_CASE("component without a forwarded token writes sliced headerless tables and manifests into out/tables") {
  RunWorld world;
  const auto dir = data_folder(world, {{"source", {{"url", world.source_url}, {"#token", source_reader}}},
                                       {"destination", {{"bucket", "in.c-copy"}}},
                                       {"tables", json::array({{{"name", "orders"}, {"incremental", true}, {"primaryKey", {"id"}}},
                                                               {{"name", "customers"}, {"destination", "clients"}},
                                                               {{"name", "events"}, {"enabled", false}}})}});
  job_environment(world, dir, false);
  const auto result = world.run({});  // the platform starts the image without arguments
  REQUIRE(result.exit_code == 0);
  check_no_secret(result);

  const auto tables = dir / "out" / "tables";
  CHECK(slice_rows(tables / "orders.csv") == world.rows_of(world.source, "in.c-sales.orders"));
  CHECK(slice_rows(tables / "orders.csv").size() == 3);
  CHECK(json::parse(read_file(tables / "orders.csv.manifest")) ==
        json{{"destination", "in.c-copy.orders"}, {"incremental", true}, {"primary_key", {"id"}},
             {"columns", {"id", "customer_id", "amount", "status"}}});
  CHECK(slice_rows(tables / "clients.csv") == Rows{{"10", "Alice", "CZ"}, {"11", "Bob", "DE"}});
  CHECK(json::parse(read_file(tables / "clients.csv.manifest")) ==
        json{{"destination", "in.c-copy.clients"}, {"incremental", false}, {"primary_key", json::array()},
             {"columns", {"id", "name", "country"}}});
  CHECK_FALSE(fs::exists(tables / "events.csv"));
  CHECK_FALSE(fs::exists(tables / "events.csv.manifest"));
}

TEST_CASE("component takes keboola/ex-storage's parameters: one table, fullSync takes the source's primary key") {
  RunWorld world;
  const auto dir = data_folder(world, {{"#token", source_reader}, {"url", world.source_url + "/"},
                                       {"tableName", "orders"}, {"fullSync", true}, {"incremental", true},
                                       {"changedSince", ""}});
  job_environment(world, dir, false);
  const auto result = world.run({"component"});
  REQUIRE(result.exit_code == 0);
  check_no_secret(result);
  const auto tables = dir / "out" / "tables";
  CHECK(json::parse(read_file(tables / "orders.csv.manifest")) ==
        json{{"destination", "in.c-sales.orders"}, {"incremental", false}, {"primary_key", {"id"}},
             {"columns", {"id", "customer_id", "amount", "status"}}});
  CHECK(slice_rows(tables / "orders.csv").size() == 3);
}

TEST_CASE("component with KBC_URL and KBC_TOKEN forwarded copies storage to storage as run does") {
  RunWorld world;
  const auto dir = data_folder(world, {{"source", {{"url", world.source_url}, {"#token", source_reader}}},
                                       {"destination", {{"bucket", "in.c-from-eu"}}},
                                       {"tables", json::array({{{"name", "order_items"}},
                                                               {{"name", "customers"}, {"incremental", true}}})}});
  job_environment(world, dir, true);
  const auto result = world.run({"component", "--data-dir", dir.string()});
  REQUIRE(result.exit_code == 0);
  check_no_secret(result);
  CHECK(world.destination_rows("in.c-from-eu.order_items") ==
        world.rows_of(world.source, "in.c-sales.order_items"));
  // Upsert by the destination's own key: Alice updated, Zed kept, Bob added.
  CHECK(world.destination_rows("in.c-from-eu.customers") ==
        Rows{{"10", "Alice", "CZ"}, {"11", "Bob", "DE"}, {"99", "Zed", "US"}});
  CHECK_FALSE(fs::exists(dir / "out" / "tables" / "order_items.csv"));
  // The run state is where the platform keeps a component's state.
  CHECK(json::parse(read_file(dir / "out" / "state.json")).contains("format"));
}

TEST_CASE("component reports a bad config.json with JSON paths and exit 1, contacting nothing") {
  RunWorld world;
  const auto dir = data_folder(world, {{"source", {{"url", world.source_url}, {"#token", source_reader}}},
                                       {"tables", json::array({{{"nmae", "orders"}}})}});
  job_environment(world, dir, false);
  const auto result = world.run({});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains("config.json: /parameters/tables/0/nmae: unknown key \"nmae\"; did you mean \"name\"?"));
  check_no_secret(result);
  CHECK_FALSE(fs::exists(dir / "out" / "tables"));

  std::ofstream(dir / "config.json") << "{\"parameters\": ";
  const auto broken = world.run({});
  CHECK(broken.exit_code == 1);
  CHECK_THAT(broken.err, Catch::Contains("config.json: is not valid JSON"));

  const auto storage_without_bucket = data_folder(
      world, {{"source", {{"url", world.source_url}, {"#token", source_reader}}}, {"tables", json::array({{{"name", "orders"}}})}},
      "data2");
  job_environment(world, storage_without_bucket, true);
  const auto no_bucket = world.run({});
  CHECK(no_bucket.exit_code == 1);
  CHECK_THAT(no_bucket.err, Catch::Contains("/parameters/destination/bucket: missing required key \"bucket\""));
}

TEST_CASE("component refuses a master source token and names a missing table, exit 1 (user error)") {
  RunWorld world;
  const auto dir = data_folder(world, {{"source", {{"url", world.source_url}, {"#token", source_master}}},
                                       {"tables", json::array({{{"name", "orders"}}})}});
  job_environment(world, dir, false);
  const auto master = world.run({});
  CHECK(master.exit_code == 1);
  CHECK_THAT(master.err, Catch::Contains("rule \"no-master-token\""));
  check_no_secret(master);

  const auto missing = data_folder(world, {{"source", {{"url", world.source_url}, {"#token", source_reader}}},
                                           {"tables", json::array({{{"name", "orderz"}}, {{"name", "customers"}}})}},
                                   "data2");
  job_environment(world, missing, false);
  const auto result = world.run({});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains("table orderz is not in the source bucket in.c-sales") &&
                             Catch::Contains("did you mean: orders"));
  CHECK(fs::exists(missing / "out" / "tables" / "customers.csv.manifest"));
  CHECK_FALSE(fs::exists(missing / "out" / "tables" / "orderz.csv"));
}
