// Adding and deleting a table column as keboola/storage-api-php-client calls and expects it:
// `src/Keboola/StorageApi/Client.php` addTableColumn (POST tables/{id}/columns, JSON {name})
// and deleteTableColumn (DELETE tables/{id}/columns/{name}?force=…), both waiting for the 202
// job they get (`apiary.apib` "Add Column to Table": tableColumnAdd, operationParams {name};
// "Delete Column from Table": tableColumnDelete, {name, force}), and
// `tests/Backend/CommonPart1/AlterTableTest.php`: the new column comes last, names are
// webalized, an existing name in any case is storage.tables.columnAlreadyExists, an empty or
// 65-character one storage.tables.invalidColumnName, a primary-key column cannot be deleted
// (storage.tables.cannotDeletePrimaryKeyColumn), nor the last column.
#include <catch2/catch.hpp>

#include "emulator_test_support.hpp"

using namespace kbc::test;
using nlohmann::json;

namespace {

struct Columns {
  TempDir dir;
  EmulatorProcess emulator{{write_seed(dir, two_region_seed()), {"--job-delay-ms", "5"}}};
  StorageTestClient master{emulator.url("eu-central-1"), kMasterEu, emulator.s3_url()};

  json add(const std::string& table, const std::string& name) const {
    return master.run_job("/v2/storage/tables/" + table + "/columns", {{"name", name}});
  }
  json columns(const std::string& table) const { return master.get("/v2/storage/tables/" + table).json().at("columns"); }
  json drop(const std::string& table, const std::string& column, const std::string& query = "") const {
    auto answer = master.del("/v2/storage/tables/" + table + "/columns/" + column + query);
    REQUIRE(answer.status == 202);
    return master.wait_for_job(answer.json());
  }
};

const std::string kOrders = "in.c-sales.orders";

}  // namespace

TEST_CASE("an added column answers a tableColumnAdd job and comes last in the table, empty in every row") {
  Columns s;
  auto started = s.master.post_json("/v2/storage/tables/" + kOrders + "/columns", {{"name", "State"}});
  REQUIRE(started.status == 202);
  CHECK(started.json().at("operationName") == "tableColumnAdd");
  CHECK(started.json().at("operationParams") == json{{"name", "State"}});
  CHECK(started.json().at("tableId") == kOrders);
  CHECK(s.master.wait_for_job(started.json()).at("status") == "success");
  CHECK(s.columns(kOrders) == json::array({"id", "customer", "amount", "State"}));
  CHECK(lines_of(s.master.get("/v2/storage/tables/" + kOrders + "/data-preview?limit=1").body) ==
        std::vector<std::string>{"\"id\",\"customer\",\"amount\",\"State\"", "\"1\",\"alice\",\"10.50\",\"\""});
  // The form the Python client would send works as well, with the trailing slash of the apiary.
  auto form = s.master.post_form("/v2/storage/tables/" + kOrders + "/columns/", {{"name", "zip"}});
  REQUIRE(form.status == 202);
  CHECK(s.master.wait_for_job(form.json()).at("status") == "success");
  CHECK(s.columns(kOrders).back() == "zip");
}

TEST_CASE("added column names are webalized as AlterTableTest's provider lists") {
  Columns s;
  CHECK(s.add(kOrders, "_abc-def----ghi_").at("status") == "success");
  CHECK(s.add(kOrders, "žluťoučký    kůň").at("status") == "success");
  CHECK(s.add(kOrders, "lot__of_____underscores____").at("status") == "success");
  CHECK(s.columns(kOrders) ==
        json::array({"id", "customer", "amount", "abc_def_ghi", "zlutoucky_kun", "lot__of_____underscores"}));
}

TEST_CASE("adding an existing, empty or too long column name is refused with the API's codes") {
  Columns s;
  auto post = [&](const json& body) { return s.master.post_json("/v2/storage/tables/" + kOrders + "/columns", body); };
  auto existing = post({{"name", "ID"}});
  CHECK(existing.status == 400);
  CHECK(existing.json().at("code") == "storage.tables.columnAlreadyExists");
  CHECK(post({{"name", "customer"}}).json().at("code") == "storage.tables.columnAlreadyExists");
  for (const auto& name : {std::string(65, 'x'), std::string(), std::string("---")}) {
    auto invalid = post({{"name", name}});
    CHECK(invalid.status == 400);
    CHECK(invalid.json().at("code") == "storage.tables.invalidColumnName");
  }
  CHECK(post(json::object()).status == 400);
  CHECK(s.columns(kOrders) == json::array({"id", "customer", "amount"}));
  StorageTestClient reader(s.emulator.url("eu-central-1"), kReadSalesEu);
  CHECK(reader.post_json("/v2/storage/tables/" + kOrders + "/columns", {{"name", "x"}}).status == 403);
  CHECK(post({{"name", "x"}}).status == 202);
}

TEST_CASE("a deleted column answers a tableColumnDelete job and leaves the table with its data and metadata") {
  Columns s;
  REQUIRE(s.master
              .post_json("/v2/storage/columns/" + kOrders + ".customer/metadata",
                         {{"provider", "test"}, {"metadata", {{{"key", "k"}, {"value", "v"}}}}})
              .status == 201);
  auto answer = s.master.del("/v2/storage/tables/" + kOrders + "/columns/customer");
  REQUIRE(answer.status == 202);
  CHECK(answer.json().at("operationName") == "tableColumnDelete");
  CHECK(answer.json().at("operationParams") == json{{"name", "customer"}, {"force", false}});
  CHECK(s.master.wait_for_job(answer.json()).at("status") == "success");
  CHECK(s.columns(kOrders) == json::array({"id", "amount"}));
  CHECK(s.master.get("/v2/storage/tables/" + kOrders + "/data-preview").body ==
        "\"id\",\"amount\"\n\"1\",\"10.50\"\n\"2\",\"20.00\"\n\"3\",\"30\"\n");
  CHECK(s.master.get("/v2/storage/tables/" + kOrders).json().at("columnMetadata") == json::array());
  // Added again, the column is a new one: empty, without the old metadata.
  CHECK(s.add(kOrders, "customer").at("status") == "success");
  CHECK(s.master.get("/v2/storage/columns/" + kOrders + ".customer/metadata").json() == json::array());
  CHECK(s.drop(kOrders, "customer", "?force=1").at("operationParams").at("force") == true);
}

TEST_CASE("a primary-key column, the last column and an unknown column cannot be deleted") {
  Columns s;
  auto primary = s.master.del("/v2/storage/tables/" + kOrders + "/columns/id");
  CHECK(primary.status == 400);
  CHECK(primary.json().at("code") == "storage.tables.cannotDeletePrimaryKeyColumn");
  auto unknown = s.master.del("/v2/storage/tables/" + kOrders + "/columns/nope");
  CHECK(unknown.status == 404);
  CHECK(unknown.json().at("code") == "storage.columns.notFound");
  CHECK(s.drop("in.c-other.secret", "value").at("status") == "success");
  auto last = s.master.del("/v2/storage/tables/in.c-other.secret/columns/id");
  CHECK(last.status == 400);
  CHECK(last.json().at("code") == "storage.tables.cannotDeleteLastColumn");
  CHECK(s.columns("in.c-other.secret") == json::array({"id"}));
  StorageTestClient reader(s.emulator.url("eu-central-1"), kReadSalesEu);
  CHECK(reader.del("/v2/storage/tables/" + kOrders + "/columns/amount").status == 403);
  CHECK(s.columns(kOrders) == json::array({"id", "customer", "amount"}));
}
