// The issue's "Must show": over HTTP only, create a project (Manage API), a bucket, upload CSV
// through files/prepare + a signed S3 PUT, create a table with a primary key, import
// incrementally (upsert and append), export with changedSince, and download sliced and plain,
// gzipped and not, getting back exactly the expected rows.
#include <catch2/catch.hpp>

#include "emulator_test_support.hpp"
#include "s3_test_server.hpp"

using namespace kbc::test;
using nlohmann::json;

namespace {

struct ManagedProject {
  EmulatorProcess emulator;
  StorageTestClient client;
};

std::string create_project_token(const EmulatorProcess& emulator) {
  auto base = emulator.url("us-east-1");
  auto project = manage_post(base, "manage-secret", "/manage/organizations/7/projects", {{"name", "Roundtrip"}});
  REQUIRE(project.status == 201);
  auto project_id = project.json().at("id").get<std::int64_t>();
  CHECK(project.json().at("region") == "us-east-1");
  auto token = manage_post(base, "manage-secret", "/manage/projects/" + std::to_string(project_id) + "/tokens",
                           {{"description", "roundtrip"}, {"canManageBuckets", true}});
  REQUIRE(token.status == 201);
  return token.json().at("token").get<std::string>();
}

std::string generated_rows(int from, int to) {
  std::string csv;
  for (int i = from; i <= to; ++i) csv += std::to_string(i) + ",name " + std::to_string(i) + "," + std::to_string(i * 10) + "\n";
  return csv;
}

std::string exported_rows(int from, int to) {
  std::string csv;
  for (int i = from; i <= to; ++i) {
    csv += "\"" + std::to_string(i) + "\",\"name " + std::to_string(i) + "\",\"" + std::to_string(i * 10) + "\"\n";
  }
  return csv;
}

}  // namespace

