// `run`: incremental loads (append, upsert, a primary key of the destination's own) and
// Changes Since, relative and absolute.
#include <ctime>

#include "run_fixture.hpp"

using namespace kbc::e2e;
using nlohmann::json;

TEST_CASE("run: incremental without a primary key appends the rows") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "order_items"}, {"incremental", true}}}));
  REQUIRE(world.run({"run", config.string()}).exit_code == 0);  // creates
  const auto second = world.run({"run", config.string()});
  REQUIRE(second.exit_code == 0);
  CHECK_THAT(second.out, Catch::Contains("append"));
  Rows twice = seed_order_items;
  twice.insert(twice.end(), seed_order_items.begin(), seed_order_items.end());
  CHECK(world.destination_rows("in.c-from-eu.order_items") == sorted(twice));
}

TEST_CASE("run: incremental with a primary key upserts: existing keys updated, new keys inserted") {
  RunWorld world;
  // Destination customers (key id): 10 "Alice (old)" and 99 "Zed".
  const auto config = world.config(json::array({{{"name", "customers"}, {"incremental", true}, {"primaryKey", {"id"}}}}));
  const auto result = world.run({"run", config.string()});
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("upsert"));
  CHECK(world.destination_rows("in.c-from-eu.customers") ==
        sorted({{"10", "Alice", "CZ"}, {"11", "Bob", "DE"}, {"99", "Zed", "US"}}));
}

TEST_CASE("run: the destination's primary key may differ from the source's and decides the upsert") {
  RunWorld world;
  // Source orders are keyed by id; the destination keys them by customer_id: one row per customer.
  const auto config = world.config(json::array(
      {{{"name", "orders"}, {"destination", "last_order"}, {"incremental", true}, {"primaryKey", {"customer_id"}}}}));
  REQUIRE(world.run({"run", config.string()}).exit_code == 0);
  CHECK(world.destination_table("in.c-from-eu.last_order")["primaryKey"] == json::array({"customer_id"}));
  world.load_source("in.c-sales.orders", "id,customer_id,amount,status\n4,11,55.00,new\n", true);
  REQUIRE(world.run({"run", config.string()}).exit_code == 0);
  const auto rows = world.destination_rows("in.c-from-eu.last_order");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0][1] == "10");
  CHECK(rows[1] == Row{"4", "11", "55.00", "new"});
}

TEST_CASE("run: a destination table whose primary key differs from the configured one gets the configured key") {
  RunWorld world;
  // Destination customers is keyed by id; the config keys it by name.
  const auto config = world.config(json::array({{{"name", "customers"}, {"incremental", true}, {"primaryKey", {"name"}}}}));
  const auto result = world.run({"run", config.string()});
  REQUIRE(result.exit_code == 0);
  CHECK(world.destination_table("in.c-from-eu.customers")["primaryKey"] == json::array({"name"}));
  CHECK(world.destination_rows("in.c-from-eu.customers") ==
        sorted({{"10", "Alice (old)", "CZ"}, {"99", "Zed", "US"}, {"10", "Alice", "CZ"}, {"11", "Bob", "DE"}}));
}

