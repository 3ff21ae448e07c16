// GET /v2/storage/tables/{id}/data-preview as the public clients read it:
// keboola/storage-api-php-client `src/Keboola/StorageApi/Client.php` getTableDataPreview (the
// export options as a query string), `tests/Backend/CommonPart1/DataPreviewLimitsTest.php`
// (default 100 rows, limit, limit over 1000 is 400 storage.tables.validation naming 1000,
// format=json columns/rows), `tests/Backend/CommonPart2/DataPreviewFilterTest.php` (whereFilters)
// and `apiary.apib` "Data Preview" (RFC CSV with a quoted header row).
#include <catch2/catch.hpp>

#include "emulator_test_support.hpp"

using namespace kbc::test;
using nlohmann::json;

namespace {

struct Preview {
  TempDir dir;
  EmulatorProcess emulator{{write_seed(dir, two_region_seed()), {"--job-delay-ms", "5"}}};
  StorageTestClient master{emulator.url("eu-central-1"), kMasterEu, emulator.s3_url()};
  HttpResponse get(const std::string& query, const std::string& table = "in.c-sales.orders") const {
    return master.get("/v2/storage/tables/" + table + "/data-preview" + query);
  }
};

}  // namespace

TEST_CASE("data preview answers RFC CSV with a header row") {
  Preview s;
  auto preview = s.get("");
  REQUIRE(preview.status == 200);
  CHECK(preview.headers["content-type"].find("text/csv") == 0);
  CHECK(preview.body ==
        "\"id\",\"customer\",\"amount\"\n\"1\",\"alice\",\"10.50\"\n\"2\",\"bob\",\"20.00\"\n"
        "\"3\",\"carol, \"\"c\"\"\",\"30\"\n");
  CHECK(s.master.get("/v2/storage/tables/in.c-sales.orders/data-preview/").body == preview.body);
}

TEST_CASE("data preview limits rows: 100 by default, the limit given, at most 1000") {
  Preview s;
  std::string csv = "n\n";
  for (int i = 0; i < 150; ++i) csv += std::to_string(i) + "\n";
  auto file = s.master.upload_file("many.csv", csv);
  REQUIRE(s.master.run_job("/v2/storage/buckets/in.c-sales/tables-async", {{"name", "many"}, {"dataFileId", file}})
              .at("status") == "success");
  CHECK(lines_of(s.get("", "in.c-sales.many").body).size() == 101);
  CHECK(lines_of(s.get("?limit=2", "in.c-sales.many").body) == std::vector<std::string>{"\"n\"", "\"0\"", "\"1\""});
  CHECK(lines_of(s.get("?limit=1000", "in.c-sales.many").body).size() == 151);
  auto too_many = s.get("?limit=1001", "in.c-sales.many");
  CHECK(too_many.status == 400);
  CHECK(too_many.json().at("code") == "storage.tables.validation");
  CHECK(too_many.json().at("error").get<std::string>().find("1000") != std::string::npos);
}

TEST_CASE("data preview selects columns and filters rows as export-async does") {
  Preview s;
  CHECK(s.get("?columns=customer,id&whereColumn=customer&whereValues%5B0%5D=bob").body ==
        "\"customer\",\"id\"\n\"bob\",\"2\"\n");
  CHECK(lines_of(s.get("?whereColumn=customer&whereValues%5B0%5D=bob&whereOperator=ne").body).size() == 3);
  CHECK(lines_of(s.get("?whereFilters%5B0%5D%5Bcolumn%5D=amount&whereFilters%5B0%5D%5Boperator%5D=ge"
                       "&whereFilters%5B0%5D%5Bvalues%5D%5B0%5D=20&whereFilters%5B0%5D%5BdataType%5D=DOUBLE")
                     .body)
            .size() == 3);
  CHECK(lines_of(s.get("?changedSince=4102444800").body) == std::vector<std::string>{"\"id\",\"customer\",\"amount\""});
  CHECK(lines_of(s.get("?changedSince=-1%20day").body).size() == 4);
}

TEST_CASE("data preview in JSON names each value's column") {
  Preview s;
  auto preview = s.get("?format=json&limit=1");
  REQUIRE(preview.status == 200);
  auto body = preview.json();
  CHECK(body.at("columns") == json::array({"id", "customer", "amount"}));
  REQUIRE(body.at("rows").size() == 1);
  CHECK(body.at("rows")[0][1] == json{{"columnName", "customer"}, {"value", "alice"}, {"isTruncated", false}});
}

TEST_CASE("data preview errors have the Storage API's status and code") {
  Preview s;
  auto missing = s.get("", "in.c-sales.nothing");
  CHECK(missing.status == 404);
  CHECK(missing.json().at("code") == "storage.tables.notFound");
  auto malformed = s.get("", "nodots");
  CHECK(malformed.status == 400);
  CHECK(malformed.json().at("code") == "storage.tables.validation.invalidId");
  auto column = s.get("?columns=nope");
  CHECK(column.status == 400);
  CHECK(column.json().at("code") == "storage.tables.columnNotFound");
  auto op = s.get("?whereColumn=id&whereValues%5B0%5D=1&whereOperator=like");
  CHECK(op.status == 400);
  StorageTestClient reader(s.emulator.url("eu-central-1"), kReadSalesEu);
  CHECK(reader.get("/v2/storage/tables/in.c-other.secret/data-preview").status == 403);
  CHECK(reader.get("/v2/storage/tables/in.c-sales.orders/data-preview").status == 200);
}
