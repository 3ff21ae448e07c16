// Every kind of mistake in a config is reported with the JSON path of the bad value and what
// was expected, and all of a file's mistakes are reported at once.
#include <unistd.h>

#include <fstream>

#include <catch2/catch.hpp>

#include "config_test_helpers.hpp"

using namespace kbc;
using Catch::Matchers::Contains;
using kbc::test::issue_at;
using kbc::test::message_at;
using kbc::test::parse;
using kbc::test::require_single_issue;
using kbc::test::valid_config_json;

TEST_CASE("text that is not JSON is reported with its line and column", "[config]") {
  require_single_issue(parse(std::string_view("{\n  \"source\": oops\n}")), "", "not valid JSON at line 2, column");
}

TEST_CASE("a truncated file is reported as possibly truncated", "[config]") {
  auto text = valid_config_json().dump(2);
  text.resize(text.size() / 2);
  require_single_issue(parse(std::string_view(text)), "", "(is the file truncated?)");
}

TEST_CASE("an empty file says so", "[config]") {
  require_single_issue(parse(std::string_view("  \n")), "", "the file is empty");
}

TEST_CASE("a top level that is not an object is rejected", "[config]") {
  require_single_issue(parse(std::string_view("[1, 2]")), "", "got an array");
}

TEST_CASE("a missing file is reported, not thrown", "[config]") {
  const auto load = load_config("/nonexistent/kbc/config.json");
  REQUIRE(load.issues.size() == 1);
  CHECK_THAT(load.issues[0].message, Contains("cannot read the file"));
}

TEST_CASE("a file far too large to be a configuration is not read", "[config]") {
  const auto path = std::filesystem::temp_directory_path() / ("kbc-config-large-" + std::to_string(::getpid()) + ".json");
  {
    std::ofstream out(path, std::ios::binary);
    out.seekp(17 * 1024 * 1024);
    out.put('}');
  }
  const auto load = load_config(path);
  std::filesystem::remove(path);
  REQUIRE(load.issues.size() == 1);
  CHECK_THAT(load.issues[0].message, Contains("too large for a configuration file"));
}

TEST_CASE("a duplicate key is reported at its path", "[config]") {
  const auto load = parse(std::string_view(R"({"source": {"region": "us-east-1", "region": "eu-central-1"},
    "destination": {"region": "us-east-1", "bucket": "in.c-x"}, "tables": [{"name": "a", "name": "b"}]})"));
  REQUIRE(load.issues.size() == 2);
  CHECK(issue_at(load, "/source/region") != nullptr);
  CHECK(issue_at(load, "/tables/0/name") != nullptr);
  CHECK_THAT(message_at(load, "/tables/0/name"), Contains("duplicate key \"name\""));
}

TEST_CASE("a duplicate key's path counts the array elements before it", "[config]") {
  const auto load = parse(std::string_view(R"({"source": {"region": "us-east-1"},
    "destination": {"region": "us-east-1", "bucket": "in.c-x"},
    "tables": [{"name": "a", "primaryKey": ["id", "x"]}, {"name": "b"}, {"name": "c", "enabled": true, "enabled": false}]})"));
  require_single_issue(load, "/tables/2/enabled", "duplicate key \"enabled\"");
}

TEST_CASE("an unknown key suggests the closest known key", "[config]") {
  auto doc = valid_config_json();
  doc["tables"][0]["primary_key"] = {"id"};
  require_single_issue(parse(doc), "/tables/0/primary_key", "did you mean \"primaryKey\"?");

  doc = valid_config_json();
  doc["destinaton"] = doc["destination"];
  doc.erase("destination");
  const auto load = parse(doc);
  CHECK_THAT(message_at(load, "/destinaton"), Contains("did you mean \"destination\"?"));
  CHECK_THAT(message_at(load, "/destination"), Contains("missing required key \"destination\""));
}

TEST_CASE("an unknown key far from any known one lists the known keys", "[config]") {
  auto doc = valid_config_json();
  doc["tables"][0]["colour"] = "blue";
  require_single_issue(parse(doc), "/tables/0/colour",
                       "expected one of: name, destination, enabled, changedSince, initialChangedSince, changedUntil, incremental, "
                       "primaryKey, fullSync, copyMetadata, columns, whereColumn, whereValues, whereOperator, exclude");
}

