#include <catch2/catch.hpp>

#include "config_test_helpers.hpp"
#include "kbc_storage_extract/extract/expand_tables.hpp"
#include "kbc_storage_extract/extract/plan.hpp"

using kbc::extract::expand_tables;
using kbc::extract::glob_match;

namespace {

kbc::TableConfig entry(std::string name, std::vector<std::string> exclude = {}, std::string destination = {}) {
  kbc::TableConfig table;
  table.name = std::move(name);
  table.destination = destination.empty() ? table.name : std::move(destination);
  table.is_glob = table.name.find_first_of("*?") != std::string::npos;
  table.exclude = std::move(exclude);
  table.json_path = "/tables/0";
  return table;
}

std::vector<std::string> names_of(const kbc::extract::Expansion& expansion) {
  std::vector<std::string> names;
  for (const auto& table : expansion.tables) names.push_back(table.name);
  return names;
}

}  // namespace

TEST_CASE("glob_match: * is any run of characters, ? exactly one, the rest literal") {
  CHECK(glob_match("*", ""));
  CHECK(glob_match("*", "orders"));
  CHECK(glob_match("orders_*", "orders_2026"));
  CHECK(glob_match("orders_*", "orders_"));
  CHECK_FALSE(glob_match("orders_*", "orders"));
  CHECK(glob_match("o?ders", "orders"));
  CHECK_FALSE(glob_match("o?ders", "oders"));
  CHECK(glob_match("*_items", "order_items"));
  CHECK(glob_match("a*b*c", "axxbyyc"));
  CHECK_FALSE(glob_match("a*b*c", "axxbyy"));
  CHECK_FALSE(glob_match("Orders", "orders"));  // table names are case-sensitive
}

TEST_CASE("a glob expands in place, sorted by name, without excluded tables") {
  const auto expansion = expand_tables({entry("first"), entry("o*", {"*_tmp"}), entry("last")},
                                       {"orders_tmp", "orders", "customers", "order_items", "first", "last"}, "in.c-a");
  CHECK(names_of(expansion) == std::vector<std::string>{"first", "order_items", "orders", "last"});
  CHECK(expansion.tables[1].glob == "o*");
  CHECK(expansion.tables[1].destination == "order_items");
  CHECK_FALSE(expansion.tables[1].is_glob);
  CHECK(expansion.tables[0].glob.empty());
  CHECK(expansion.warnings.empty());
}

TEST_CASE("explicit entries win over a glob wherever they stand, and the first glob takes a table") {
  auto orders = entry("orders");
  orders.incremental = true;
  const auto expansion = expand_tables({entry("*"), entry("order*"), orders}, {"orders", "order_items", "x"}, "in.c-a");
  CHECK(names_of(expansion) == std::vector<std::string>{"order_items", "x", "orders"});
  CHECK(expansion.tables[0].glob == "*");
  CHECK(expansion.tables[2].incremental);
  CHECK(expansion.warnings.empty());  // "order*" matches tables, though others took them
}

TEST_CASE("a glob that matches nothing, and a table whose destination an explicit entry writes, are warnings") {
  const auto expansion = expand_tables({entry("inv_*"), entry("*"), entry("customers", {}, "orders")},
                                       {"orders", "customers"}, "in.c-a");
  CHECK(names_of(expansion) == std::vector<std::string>{"customers"});
  REQUIRE(expansion.warnings.size() == 2);
  CHECK_THAT(expansion.warnings[0], Catch::Contains("\"inv_*\" matches no table of in.c-a"));
  CHECK_THAT(expansion.warnings[1], Catch::Contains("orders matches \"*\" but its destination table is written by an explicit entry"));
}

TEST_CASE("config: a glob name, exclude and the export filters are read with their JSON paths") {
  auto document = kbc::test::valid_config_json();
  document["tables"] = nlohmann::json::parse(R"([
    {"name": "orders_*", "exclude": ["orders_tmp*"]},
    {"name": "customers", "columns": ["id", "name"], "whereColumn": "country", "whereValues": ["CZ"],
     "whereOperator": "ne", "changedUntil": "2026-11-20", "primaryKey": ["id"]}
  ])");
  const auto load = kbc::test::parse(document);
  REQUIRE(load.issues.empty());
  const auto& glob = load.config->tables[0];
  CHECK(glob.is_glob);
  CHECK(glob.exclude == std::vector<std::string>{"orders_tmp*"});
  const auto& customers = load.config->tables[1];
  CHECK(customers.columns == std::vector<std::string>{"id", "name"});
  REQUIRE(customers.where);
  CHECK(customers.where->column == "country");
  CHECK(customers.where->values == std::vector<std::string>{"CZ"});
  CHECK(customers.where->op == "ne");
  REQUIRE(customers.changed_until);
  CHECK(customers.changed_until->text() == "2026-11-20");
}

TEST_CASE("config: a primaryKey from defaults outside a table's columns is reported at the table's columns") {
  auto document = kbc::test::valid_config_json();
  document["defaults"] = {{"primaryKey", {"id"}}};
  document["tables"] = nlohmann::json::parse(R"([{"name": "orders", "columns": ["status"]}])");
  kbc::test::require_single_issue(kbc::test::parse(document), "/tables/0/columns", "primary key column \"id\"");
}

TEST_CASE("select_tables: --table takes a name a glob matches (not an excluded one) or the glob itself") {
  kbc::Config config;
  config.file = "config.json";
  config.tables = {entry("order*", {"order_tmp"})};
  CHECK(kbc::extract::select_tables(config, {"orders"}));
  CHECK(kbc::extract::select_tables(config, {"order*"}));
  CHECK_FALSE(kbc::extract::select_tables(config, {"order_tmp"}));
  CHECK_FALSE(kbc::extract::select_tables(config, {"customers"}));
}
