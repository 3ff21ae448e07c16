// Table and column metadata as the public clients use them: keboola/sapi-python-client
// `kbcstorage/tables_metadata.py` (list; create posts JSON {provider, metadata, columnsMetadata}),
// keboola/keboola-sdk-go `pkg/keboola/storage_table_metadata.go` (columnsMetadata grouped under any
// key with columnName in each item; the answer {metadata, columnsMetadata}) and
// keboola/storage-api-php-client `apiary.apib` "Table Metadata" / "Column Metadata" (items
// {id, key, value, provider, timestamp}; an existing provider+key is updated; delete answers 204).
#include <catch2/catch.hpp>

#include "emulator_test_support.hpp"

using namespace kbc::test;
using nlohmann::json;

namespace {

struct Seeded {
  TempDir dir;
  EmulatorProcess emulator{{write_seed(dir, two_region_seed()), {}}};
  StorageTestClient master{emulator.url("eu-central-1"), kMasterEu};
};

const std::string kTable = "/v2/storage/tables/in.c-sales.orders";

}  // namespace

TEST_CASE("table and column metadata posted as JSON are answered, listed and shown in the table detail") {
  Seeded s;
  auto posted = s.master.post_json(
      kTable + "/metadata",
      {{"provider", "test-component"},
       {"metadata", {{{"key", "KBC.description"}, {"value", "Orders"}}}},
       {"columnsMetadata", {{"all", {{{"columnName", "amount"}, {"key", "KBC.datatype.type"}, {"value", "NUMERIC"}}}}}}});
  REQUIRE(posted.status == 201);
  auto body = posted.json();
  REQUIRE(body.at("metadata").size() == 1);
  const auto& item = body.at("metadata")[0];
  CHECK(item.at("id").is_string());
  CHECK(item.at("key") == "KBC.description");
  CHECK(item.at("value") == "Orders");
  CHECK(item.at("provider") == "test-component");
  CHECK(item.at("timestamp").is_string());
  REQUIRE(body.at("columnsMetadata").at("amount").size() == 1);
  CHECK(body.at("columnsMetadata").at("amount")[0].at("value") == "NUMERIC");

  CHECK(s.master.get(kTable + "/metadata").json() == body.at("metadata"));
  CHECK(s.master.get("/v2/storage/columns/in.c-sales.orders.amount/metadata").json() ==
        body.at("columnsMetadata").at("amount"));
  auto detail = s.master.get(kTable).json();
  CHECK(detail.at("metadata") == body.at("metadata"));
  CHECK(detail.at("columnMetadata") == body.at("columnsMetadata"));
}

TEST_CASE("posting an existing provider and key updates the value; another provider adds an item") {
  Seeded s;
  auto post = [&](const std::string& provider, const std::string& value) {
    return s.master.post_json(kTable + "/metadata",
                              {{"provider", provider}, {"metadata", {{{"key", "k"}, {"value", value}}}}});
  };
  auto first = post("p1", "one").json().at("metadata")[0];
  auto updated = post("p1", "two").json().at("metadata");
  REQUIRE(updated.size() == 1);
  CHECK(updated[0].at("id") == first.at("id"));
  CHECK(updated[0].at("value") == "two");
  CHECK(post("p2", "three").json().at("metadata").size() == 2);
}

