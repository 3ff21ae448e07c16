// "copyMetadata": true: the table's and its columns' metadata (key, value, provider) arrive
// with the data, and a second run updates rather than duplicates them.
#include "run_fixture.hpp"

using namespace kbc::e2e;
using nlohmann::json;

namespace {

// {provider/key: value} of a metadata array, so the comparison ignores ids and timestamps.
std::map<std::string, std::string> items_of(const json& items) {
  std::map<std::string, std::string> out;
  for (const auto& item : items) out[item["provider"].get<std::string>() + "/" + item["key"].get<std::string>()] = item["value"];
  return out;
}

void set_source_metadata(const RunWorld& world, const json& body) {
  REQUIRE(world.source.post_json("/v2/storage/tables/in.c-sales.orders/metadata", body).status == 201);
}

}  // namespace

TEST_CASE("run copyMetadata: table and column metadata of every provider are copied, and updated by the next run") {
  RunWorld world;
  set_source_metadata(world, {{"provider", "user"},
                              {"metadata", {{{"key", "KBC.description"}, {"value", "Orders of the EU shop"}}}},
                              {"columnsMetadata", {{"amount", {{{"key", "KBC.datatype.basetype"}, {"value", "NUMERIC"}}}}}}});
  set_source_metadata(world, {{"provider", "keboola.ex-db-mysql"},
                              {"metadata", {{{"key", "KBC.sourceTable"}, {"value", "shop.orders"}}}}});
  const auto config = world.config(json::array({{{"name", "orders"}, {"copyMetadata", true}}}));
  const auto report = world.dir.path() / "report.json";
  REQUIRE(world.run({"run", config.string(), "--report", report.string()}).exit_code == 0);
  auto table = world.destination_table("in.c-from-eu.orders");
  CHECK(items_of(table["metadata"]) == std::map<std::string, std::string>{{"user/KBC.description", "Orders of the EU shop"},
                                                                          {"keboola.ex-db-mysql/KBC.sourceTable", "shop.orders"}});
  CHECK(items_of(table["columnMetadata"]["amount"]) == std::map<std::string, std::string>{{"user/KBC.datatype.basetype", "NUMERIC"}});
  CHECK(json::parse(std::ifstream(report))["tables"][0]["metadataItems"] == 3);

  set_source_metadata(world, {{"provider", "user"},
                              {"metadata", {{{"key", "KBC.description"}, {"value", "Orders, renamed"}}}}});
  REQUIRE(world.run({"run", config.string()}).exit_code == 0);
  table = world.destination_table("in.c-from-eu.orders");
  CHECK(table["metadata"].size() == 2);  // set again, not added twice
  CHECK(items_of(table["metadata"])["user/KBC.description"] == "Orders, renamed");
}

TEST_CASE("run copyMetadata: without it no metadata is copied and the report says null") {
  RunWorld world;
  set_source_metadata(world, {{"provider", "user"}, {"metadata", {{{"key", "KBC.description"}, {"value", "x"}}}}});
  const auto config = world.config(json::array({{{"name", "orders"}}}));
  const auto report = world.dir.path() / "report.json";
  REQUIRE(world.run({"run", config.string(), "--report", report.string()}).exit_code == 0);
  CHECK(world.destination_table("in.c-from-eu.orders")["metadata"].empty());
  CHECK(json::parse(std::ifstream(report))["tables"][0]["metadataItems"].is_null());
}
