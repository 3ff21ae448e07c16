#include <catch2/catch.hpp>

#include <fstream>

#include "kbc_storage_extract/report/report.hpp"

using kbc::report::RunReport;
using kbc::report::TableReport;

namespace {

RunReport sample() {
  RunReport run;
  run.started = std::chrono::system_clock::from_time_t(1'800'000'000);
  run.finished = run.started + std::chrono::seconds{12};
  run.source = {"http://127.0.0.1:1", "1", "Sales EU", "eu-central-1", "in.c-sales"};
  run.destination = {"http://127.0.0.1:2", "2", "Reporting US", "us-east-1", "in.c-from-eu"};
  TableReport orders;
  orders.name = "orders";
  orders.source_table_id = "in.c-sales.orders";
  orders.destination_table_id = "in.c-from-eu.orders";
  orders.action = "upsert";
  orders.changed_since = run.started - std::chrono::hours{48};
  orders.rows = 3;
  orders.bytes = 2048;
  orders.seconds = 1.25;
  TableReport customers;
  customers.name = "customers";
  customers.status = TableReport::Status::skipped;
  customers.skip_reason = "disabled";
  TableReport missing;
  missing.name = "ordrs";
  missing.status = TableReport::Status::failed;
  missing.error = kbc::make_error(kbc::ErrorKind::not_found, "table ordrs does not exist in the source bucket in.c-sales",
                                  "closest names in the source bucket: orders");
  run.tables = {orders, customers, missing};
  return run;
}

}  // namespace

TEST_CASE("the exit code says whether all, some or none of the attempted tables were copied") {
  auto run = sample();
  CHECK(kbc::report::run_exit_code(run) == kbc::ExitCode::partial_failure);
  run.tables[2].status = TableReport::Status::ok;
  CHECK(kbc::report::run_exit_code(run) == kbc::ExitCode::success);
  run.tables[0].status = TableReport::Status::failed;
  run.tables[2].status = TableReport::Status::failed;
  CHECK(kbc::report::run_exit_code(run) == kbc::ExitCode::runtime_failure);
}

TEST_CASE("the JSON report has the run, both sides and every table with its outcome") {
  const auto json = kbc::report::to_json(sample());
  CHECK(json["started"] == "2027-01-15T08:00:00Z");
  CHECK(json["finished"] == "2027-01-15T08:00:12Z");
  CHECK(json["source"]["bucketId"] == "in.c-sales");
  CHECK(json["destination"]["projectName"] == "Reporting US");
  REQUIRE(json["tables"].size() == 3);
  const auto& orders = json["tables"][0];
  CHECK(orders["destinationTableId"] == "in.c-from-eu.orders");
  CHECK(orders["action"] == "upsert");
  CHECK(orders["changedSince"] == "2027-01-13T08:00:00Z");
  CHECK(orders["rows"] == 3);
  CHECK(orders["bytes"] == 2048);
  CHECK(orders["status"] == "ok");
  CHECK(orders["error"].is_null());
  CHECK(json["tables"][1]["status"] == "skipped");
  CHECK(json["tables"][1]["skipReason"] == "disabled");
  const auto& failed = json["tables"][2];
  CHECK(failed["status"] == "failed");
  CHECK(failed["error"]["kind"] == "not_found");
  CHECK(failed["error"]["hint"] == "closest names in the source bucket: orders");
  CHECK(json["exitCode"] == 4);
}

TEST_CASE("the summary has one line per table and a total") {
  const auto text = kbc::report::render_summary(sample());
  CHECK_THAT(text, Catch::Contains("orders -> in.c-from-eu.orders") && Catch::Contains("upsert") &&
                       Catch::Contains("2.0 KiB") && Catch::Contains("skipped (disabled)") &&
                       Catch::Contains("FAILED: table ordrs does not exist") && Catch::Contains("1 ok, 1 failed, 1 skipped"));
}

TEST_CASE("the report file is written whole") {
  const auto file = std::filesystem::temp_directory_path() / ("kbc-report-test-" + std::to_string(::getpid()) + ".json");
  REQUIRE(kbc::report::write_report(file, sample()).ok());
  std::ifstream in(file);
  const auto json = nlohmann::json::parse(in);
  CHECK(json["tables"][0]["name"] == "orders");
  std::filesystem::remove(file);
  CHECK_FALSE(kbc::report::write_report("/nonexistent-dir/report.json", sample()).ok());
}

TEST_CASE("sizes read like people write them") {
  CHECK(kbc::report::human_bytes(12) == "12 B");
  CHECK(kbc::report::human_bytes(1536) == "1.5 KiB");
  CHECK(kbc::report::human_bytes(3ull << 30) == "3.0 GiB");
}