namespace {

// Source orders whose rows 1-3 were last changed 3 days ago and rows 2 (changed) and 4 (new) now.
void age_orders(const RunWorld& world) {
  world.advance_clock(-3 * 86400);
  world.load_source("in.c-sales.orders", "id,customer_id,amount,status\n1,10,100.50,new\n2,11,20.00,paid\n3,10,7.25,new\n", false);
  world.advance_clock(3 * 86400);
  world.load_source("in.c-sales.orders", "id,customer_id,amount,status\n2,11,20.00,refunded\n4,12,9.99,new\n", true);
}

const Rows changed_orders = {{"2", "11", "20.00", "refunded"}, {"4", "12", "9.99", "new"}};

std::string iso_utc(std::time_t t) {
  char buffer[32];
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

}  // namespace

TEST_CASE("run: a relative changedSince copies only the rows changed since then") {
  RunWorld world;
  age_orders(world);
  const auto config = world.config(json::array({{{"name", "orders"}, {"changedSince", "-1 days"}}}));
  const auto report = world.dir.path() / "report.json";
  const auto before = std::time(nullptr);
  REQUIRE(world.run({"run", config.string(), "--report", report.string()}).exit_code == 0);
  CHECK(world.destination_rows("in.c-from-eu.orders") == changed_orders);
  // Resolved once, at the start of the run, to an absolute time about a day ago.
  const auto table = json::parse(std::ifstream(report))["tables"][0];
  CHECK(table["rows"] == 2);  // only the changed rows moved
  CHECK(table["sourceRows"] == 4);
  const auto resolved = table["changedSince"].get<std::string>();
  CHECK((resolved == iso_utc(before - 86400) || resolved == iso_utc(before - 86400 + 1) || resolved == iso_utc(before - 86400 + 2)));
}

TEST_CASE("run: an absolute changedSince copies only the rows changed since that time") {
  RunWorld world;
  age_orders(world);
  const auto since = iso_utc(std::time(nullptr) - 86400);
  const auto config = world.config(json::array({{{"name", "orders"}, {"changedSince", since}}}));
  const auto report = world.dir.path() / "report.json";
  REQUIRE(world.run({"run", config.string(), "--report", report.string()}).exit_code == 0);
  CHECK(world.destination_rows("in.c-from-eu.orders") == changed_orders);
  CHECK(json::parse(std::ifstream(report))["tables"][0]["changedSince"] == since);
}

TEST_CASE("run: when nothing changed since changedSince, nothing moves and the destination stays as it was") {
  RunWorld world;
  world.advance_clock(-3 * 86400);
  world.load_source("in.c-sales.customers", "id,name,country\n10,Alice,CZ\n11,Bob,DE\n", false);
  world.advance_clock(3 * 86400);
  const auto config = world.config(
      json::array({{{"name", "customers"}, {"incremental", true}, {"primaryKey", {"id"}}, {"changedSince", "-1 days"}}}));
  const auto report = world.dir.path() / "report.json";
  REQUIRE(world.run({"run", config.string(), "--report", report.string()}).exit_code == 0);
  CHECK(world.destination_rows("in.c-from-eu.customers") == sorted({{"10", "Alice (old)", "CZ"}, {"99", "Zed", "US"}}));
  const auto table = json::parse(std::ifstream(report))["tables"][0];
  CHECK(table["rows"] == 0);
  CHECK(table["status"] == "ok");
}

TEST_CASE("run: --changed-since replaces the configured changedSince for one run") {
  RunWorld world;
  age_orders(world);
  const auto config = world.config(json::array({{{"name", "orders"}, {"incremental", true}}}));
  REQUIRE(world.run({"run", config.string(), "--changed-since", "-1 days"}).exit_code == 0);
  CHECK(world.destination_rows("in.c-from-eu.orders") == changed_orders);
}

TEST_CASE("run: --changed-since on a full-load table is refused before any request, naming the table") {
  RunWorld world;
  auto tables = json::array({{{"name", "orders"}}, {{"name", "customers"}, {"incremental", true}}, {{"name", "order_items"}}});
  // Nothing listens at either URL: a run that contacted anything would fail with exit 1, not 2.
  nlohmann::json document = {{"source", {{"url", "http://127.0.0.1:9"}}},
                             {"destination", {{"url", "http://127.0.0.1:9"}, {"bucket", "in.c-from-eu"}}},
                             {"tables", tables}};
  const auto config = world.dir.path() / "unreachable.json";
  std::ofstream(config) << document.dump(2);
  const auto result = world.run({"run", config.string(), "--changed-since", "-1 days"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("2 full-load tables (orders, order_items)"));
  CHECK_THAT(result.err, Catch::Contains("only the rows changed since"));
  CHECK_THAT(result.err, Catch::Contains("--replace-with-changed-rows"));
  CHECK_THAT(result.err, !Catch::Contains("customers"));
}

TEST_CASE("run: --changed-since with --table naming only incremental tables is not refused") {
  RunWorld world;
  age_orders(world);
  const auto config = world.config(json::array({{{"name", "orders"}, {"incremental", true}}, {{"name", "customers"}}}));
  REQUIRE(world.run({"run", config.string(), "--table", "orders", "--changed-since", "-1 days"}).exit_code == 0);
  CHECK(world.destination_rows("in.c-from-eu.orders") == changed_orders);
}

TEST_CASE("run: --replace-with-changed-rows lets --changed-since replace a full-load table with the changed rows") {
  RunWorld world;
  age_orders(world);
  const auto config = world.config(json::array({{{"name", "orders"}}}));
  const auto report = world.dir.path() / "report.json";
  const auto result = world.run(
      {"run", config.string(), "--changed-since", "-1 days", "--replace-with-changed-rows", "--report", report.string()});
  REQUIRE(result.exit_code == 0);
  CHECK(world.destination_rows("in.c-from-eu.orders") == changed_orders);
  CHECK_THAT(result.err, Catch::Contains("replaces the destination with only the rows changed since"));
  const auto warnings = json::parse(std::ifstream(report))["tables"][0]["warnings"];
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0].get<std::string>(), Catch::Contains("only the rows changed since"));
}

TEST_CASE("run: a configured full load with changedSince is warned about by validate, --dry-run and the run") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "orders"}, {"changedSince", "-1 days"}}}));
  const auto validated = world.run({"validate", config.string()});
  CHECK(validated.exit_code == 0);
  CHECK_THAT(validated.err, Catch::Contains("/tables/0: a full load (\"incremental\": false) with changedSince \"-1 days\" "
                                            "replaces the destination table with only the rows changed since then"));
  const auto planned = world.run({"run", config.string(), "--dry-run"});
  CHECK(planned.exit_code == 0);
  CHECK_THAT(planned.out, Catch::Contains("orders: a full load with changedSince"));
  CHECK_THAT(planned.out, Catch::Contains("replaces the destination with only the rows changed since then"));
  CHECK_FALSE(world.destination_has("in.c-from-eu.orders"));
}

TEST_CASE("run: a --changed-since that is no time is a usage error and contacts nothing") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "orders"}}}));
  const auto result = world.run({"run", config.string(), "--changed-since", "last tuesday"});
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("--changed-since") != std::string::npos);
  CHECK(result.err.find("ISO 8601") != std::string::npos);
}

TEST_CASE("run: an incremental load of the whole table reports the source table's rowsCount as rows moved") {
  RunWorld world;
  // The destination holds customers 10 ("Alice (old)") and 99; the source 10 and 11.
  const auto config = world.config(json::array({{{"name", "customers"}, {"incremental", true}, {"primaryKey", {"id"}}}}));
  const auto report = world.dir.path() / "report.json";
  REQUIRE(world.run({"run", config.string(), "--report", report.string()}).exit_code == 0);
  const auto table = json::parse(std::ifstream(report))["tables"][0];
  CHECK(table["action"] == "upsert");
  CHECK(table["rows"] == 2);             // the source's rowsCount: no byte was inflated to count
  CHECK(table["destinationRows"] == 3);  // 10 updated, 11 added, 99 kept
  CHECK(world.destination_rows("in.c-from-eu.customers") ==
        sorted({{"10", "Alice", "CZ"}, {"11", "Bob", "DE"}, {"99", "Zed", "US"}}));
}