TEST_CASE("column metadata is set on its own route and items are deleted by id") {
  Seeded s;
  auto column = std::string("/v2/storage/columns/in.c-sales.orders.id/metadata");
  auto posted = s.master.post_json(column, {{"provider", "user"}, {"metadata", {{{"key", "a"}, {"value", "1"}}}}});
  REQUIRE(posted.status == 201);
  REQUIRE(posted.json().is_array());
  auto id = posted.json()[0].at("id").get<std::string>();
  CHECK(s.master.get(kTable).json().at("columnMetadata").at("id").size() == 1);

  auto wrong_object = s.master.del(kTable + "/metadata/" + id);
  CHECK(wrong_object.status == 404);
  CHECK(wrong_object.json().at("code") == "storage.metadata.notFound");
  CHECK(s.master.del(column + "/" + id).status == 204);
  CHECK(s.master.get(column).json() == json::array());
  CHECK(s.master.get(kTable).json().at("columnMetadata") == json::array());
  CHECK(s.master.del(column + "/" + id).json().at("code") == "storage.metadata.notFound");

  auto table_item = s.master.post_json(kTable + "/metadata", {{"provider", "user"}, {"metadata", {{{"key", "t"}, {"value", "x"}}}}});
  auto table_id = table_item.json().at("metadata")[0].at("id").get<std::string>();
  CHECK(s.master.del(kTable + "/metadata/" + table_id).status == 204);
  CHECK(s.master.get(kTable + "/metadata").json() == json::array());
}

TEST_CASE("the deprecated form post answers the table's items as an array") {
  Seeded s;
  auto posted = s.master.post_form(kTable + "/metadata",
                                   {{"provider", "test-component"}, {"metadata[0][key]", "some-key"},
                                    {"metadata[0][value]", "Some value"}});
  REQUIRE(posted.status == 201);
  REQUIRE(posted.json().is_array());
  CHECK(posted.json()[0].at("key") == "some-key");
}

TEST_CASE("metadata errors have the Storage API's status and code") {
  Seeded s;
  CHECK(s.master.get("/v2/storage/tables/in.c-sales.nothing/metadata").json().at("code") == "storage.tables.notFound");
  CHECK(s.master.get("/v2/storage/columns/in.c-sales.orders.nope/metadata").json().at("code") ==
        "storage.columns.notFound");
  CHECK(s.master.get("/v2/storage/columns/nodots/metadata").status == 400);
  auto no_provider = s.master.post_json(kTable + "/metadata", {{"metadata", {{{"key", "k"}, {"value", "v"}}}}});
  CHECK(no_provider.status == 400);
  auto bad_column = s.master.post_json(
      kTable + "/metadata", {{"provider", "p"}, {"columnsMetadata", {{"nope", {{{"key", "k"}, {"value", "v"}}}}}}});
  CHECK(bad_column.status == 404);
  CHECK(bad_column.json().at("code") == "storage.columns.notFound");
  StorageTestClient reader(s.emulator.url("eu-central-1"), kReadSalesEu);
  CHECK(reader.get(kTable + "/metadata").status == 200);
  CHECK(reader.post_json(kTable + "/metadata", {{"provider", "p"}, {"metadata", {{{"key", "k"}, {"value", "v"}}}}})
            .status == 403);
}

TEST_CASE("a table created again under a dropped table's id starts without its metadata") {
  TempDir dir;
  EmulatorProcess emulator({write_seed(dir, two_region_seed()), {"--job-delay-ms", "5"}});
  StorageTestClient master(emulator.url("eu-central-1"), kMasterEu, emulator.s3_url());
  REQUIRE(master.post_json(kTable + "/metadata", {{"provider", "p"}, {"metadata", {{{"key", "k"}, {"value", "v"}}}}})
              .status == 201);
  REQUIRE(master.post_json("/v2/storage/columns/in.c-sales.orders.id/metadata",
                           {{"provider", "p"}, {"metadata", {{{"key", "k"}, {"value", "v"}}}}})
              .status == 201);
  REQUIRE(master.del(kTable).status == 204);
  auto file = master.upload_file("orders.csv", "id\n1\n");
  REQUIRE(master.run_job("/v2/storage/buckets/in.c-sales/tables-async", {{"name", "orders"}, {"dataFileId", file}})
              .at("status") == "success");
  auto detail = master.get(kTable).json();
  CHECK(detail.at("metadata") == json::array());
  CHECK(detail.at("columnMetadata") == json::array());
}
