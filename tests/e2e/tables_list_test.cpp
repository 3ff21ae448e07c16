// `tables`: the source bucket's tables with sizes and markers for what the config copies.
#include "run_fixture.hpp"

using namespace kbc::e2e;
using nlohmann::json;

TEST_CASE("tables lists the source bucket's tables and marks configured and disabled ones") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "orders"}}, {{"name", "customers"}, {"enabled", false}}, {{"name", "gone"}}}));
  const auto result = world.run({"tables", config.string()});
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("in.c-sales") && Catch::Contains("order_items") && Catch::Contains("events") &&
                             Catch::Contains("configured, disabled") && Catch::Contains("configured but not in in.c-sales: gone"));
  CHECK(result.out.find("secrets") == std::string::npos);  // the other bucket is not the token's
}

TEST_CASE("tables --search filters by name, ignoring case, and --json is machine-readable") {
  RunWorld world;
  const auto config = world.config(json::array({{{"name", "orders"}}}));
  const auto result = world.run({"tables", config.string(), "--search", "ORDER", "--json"});
  REQUIRE(result.exit_code == 0);
  const auto list = json::parse(result.out);
  REQUIRE(list.size() == 2);
  // Sorted by name.
  CHECK(list[0]["name"] == "order_items");
  CHECK(list[0]["configured"] == false);
  CHECK(list[1]["name"] == "orders");
  CHECK(list[1]["rowsCount"] == 3);
  CHECK(list[1]["configured"] == true);
  CHECK(list[1]["enabled"] == true);
}

TEST_CASE("tables needs only the source token: the destination's may be missing") {
  RunWorld world;
  world.env["KBC_DESTINATION_TOKEN"] = kbc::test::kUnsetEnv;
  const auto config = world.config(json::array({{{"name", "orders"}}}));
  const auto listed = world.run({"tables", config.string()});
  REQUIRE(listed.exit_code == 0);
  CHECK_THAT(listed.out, Catch::Contains("orders"));
  // run and validate still need it, and say which.
  const auto validated = world.run({"validate", config.string()});
  CHECK(validated.exit_code == 2);
  CHECK_THAT(validated.err, Catch::Contains("KBC_DESTINATION_TOKEN"));
}
