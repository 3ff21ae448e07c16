// Deleting table rows as keboola/storage-api-php-client calls and expects it:
// `src/Keboola/StorageApi/Client.php` deleteTableRows (DELETE tables/{id}/rows with a JSON body of
// changedSince, changedUntil, whereColumn, whereOperator, whereValues, whereFilters,
// allowTruncate) and deleteTableRowsAsQuery (the same as a query string), waiting for the 202
// job (`apiary.apib` "Delete Table Rows": tableRowsDelete); `tests/Backend/CommonPart1/DeleteRowsTest.php`:
// its users.csv, the rows each filter leaves, and the errors for no filter without allowTruncate,
// whereColumn without whereValues and a filter on a column that does not exist.
#include <catch2/catch.hpp>

#include <ctime>

#include "emulator_test_support.hpp"

using namespace kbc::test;
using nlohmann::json;

namespace {

nlohmann::json users_seed() {
  auto seed = two_region_seed();
  seed["projects"][0]["buckets"][0]["tables"].push_back(
      {{"name", "users"},
       {"csv", "id,name,city,sex\n1,martin,PRG,male\n2,klara,PRG,female\n3,ondra,VAN,male\n4,miro,BRA,male\n5,hidden,,male\n"}});
  return seed;
}

struct Rows {
  TempDir dir;
  EmulatorProcess emulator{{write_seed(dir, users_seed()), {"--job-delay-ms", "5"}}};
  StorageTestClient master{emulator.url("eu-central-1"), kMasterEu, emulator.s3_url()};
  const std::string path = "/v2/storage/tables/in.c-sales.users/rows";

  // deleteTableRows: DELETE with a JSON body.
  HttpResponse del_json(const json& body) const {
    return http_request("DELETE", master.base_url() + path, body.dump(),
                        {"X-StorageApi-Token: " + master.token(), "Content-Type: application/json"});
  }
  json run(const json& body) const {
    auto answer = del_json(body);
    REQUIRE(answer.status == 202);
    return master.wait_for_job(answer.json());
  }
  // The ids of the rows left, in order.
  std::vector<std::string> ids() const {
    std::vector<std::string> out;
    auto lines = lines_of(master.get("/v2/storage/tables/in.c-sales.users/data-preview").body);
    for (std::size_t i = 1; i < lines.size(); ++i) out.push_back(lines[i].substr(1, lines[i].find('"', 1) - 1));
    return out;
  }
};

using Ids = std::vector<std::string>;

}  // namespace

TEST_CASE("deleting rows answers a tableRowsDelete job that deletes the rows matching DeleteRowsTest's filters") {
  Rows s;
  SECTION("deprecated where: col = value") {
    auto job = s.run({{"whereColumn", "city"}, {"whereValues", {"PRG"}}});
    CHECK(job.at("operationName") == "tableRowsDelete");
    CHECK(job.at("status") == "success");
    CHECK(job.at("results").at("deletedRows") == 2);
    CHECK(job.at("operationParams").at("request").at("whereFilters") ==
          json::array({{{"column", "city"}, {"values", {"PRG"}}, {"operator", "eq"}}}));
    CHECK(s.ids() == Ids{"3", "4", "5"});
    CHECK(s.master.get("/v2/storage/tables/in.c-sales.users").json().at("rowsCount") == 3);
  }
  SECTION("deprecated where: col != value") {
    s.run({{"whereOperator", "ne"}, {"whereColumn", "city"}, {"whereValues", {"PRG"}}});
    CHECK(s.ids() == Ids{"1", "2"});
  }
  SECTION("deprecated where: col not in values") {
    s.run({{"whereOperator", "ne"}, {"whereColumn", "city"}, {"whereValues", {"PRG", "BRA"}}});
    CHECK(s.ids() == Ids{"1", "2", "4"});
  }
  SECTION("where filters: every filter must match") {
    s.run({{"whereFilters", {{{"column", "city"}, {"values", {"PRG", "VAN"}}}, {{"column", "sex"}, {"values", {"male"}}}}}});
    CHECK(s.ids() == Ids{"2", "4", "5"});
  }
  SECTION("changedSince a day ago deletes everything, tomorrow nothing") {
    auto tomorrow = std::to_string(std::time(nullptr) + 86400);
    CHECK(s.run({{"changedSince", tomorrow}}).at("results").at("deletedRows") == 0);
    CHECK(s.ids().size() == 5);
    s.run({{"changedSince", "-1 day"}});
    CHECK(s.ids().empty());
  }
  SECTION("no filter with allowTruncate deletes every row") {
    CHECK(s.run({{"allowTruncate", true}}).at("results").at("deletedRows") == 5);
    CHECK(s.ids().empty());
    CHECK(s.master.get("/v2/storage/tables/in.c-sales.users").json().at("columns").size() == 4);
  }
  SECTION("deleteTableRowsAsQuery: the filters as a query string") {
    auto answer = s.master.del(s.path + "?whereColumn=city&whereValues%5B0%5D=PRG&whereOperator=ne");
    REQUIRE(answer.status == 202);
    CHECK(s.master.wait_for_job(answer.json()).at("status") == "success");
    CHECK(s.ids() == Ids{"1", "2"});
  }
}

TEST_CASE("deleting rows without a filter, with whereColumn alone or on an unknown column is refused") {
  Rows s;
  auto truncate = s.del_json(json::object());
  CHECK(truncate.status == 400);
  CHECK(truncate.json().at("code") == "storage.tables.validation.unintendedTruncation");
  CHECK(truncate.json().at("error") ==
        "No filters have been specified, which will truncate the table, but the `allowTruncate` parameter was not set.");
  CHECK(s.master.del(s.path).json().at("code") == "storage.tables.validation.unintendedTruncation");
  auto alone = s.del_json({{"whereColumn", "city"}});
  CHECK(alone.status == 400);
  CHECK(alone.json().at("code") == "validation.failed");
  CHECK(alone.json().at("error") == "Invalid request:\n - whereColumn: \"To use \"whereColumn\" specify \"whereValues\".\"");
  auto unknown = s.del_json({{"whereFilters", {{{"column", "notExistingColumn"}, {"values", {"PRG"}}}}}});
  CHECK(unknown.status == 400);
  CHECK(unknown.json().at("code") == "storage.tables.columnNotExists");
  CHECK(unknown.json().at("error") == "Cannot filter by column \"notExistingColumn\", column does not exist");
  StorageTestClient reader(s.emulator.url("eu-central-1"), kReadSalesEu);
  CHECK(reader.del(s.path + "?allowTruncate=1").status == 403);
  CHECK(s.ids().size() == 5);
}
