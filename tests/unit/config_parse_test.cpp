// A valid configuration becomes the Config the commands work with: defaults merged, order kept.
#include <catch2/catch.hpp>

#include "config_test_helpers.hpp"
#include "kbc_storage_extract/regions.hpp"

using namespace kbc;
using kbc::test::parse;
using kbc::test::valid_config_json;

TEST_CASE("the issue's example configuration parses with defaults merged into each table", "[config]") {
  const auto load = load_config(std::filesystem::path(KBC_SOURCE_DIR) / "examples" / "config.json");
  REQUIRE(load.issues.empty());
  REQUIRE(load.warnings.empty());
  const Config& config = *load.config;
  CHECK(config.source.region == "eu-central-1");
  CHECK(config.source.url == "https://connection.eu-central-1.keboola.com");
  CHECK_FALSE(config.destination.region.has_value());
  CHECK(config.destination.url == "https://connection.keboola.com");
  CHECK(config.destination_bucket == "in.c-from-eu");
  CHECK(config.source.token.kind == TokenSpec::Kind::env);
  CHECK(config.source.token.reference == "KBC_SOURCE_TOKEN");
  CHECK(config.source.token.json_path == "/source/token");
  CHECK(config.destination.token.reference == "KBC_DESTINATION_TOKEN");

  REQUIRE(config.tables.size() == 2);
  const auto& orders = config.tables[0];
  CHECK(orders.name == "orders");
  CHECK(orders.destination == "orders");  // defaults to the name
  CHECK(orders.enabled);
  CHECK(orders.incremental);               // its own value wins over the default
  CHECK(orders.changed_since->text() == "-2 days");
  CHECK(orders.primary_key == std::vector<std::string>{"id"});
  CHECK(orders.json_path == "/tables/0");

  const auto& customers = config.tables[1];
  CHECK(customers.name == "customers");
  CHECK(customers.destination == "customers_copy");
  CHECK_FALSE(customers.enabled);
  CHECK_FALSE(customers.incremental);             // from defaults
  CHECK(customers.changed_since->text() == "-1 days");  // from defaults
  CHECK(customers.primary_key.empty());
}

TEST_CASE("defaults supply every per-table field and tables override them", "[config]") {
  auto doc = valid_config_json();
  doc["defaults"] = {{"changedSince", "2026-11-20"}, {"incremental", true}, {"primaryKey", {"id", "region"}}, {"enabled", false}};
  doc["tables"] = nlohmann::json::array({
      {{"name", "a"}},
      {{"name", "b"}, {"incremental", false}, {"primaryKey", nlohmann::json::array()}, {"enabled", true},
       {"changedSince", nullptr}},
  });
  const auto load = parse(doc);
  REQUIRE(load.issues.empty());
  const auto& a = load.config->tables[0];
  CHECK(a.incremental);
  CHECK_FALSE(a.enabled);
  CHECK(a.primary_key == std::vector<std::string>{"id", "region"});
  CHECK(a.changed_since->text() == "2026-11-20");
  const auto& b = load.config->tables[1];
  CHECK_FALSE(b.incremental);
  CHECK(b.enabled);
  CHECK(b.primary_key.empty());
  CHECK_FALSE(b.changed_since.has_value());  // null: copy everything despite the default
}

TEST_CASE("without defaults a table is enabled, not incremental, without changedSince or primary key", "[config]") {
  const auto load = parse(valid_config_json());
  REQUIRE(load.issues.empty());
  const auto& table = load.config->tables[0];
  CHECK(table.enabled);
  CHECK_FALSE(table.incremental);
  CHECK_FALSE(table.changed_since.has_value());
  CHECK(table.primary_key.empty());
}

TEST_CASE("tables keep their configuration order", "[config]") {
  auto doc = valid_config_json();
  doc["tables"] = nlohmann::json::array({{{"name", "zeta"}}, {{"name", "alpha"}}, {{"name", "mid"}}});
  const auto load = parse(doc);
  REQUIRE(load.issues.empty());
  CHECK(load.config->tables[0].name == "zeta");
  CHECK(load.config->tables[1].name == "alpha");
  CHECK(load.config->tables[2].name == "mid");
  CHECK(find_table(*load.config, "alpha") == &load.config->tables[1]);
  CHECK(find_table(*load.config, "beta") == nullptr);
}

TEST_CASE("every known region resolves to its Storage API URL", "[config]") {
  for (const auto& region : known_regions()) {
    auto doc = valid_config_json();
    doc["source"]["region"] = std::string(region.name);
    const auto load = parse(doc);
    REQUIRE(load.issues.empty());
    CHECK(load.config->source.url == region.url);
  }
}

TEST_CASE("a loopback http URL is accepted for the emulator and normalized", "[config]") {
  auto doc = valid_config_json();
  doc["source"] = {{"url", "http://127.0.0.1:8080/"}};
  doc["destination"]["url"] = "HTTPS://Connection.Example.COM";
  const auto load = parse(doc);
  REQUIRE(load.issues.empty());
  CHECK(load.config->source.url == "http://127.0.0.1:8080");
  CHECK(load.config->destination.url == "https://connection.example.com");
}

TEST_CASE("an absent token means the side's default environment variable", "[config]") {
  auto doc = valid_config_json();
  doc["source"].erase("token");
  doc["destination"].erase("token");
  const auto load = parse(doc);
  REQUIRE(load.issues.empty());
  CHECK(load.config->source.token.kind == TokenSpec::Kind::env);
  CHECK(load.config->source.token.reference == "KBC_SOURCE_TOKEN");
  CHECK(load.config->source.token.defaulted);
  CHECK(load.config->destination.token.reference == "KBC_DESTINATION_TOKEN");
}

TEST_CASE("a token file path is relative to the config file's folder", "[config]") {
  auto doc = valid_config_json();
  doc["source"]["token"] = {{"file", "secrets/source.token"}};
  doc["destination"]["token"] = {{"file", "/etc/kbc/destination.token"}};
  const auto load = parse_config(doc.dump(), "/srv/jobs/config.json");
  REQUIRE(load.issues.empty());
  CHECK(load.config->source.token.kind == TokenSpec::Kind::file);
  CHECK(load.config->source.token.reference == "/srv/jobs/secrets/source.token");
  CHECK(load.config->destination.token.reference == "/etc/kbc/destination.token");
}

TEST_CASE("a literal token is allowed with a warning that never shows the token", "[config]") {
  auto doc = valid_config_json();
  doc["source"]["token"] = "  123-456-literalsecretvalue0123456789  ";
  const auto load = parse(doc);
  REQUIRE(load.issues.empty());
  CHECK(load.config->source.token.kind == TokenSpec::Kind::literal);
  CHECK(load.config->source.token.literal.reveal() == "123-456-literalsecretvalue0123456789");
  REQUIRE(load.warnings.size() == 1);
  CHECK(load.warnings[0].json_path == "/source/token");
  CHECK_THAT(load.warnings[0].message, Catch::Matchers::Contains("prefer {\"env\""));
  CHECK_THAT(load.warnings[0].message, !Catch::Matchers::Contains("literalsecret"));
}