TEST_CASE("a project made over HTTP alone round-trips rows through upsert and append imports and changedSince exports") {
  EmulatorProcess emulator({{}, {"--manage-token", "manage-secret", "--faults", "--slice-size", "300", "--job-delay-ms", "5"}});
  StorageTestClient client(emulator.url("us-east-1"), create_project_token(emulator), emulator.s3_url());

  auto bucket = client.post_json("/v2/storage/buckets", {{"name", "roundtrip"}, {"stage", "in"}});
  REQUIRE(bucket.status == 201);
  CHECK(bucket.json().at("id") == "in.c-roundtrip");

  auto created_file = client.upload_file("items.csv", "id,name,amount\n1,alpha,10\n2,beta,20\n3,\"gam,ma\",30\n");
  auto create = client.run_job("/v2/storage/buckets/in.c-roundtrip/tables-async",
                               {{"name", "items"}, {"dataFileId", created_file}, {"primaryKey", "id"}});
  REQUIRE(create.at("status") == "success");
  CHECK(create.at("operationName") == "tableCreate");
  CHECK(create.at("results").at("id") == "in.c-roundtrip.items");

  auto detail = client.get("/v2/storage/tables/in.c-roundtrip.items").json();
  CHECK(detail.at("columns") == json::array({"id", "name", "amount"}));
  CHECK(detail.at("primaryKey") == json::array({"id"}));
  CHECK(detail.at("rowsCount") == 3);

  // An hour later: an incremental upsert (row 1 unchanged, row 2 changed, row 4 new).
  REQUIRE(http_request("POST", emulator.url("us-east-1") + "/_emulator/clock", R"({"advanceSeconds":3600})",
                       {"Content-Type: application/json"}).status == 200);
  auto upsert_file = client.upload_file("upsert.csv", "id,name,amount\n1,alpha,10\n2,beta,25\n4,delta,40\n");
  auto upsert = client.run_job("/v2/storage/tables/in.c-roundtrip.items/import-async",
                               {{"dataFileId", upsert_file}, {"incremental", true}});
  REQUIRE(upsert.at("status") == "success");
  CHECK(upsert.at("results").at("totalRowsCount") == 4);
  CHECK(upsert.at("results").at("importedColumns") == json::array({"id", "name", "amount"}));

  SECTION("changedSince returns only the rows the upsert changed, without a header") {
    auto changed = client.export_table("in.c-roundtrip.items", {{"changedSince", "-10 minutes"}});
    CHECK(changed == "\"2\",\"beta\",\"25\"\n\"4\",\"delta\",\"40\"\n");
    auto everything = client.export_table("in.c-roundtrip.items", {{"columns", "id,name"}});
    CHECK(everything == "\"1\",\"alpha\"\n\"2\",\"beta\"\n\"3\",\"gam,ma\"\n\"4\",\"delta\"\n");
  }

  SECTION("incremental without a primary key appends, a full load replaces") {
    auto log_file = client.upload_file("log.csv", "event,value\nclick,1\nview,2\n");
    REQUIRE(client.run_job("/v2/storage/buckets/in.c-roundtrip/tables-async", {{"name", "log"}, {"dataFileId", log_file}})
                .at("status") == "success");
    // Form fields and 0/1 booleans, as the Python client sends them.
    auto append = client.post_form("/v2/storage/tables/in.c-roundtrip.log/import-async",
                                   {{"dataFileId", std::to_string(log_file)}, {"incremental", "1"}});
    REQUIRE(append.status == 202);
    CHECK(client.wait_for_job(append.json()).at("results").at("totalRowsCount") == 4);
    CHECK(sorted_lines(client.export_table("in.c-roundtrip.log")) ==
          std::vector<std::string>{"\"click\",\"1\"", "\"click\",\"1\"", "\"view\",\"2\"", "\"view\",\"2\""});

    auto replace_file = client.upload_file("replace.csv", "event,value\nbuy,3\n");
    REQUIRE(client.run_job("/v2/storage/tables/in.c-roundtrip.log/import-async",
                           {{"dataFileId", replace_file}, {"incremental", false}}).at("status") == "success");
    CHECK(client.export_table("in.c-roundtrip.log") == "\"buy\",\"3\"\n");
  }

  SECTION("large exports come sliced; gzip exports are gzip streams; both download to the same rows") {
    auto more = client.upload_file("more.csv.gz", gzip_compress("id,name,amount\n" + generated_rows(5, 60)));
    REQUIRE(client.run_job("/v2/storage/tables/in.c-roundtrip.items/import-async",
                           {{"dataFileId", more}, {"incremental", true}}).at("status") == "success");
    auto expected = "\"1\",\"alpha\",\"10\"\n\"2\",\"beta\",\"25\"\n\"3\",\"gam,ma\",\"30\"\n\"4\",\"delta\",\"40\"\n" +
                    exported_rows(5, 60);
    for (bool gzip : {false, true}) {
      auto job = client.run_job("/v2/storage/tables/in.c-roundtrip.items/export-async", {{"gzip", gzip}});
      REQUIRE(job.at("status") == "success");
      auto file_id = job.at("results").at("file").at("id").get<std::int64_t>();
      auto file = client.get("/v2/storage/files/" + std::to_string(file_id) + "?federationToken=1").json();
      CHECK(file.at("isSliced") == true);
      CHECK(file.at("provider") == "aws");
      auto manifest = http_request("GET", file.at("url").get<std::string>());
      REQUIRE(manifest.status == 200);
      auto entries = json::parse(manifest.body).at("entries");
      CHECK(entries.size() > 1);
      CHECK(client.download_file(file_id) == expected);
      // Each slice's ETag is the MD5 of its bytes (computed while the job wrote it), as S3's
      // for an object written in one request.
      const auto credentials = S3Credentials::from_json(file.at("credentials"));
      const std::string prefix = "s3://" + file.at("s3Path").at("bucket").get<std::string>() + "/";
      for (const auto& entry : entries) {
        const auto key = entry.at("url").get<std::string>().substr(prefix.size());
        auto slice = s3_get(emulator.s3_url(), file.at("region").get<std::string>(), credentials,
                            file.at("s3Path").at("bucket").get<std::string>(), key);
        REQUIRE(slice.status == 200);
        CHECK(slice.headers["etag"] == "\"" + s3::md5_hex(slice.body) + "\"");
      }
    }
    // The small filtered export stays a single plain object.
    auto job = client.run_job("/v2/storage/tables/in.c-roundtrip.items/export-async",
                              {{"whereColumn", "id"}, {"whereValues", {"3"}}, {"gzip", true}});
    auto file_id = job.at("results").at("file").at("id").get<std::int64_t>();
    auto file = client.get("/v2/storage/files/" + std::to_string(file_id) + "?federationToken=1").json();
    CHECK(file.at("isSliced") == false);
    auto signed_download = http_request("GET", file.at("url").get<std::string>());
    REQUIRE(signed_download.status == 200);
    CHECK(gzip_decompress(signed_download.body) == "\"3\",\"gam,ma\",\"30\"\n");
    CHECK(signed_download.headers["etag"] == "\"" + s3::md5_hex(signed_download.body) + "\"");
  }

  SECTION("a sliced upload imports with columns[]; a missing column fails the job like the real API") {
    auto sliced = client.upload_sliced_file("slices.csv", {"70,seventy,700\n71,\"multi\nline\",710\n", "72,\"say \"\"hi\"\"\",720\n"});
    auto import = client.run_job("/v2/storage/tables/in.c-roundtrip.items/import-async",
                                 {{"dataFileId", sliced}, {"incremental", true}, {"columns", {"id", "name", "amount"}}});
    REQUIRE(import.at("status") == "success");
    CHECK(client.export_table("in.c-roundtrip.items", {{"whereFilters", {{{"column", "id"}, {"operator", "ge"}, {"values", {"70"}}, {"dataType", "INTEGER"}}}}}) ==
          "\"70\",\"seventy\",\"700\"\n\"71\",\"multi\nline\",\"710\"\n\"72\",\"say \"\"hi\"\"\",\"720\"\n");

    auto partial = client.upload_file("partial.csv", "id,name\n9,nine\n");
    auto failed = client.run_job("/v2/storage/tables/in.c-roundtrip.items/import-async", {{"dataFileId", partial}, {"incremental", true}});
    CHECK(failed.at("status") == "error");
    CHECK(failed.at("error").at("code") == "csvImport.columnsNotMatch");
    CHECK(client.get("/v2/storage/tables/in.c-roundtrip.items").json().at("rowsCount") == 7);

    auto broken = client.upload_file("broken.csv", "id,name,amount\n10,\"never closed,1\n");
    auto invalid = client.run_job("/v2/storage/tables/in.c-roundtrip.items/import-async", {{"dataFileId", broken}, {"incremental", true}});
    CHECK(invalid.at("error").at("code") == "invalidCsv");
    CHECK(client.get("/v2/storage/tables/in.c-roundtrip.items").json().at("rowsCount") == 7);
  }
}