TEST_CASE("a key with '/' or '~' is escaped in the JSON path (RFC 6901)", "[config]") {
  auto doc = valid_config_json();
  doc["tables"][0]["a/b~c"] = 1;
  require_single_issue(parse(doc), "/tables/0/a~1b~0c", "unknown key");
}

TEST_CASE("wrong types name what was expected and what was found", "[config]") {
  auto doc = valid_config_json();
  doc["tables"][0]["incremental"] = "true";
  require_single_issue(parse(doc), "/tables/0/incremental", "expected true or false, got a string");

  doc = valid_config_json();
  doc["tables"][0]["name"] = 42;
  require_single_issue(parse(doc), "/tables/0/name", "expected a string, got a number");

  doc = valid_config_json();
  doc["tables"] = {{"name", "orders"}};
  require_single_issue(parse(doc), "/tables", "expected an array of tables, got an object");

  doc = valid_config_json();
  doc["tables"][0] = "orders";
  require_single_issue(parse(doc), "/tables/0", "got a string");

  doc = valid_config_json();
  doc["source"] = "eu-central-1";
  require_single_issue(parse(doc), "/source", "expected an object");

  doc = valid_config_json();
  doc["source"]["token"] = 12345;
  require_single_issue(parse(doc), "/source/token", "{\"env\": NAME}, {\"file\": PATH} or a token string");
}

TEST_CASE("empty strings are rejected", "[config]") {
  auto doc = valid_config_json();
  doc["tables"][0]["destination"] = "";
  require_single_issue(parse(doc), "/tables/0/destination", "must not be empty");

  doc = valid_config_json();
  doc["source"]["token"] = "   ";
  require_single_issue(parse(doc), "/source/token", "must not be empty");

  doc = valid_config_json();
  doc["source"]["token"] = {{"env", ""}};
  require_single_issue(parse(doc), "/source/token/env", "must not be empty");
}

TEST_CASE("required keys are reported missing at the path where they belong", "[config]") {
  auto doc = valid_config_json();
  doc.erase("source");
  require_single_issue(parse(doc), "/source", "missing required key \"source\"");

  doc = valid_config_json();
  doc["destination"].erase("bucket");
  require_single_issue(parse(doc), "/destination/bucket", "missing required key \"bucket\"");

  doc = valid_config_json();
  doc["tables"][0] = {{"destination", "x"}};
  require_single_issue(parse(doc), "/tables/0/name", "missing required key \"name\"");

  doc = valid_config_json();
  doc["tables"] = nlohmann::json::array();
  require_single_issue(parse(doc), "/tables", "no tables configured");
}

TEST_CASE("duplicate table names and destinations are rejected", "[config]") {
  auto doc = valid_config_json();
  doc["tables"] = {{{"name", "orders"}}, {{"name", "orders"}, {"destination", "orders_2"}}};
  require_single_issue(parse(doc), "/tables/1/name", "duplicate table name \"orders\" (already at /tables/0)");

  doc["tables"] = {{{"name", "orders"}}, {{"name", "orders_eu"}, {"destination", "orders"}}};
  require_single_issue(parse(doc), "/tables/1/destination", "already written by /tables/0");

  doc["tables"] = {{{"name", "a"}, {"destination", "b"}}, {{"name", "b"}}};
  require_single_issue(parse(doc), "/tables/1/name", "destination table \"b\" is already written by /tables/0");
}

TEST_CASE("bucket ids must be in.c-NAME or out.c-NAME", "[config]") {
  for (const char* bad : {"c-main", "in.main", "in.c-", "sys.c-main", "in.c-my bucket", "in.c-main.orders"}) {
    auto doc = valid_config_json();
    doc["destination"]["bucket"] = bad;
    INFO(bad);
    require_single_issue(parse(doc), "/destination/bucket", "invalid bucket id");
  }
  for (const char* good : {"in.c-main", "out.c-from_eu-2", "in.c-A"}) {
    auto doc = valid_config_json();
    doc["destination"]["bucket"] = good;
    CHECK(parse(doc).issues.empty());
  }
}

