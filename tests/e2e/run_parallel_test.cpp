// `run --parallel N` with several tables: they run at once, started in configuration order,
// and the summary and report keep configuration order.
#include <thread>

#include "run_fixture.hpp"

using namespace kbc::e2e;
using nlohmann::json;

TEST_CASE("run: --parallel 3 copies three tables at once and reports them in configuration order") {
  // Jobs of >= 600 ms each (300 ms waiting, 300 ms processing): a table takes over a second.
  RunWorld world({"--faults", "--job-delay-ms", "300"});
  const auto config = world.config(json::array({{{"name", "orders"}, {"primaryKey", {"id"}}},
                                                {{"name", "customers"}},
                                                {{"name", "order_items"}}}));
  const auto report_file = world.dir.path() / "report.json";
  const auto result = world.run({"run", config.string(), "--parallel", "3", "--report", report_file.string()});
  REQUIRE(result.exit_code == 0);
  const auto report = json::parse(std::ifstream(report_file));
  REQUIRE(report["tables"].size() == 3);
  CHECK(report["tables"][0]["name"] == "orders");
  CHECK(report["tables"][1]["name"] == "customers");
  CHECK(report["tables"][2]["name"] == "order_items");
  CHECK(report["tables"][0]["rows"] == 3);
  CHECK(report["tables"][1]["rows"] == 2);
  CHECK(report["tables"][2]["rows"] == 4);
  CHECK(world.destination_rows("in.c-from-eu.orders") == sorted(seed_orders));
  CHECK(world.destination_rows("in.c-from-eu.customers") == sorted(seed_customers));
  CHECK(world.destination_rows("in.c-from-eu.order_items") == sorted(seed_order_items));
  // The summary lists them in configuration order too.
  const auto orders_at = result.out.find("orders -> ");
  const auto customers_at = result.out.find("customers -> ");
  const auto items_at = result.out.find("order_items -> ");
  CHECK(orders_at < customers_at);
  CHECK(customers_at < items_at);
  // They ran at once: the last table's export started before the first table's import (which
  // waits for two jobs of >= 600 ms first).
  std::string log;
  for (int waited = 0; waited < 100; ++waited) {
    log = world.emulator.log_tail(16 << 20);
    if (log.find("POST /v2/storage/tables/in.c-from-eu.orders/import-async") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const auto last_export = log.find("POST /v2/storage/tables/in.c-sales.order_items/export-async");
  const auto first_import = log.find("POST /v2/storage/tables/in.c-from-eu.orders/import-async");
  REQUIRE(last_export != std::string::npos);
  REQUIRE(first_import != std::string::npos);
  CHECK(last_export < first_import);
}
