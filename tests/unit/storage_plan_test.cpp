#include <catch2/catch.hpp>

#include "kbc_storage_extract/extract/file_transfer.hpp"
#include "kbc_storage_extract/extract/plan.hpp"

using kbc::extract::Action;
using kbc::extract::decide_action;

namespace {

kbc::TableConfig table(std::string name, bool enabled = true) {
  kbc::TableConfig config;
  config.name = std::move(name);
  config.destination = config.name;
  config.enabled = enabled;
  return config;
}

kbc::Config config_of(std::vector<kbc::TableConfig> tables) {
  kbc::Config config;
  config.file = "config.json";
  config.destination_bucket = "in.c-dst";
  config.tables = std::move(tables);
  return config;
}

}  // namespace

TEST_CASE("the action follows the save settings: replace, append, upsert, or create when missing") {
  CHECK(decide_action(false, true, {"id"}, {}) == Action::create);
  CHECK(decide_action(true, false, {"id"}, {"id"}) == Action::replace);
  CHECK(decide_action(true, true, {}, {}) == Action::append);
  CHECK(decide_action(true, true, {"id"}, {}) == Action::upsert);
  // The destination's own key makes an incremental load an upsert even when the config sets none.
  CHECK(decide_action(true, true, {}, {"id"}) == Action::upsert);
}

TEST_CASE("enabled tables run in configuration order; disabled ones are skipped") {
  const auto selected = kbc::extract::select_tables(config_of({table("b"), table("a", false), table("c")}), {});
  REQUIRE(selected);
  REQUIRE(selected->size() == 3);
  CHECK((*selected)[0].config.name == "b");
  CHECK((*selected)[0].selected);
  CHECK_FALSE((*selected)[1].selected);
  CHECK((*selected)[1].skip_reason == "disabled");
  CHECK((*selected)[2].selected);
}

TEST_CASE("with --table exactly the named tables run, even a disabled one") {
  const auto selected = kbc::extract::select_tables(config_of({table("b"), table("a", false), table("c")}), {"a"});
  REQUIRE(selected);
  CHECK_FALSE((*selected)[0].selected);
  CHECK((*selected)[0].skip_reason == "not selected with --table");
  CHECK((*selected)[1].selected);
  CHECK_FALSE((*selected)[2].selected);
}

TEST_CASE("an unknown --table is an input error that suggests the closest configured name") {
  const auto selected = kbc::extract::select_tables(config_of({table("orders"), table("customers")}), {"ordres"});
  REQUIRE_FALSE(selected);
  CHECK(selected.error().kind == kbc::ErrorKind::invalid_input);
  CHECK_THAT(selected.error().message, Catch::Contains("--table ordres"));
  CHECK_THAT(selected.error().hint, Catch::Contains("\"orders\""));
}

TEST_CASE("closest names: substrings first, then near misses, far ones left out") {
  const auto near = kbc::extract::closest_names("order", {"customers", "orders", "order_items", "zzz"});
  REQUIRE(near.size() == 2);
  CHECK(near[0] == "orders");
  CHECK(near[1] == "order_items");
  CHECK(kbc::extract::closest_names("custmers", {"customers", "orders"}) == std::vector<std::string>{"customers"});
}

TEST_CASE("a plan resolves changedSince against the run start and notices a primary key to change") {
  auto config = table("orders");
  config.incremental = true;
  config.primary_key = {"order_id"};
  config.changed_since = kbc::ChangedSince::parse("-2 days");
  REQUIRE(config.changed_since);
  kbc::storage_api::TableDetail source;
  source.id = "in.c-src.orders";
  source.primary_key = {"id"};
  kbc::storage_api::TableDetail destination;
  destination.id = "in.c-dst.orders";
  destination.primary_key = {"id"};
  const auto now = std::chrono::system_clock::from_time_t(1'800'000'000);
  const auto plan = kbc::extract::make_plan(config, source, destination, "in.c-dst", now);
  CHECK(plan.destination_table_id == "in.c-dst.orders");
  CHECK(plan.action == Action::upsert);
  CHECK(plan.change_primary_key);
  REQUIRE(plan.changed_since);
  CHECK(*plan.changed_since == now - std::chrono::hours{48});
  const auto fresh = kbc::extract::make_plan(config, source, std::nullopt, "in.c-dst", now);
  CHECK(fresh.action == Action::create);
  CHECK_FALSE(fresh.change_primary_key);
}

TEST_CASE("the header file of a new table quotes every column") {
  CHECK(kbc::extract::csv_header({"id", "na\"me"}) == "\"id\",\"na\"\"me\"\n");
}