TEST_CASE("the source cannot name a bucket: the token decides it", "[config]") {
  auto doc = valid_config_json();
  doc["source"]["bucket"] = "in.c-main";
  require_single_issue(parse(doc), "/source/bucket", "the one bucket the source token can read");
}

TEST_CASE("table names allow letters, digits, '_' and '-' up to 96 characters", "[config]") {
  auto doc = valid_config_json();
  doc["tables"][0]["name"] = "in.c-main.orders";
  require_single_issue(parse(doc), "/tables/0/name", "without the bucket id");

  doc["tables"][0]["name"] = "orders";
  doc["tables"][0]["destination"] = "orders 2";
  require_single_issue(parse(doc), "/tables/0/destination", "invalid table name");

  doc = valid_config_json();
  doc["tables"][0]["name"] = std::string(97, 'a');
  require_single_issue(parse(doc), "/tables/0/name", "at most 96");

  doc["tables"][0]["name"] = std::string(96, 'a') ;
  CHECK(parse(doc).issues.empty());
  doc["tables"][0]["name"] = "Orders_2024-eu";
  CHECK(parse(doc).issues.empty());
}

TEST_CASE("primary key columns must be valid, distinct column names in an array", "[config]") {
  auto doc = valid_config_json();
  doc["tables"][0]["primaryKey"] = {"id", "order id"};
  require_single_issue(parse(doc), "/tables/0/primaryKey/1", "invalid column name \"order id\"");

  doc["tables"][0]["primaryKey"] = {"id", "_hidden"};
  require_single_issue(parse(doc), "/tables/0/primaryKey/1", "not starting with '_'");

  doc["tables"][0]["primaryKey"] = {"id", 7};
  require_single_issue(parse(doc), "/tables/0/primaryKey/1", "got a number");

  doc["tables"][0]["primaryKey"] = {"id", "id"};
  require_single_issue(parse(doc), "/tables/0/primaryKey/1", "listed twice");

  doc["tables"][0]["primaryKey"] = "id";
  require_single_issue(parse(doc), "/tables/0/primaryKey", "write [\"id\"]");

  doc["tables"][0]["primaryKey"] = {"id", ""};
  require_single_issue(parse(doc), "/tables/0/primaryKey/1", "must not be empty");
}

TEST_CASE("an unparseable changedSince says which forms are accepted", "[config]") {
  for (const char* bad : {"yesterday", "-2 fortnights", "2 days", "2026-13-01", "-two days"}) {
    auto doc = valid_config_json();
    doc["tables"][0]["changedSince"] = bad;
    INFO(bad);
    require_single_issue(parse(doc), "/tables/0/changedSince", "a relative time like \"-2 days\"");
  }
}

TEST_CASE("a changedSince in the future is rejected with the fix", "[config]") {
  auto doc = valid_config_json();
  doc["defaults"] = {{"changedSince", "+2 days"}};
  require_single_issue(parse(doc), "/defaults/changedSince", "must be in the past: write \"-2 days\"");
}

TEST_CASE("defaults cannot hold a name or destination, nor null changedSince", "[config]") {
  auto doc = valid_config_json();
  doc["defaults"] = {{"name", "orders"}, {"destination", "x"}};
  const auto load = parse(doc);
  REQUIRE(load.issues.size() == 2);
  CHECK_THAT(message_at(load, "/defaults/name"), Contains("cannot have a default"));
  CHECK_THAT(message_at(load, "/defaults/destination"), Contains("cannot have a default"));

  doc = valid_config_json();
  doc["defaults"] = {{"changedSince", nullptr}};
  require_single_issue(parse(doc), "/defaults/changedSince", "expected a string, got null");
}

TEST_CASE("source and destination take exactly one of region and url", "[config]") {
  auto doc = valid_config_json();
  doc["destination"]["region"] = "us-east-1";
  require_single_issue(parse(doc), "/destination", "either \"region\" or \"url\", not both");

  doc = valid_config_json();
  doc["source"].erase("region");
  require_single_issue(parse(doc), "/source", "missing \"region\" (one of: us-east-1");
}

TEST_CASE("an unknown region suggests the closest and lists the known ones", "[config]") {
  auto doc = valid_config_json();
  doc["source"]["region"] = "eu-central";
  require_single_issue(parse(doc), "/source/region", "did you mean \"eu-central-1\"?");
  CHECK_THAT(parse(doc).issues[0].message, Contains("north-europe"));
}

TEST_CASE("URLs must be https, or http on loopback, without path, query or credentials", "[config]") {
  const std::pair<const char*, const char*> cases[] = {
      {"http://connection.keboola.com", "allowed only on loopback"},
      {"http://10.0.0.1:8080", "allowed only on loopback"},
      {"ftp://connection.keboola.com", "scheme \"ftp\""},
      {"connection.keboola.com", "no scheme"},
      {"https://connection.keboola.com/v2/storage", "has the path \"/v2/storage\""},
      {"https://connection.keboola.com/?x=1", "query string"},
      {"https://connection.keboola.com/#top", "fragment"},
      {"https://user:pw@connection.keboola.com", "user name or password"},
      // Found by fuzz/values_fuzzer: curl decodes %-escapes in a host, so the normalized URL
      // named another host each time it was parsed again.
      {"https://conn%2565ction.keboola.com", "valid host name"},
      {"https://\xc3\xa9.keboola.com", "valid host name"},
  };
  for (const auto& [url, expected] : cases) {
    auto doc = valid_config_json();
    doc["destination"].erase("url");
    doc["destination"]["url"] = url;
    INFO(url);
    require_single_issue(parse(doc), "/destination/url", expected);
  }
  for (const char* good : {"http://localhost:1234", "http://[::1]:9", "https://connection.keboola.com/",
                           "https://kbc.example.com:8443"}) {
    INFO(good);
    CHECK(parse_storage_url(good).ok());
  }
}

TEST_CASE("a credentials-bearing URL is never echoed", "[config]") {
  auto doc = valid_config_json();
  doc["destination"]["url"] = "https://me:hunter2secret@connection.keboola.com";
  const auto load = parse(doc);
  REQUIRE(load.issues.size() == 1);
  CHECK_THAT(load.issues[0].message, !Contains("hunter2secret"));
}

TEST_CASE("token objects take exactly one of env and file", "[config]") {
  auto doc = valid_config_json();
  doc["source"]["token"] = {{"env", "A"}, {"file", "b"}};
  require_single_issue(parse(doc), "/source/token", "either \"env\" or \"file\", not both");

  doc["source"]["token"] = nlohmann::json::object();
  require_single_issue(parse(doc), "/source/token", "expected {\"env\": NAME} or {\"file\": PATH}");

  doc["source"]["token"] = {{"evn", "A"}};
  const auto load = parse(doc);
  CHECK_THAT(message_at(load, "/source/token/evn"), Contains("did you mean \"env\"?"));
}

TEST_CASE("a token pasted where a variable name belongs is rejected without echoing it", "[config]") {
  auto doc = valid_config_json();
  doc["source"]["token"] = {{"env", "123-456-pastedtokenvalue0123456789"}};
  require_single_issue(parse(doc), "/source/token/env", "not the token itself");
  CHECK_THAT(parse(doc).issues[0].message, !Contains("pastedtoken"));
}

TEST_CASE("all problems of a file are reported at once", "[config]") {
  auto doc = valid_config_json();
  doc["source"]["tokn"] = {{"env", "X"}};
  doc["destination"]["bucket"] = "main";
  doc["defaults"] = {{"changedSince", "soon"}};
  doc["tables"] = {{{"name", "orders"}, {"incremental", 1}},
                   {{"name", "bad name"}},
                   {{"name", "orders"}, {"primaryKey", {"a b"}}}};
  const auto load = parse(doc);
  CHECK_FALSE(load.config.has_value());
  CHECK(load.issues.size() == 7);
  for (const char* path : {"/source/tokn", "/destination/bucket", "/defaults/changedSince", "/tables/0/incremental",
                           "/tables/1/name", "/tables/2/name", "/tables/2/primaryKey/0"}) {
    INFO(path);
    CHECK(issue_at(load, path) != nullptr);
  }
}
