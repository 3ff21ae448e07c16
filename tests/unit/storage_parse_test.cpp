#include <catch2/catch.hpp>

#include "kbc_storage_extract/transfer/object_store.hpp"

#include "kbc_storage_extract/storage_api/client.hpp"
#include "kbc_storage_extract/storage_api/parse.hpp"
#include "kbc_storage_extract/decimal.hpp"
#include "kbc_storage_extract/redact.hpp"

using nlohmann::json;
namespace sapi = kbc::storage_api;

TEST_CASE("the API's datetimes parse with any offset form and format back as UTC") {
  const auto t = sapi::parse_api_time("2017-02-13T10:27:50+0100");
  REQUIRE(t);
  CHECK(sapi::format_iso_utc(*t) == "2017-02-13T09:27:50Z");
  CHECK(sapi::parse_api_time("2017-02-13T09:27:50Z") == t);
  CHECK(sapi::parse_api_time("2017-02-13T11:27:50+02:00") == t);
  CHECK(sapi::parse_api_time("2017-02-13 09:27:50.123Z") == t);
  CHECK_FALSE(sapi::parse_api_time("yesterday"));
  CHECK_FALSE(sapi::parse_api_time("2017-13-01T00:00:00Z"));
  // Found by fuzz/values_fuzzer: year 9999 overflowed the nanosecond clock (UB); unreadable now.
  CHECK_FALSE(sapi::parse_api_time("9999-12-31T23:59:59Z"));
  CHECK_FALSE(sapi::parse_api_time("0230-01-01T00:00:00Z"));
  CHECK(sapi::parse_api_time("2200-12-31T23:59:59Z"));
}

TEST_CASE("a tokens/verify answer becomes a TokenInfo") {
  const auto body = json::parse(R"({
    "id": "123", "description": "reader", "isMasterToken": false, "canManageBuckets": false,
    "canManageTokens": false, "isExpired": false, "isDisabled": false, "expires": "2030-01-01T00:00:00+0000",
    "bucketPermissions": {"in.c-main": "read"},
    "owner": {"id": 7, "name": "Sales EU", "region": "eu-central-1", "fileStorageProvider": "aws"}})");
  const auto token = sapi::parse_token_info(body);
  REQUIRE(token);
  CHECK(token->id == "123");
  CHECK(token->bucket_permissions.at("in.c-main") == "read");
  CHECK(token->project_id == "7");
  CHECK(token->project_name == "Sales EU");
  CHECK(token->region == "eu-central-1");
  REQUIRE(token->expires);
  CHECK(sapi::format_iso_utc(*token->expires) == "2030-01-01T00:00:00Z");
  CHECK_FALSE(sapi::parse_token_info(json::parse(R"({"description":"no id"})")));
}

TEST_CASE("a finished export job yields its file id, a failed one its error") {
  auto job = sapi::parse_job(json::parse(
      R"({"id": 991, "status": "success", "operationName": "tableExport", "results": {"file": {"id": 5001}, "cacheHit": false}})"));
  REQUIRE(job);
  CHECK(job->id == "991");
  CHECK(job->finished());
  CHECK(job->file_id == 5001);
  job = sapi::parse_job(json::parse(
      R"({"id": "992", "status": "error", "error": {"message": "Column x missing", "code": "storage.columnsNotMatch", "exceptionId": "exc-1"}})"));
  REQUIRE(job);
  CHECK(job->error_message == "Column x missing");
  CHECK(job->error_code == "storage.columnsNotMatch");
}

TEST_CASE("an S3 file detail gives the bucket, key prefix, credentials and keeps the URL secret") {
  const auto body = json::parse(R"({
    "id": 77, "name": "orders.csv.gz", "isSliced": true, "sizeBytes": 1234, "provider": "aws", "region": "us-east-1",
    "url": "https://s3.example/manifest?X-Amz-Signature=abc", "isEncrypted": true,
    "s3Path": {"bucket": "kbc-files", "key": "exp/77/orders.csv.gz"},
    "credentials": {"AccessKeyId": "AK", "SecretAccessKey": "SK", "SessionToken": "ST", "Expiration": "2030-01-01T00:00:00+0000"}})");
  const auto file = sapi::parse_file_detail(body);
  REQUIRE(file);
  CHECK(file->id == 77);
  CHECK(file->is_sliced);
  CHECK(file->size_bytes == 1234);
  CHECK(file->key == "exp/77/orders.csv.gz");
  CHECK(file->manifest_key() == "exp/77/orders.csv.gzmanifest");
  const auto& aws = std::get<kbc::transfer::AwsAccess>(file->access);
  CHECK(aws.bucket == "kbc-files");
  CHECK(aws.access_key_id == "AK");
  CHECK(aws.secret_access_key.reveal() == "SK");
  CHECK(aws.server_side_encryption);
  CHECK(fmt::format("{}", file->url) == "***");
}

TEST_CASE("a file detail without credentials says federationToken is missing") {
  const auto file = sapi::parse_file_detail(
      json::parse(R"({"id": 1, "provider": "aws", "s3Path": {"bucket": "b", "key": "k"}})"));
  REQUIRE_FALSE(file);
  CHECK(file.error().kind == kbc::ErrorKind::protocol);
  CHECK_THAT(file.error().message, Catch::Contains("federationToken"));
}

TEST_CASE("a sliced file keyed exactly manifest is refused: its slices would be the whole bucket") {
  const auto file = sapi::parse_file_detail(json::parse(R"({"id": 1, "isSliced": true, "provider": "aws",
    "s3Path": {"bucket": "b", "key": "manifest"},
    "credentials": {"AccessKeyId": "AK", "SecretAccessKey": "SK", "SessionToken": "ST"}})"));
  REQUIRE_FALSE(file);
  CHECK(file.error().kind == kbc::ErrorKind::protocol);
  CHECK_THAT(file.error().message, Catch::Contains("\"key\""));
}

TEST_CASE("sizes are digits that fit 64 bits: past 2^64 or with a tail they are refused, not thrown") {
  CHECK(kbc::parse_decimal_u64("18446744073709551615") == UINT64_MAX);
  CHECK_FALSE(kbc::parse_decimal_u64("18446744073709551616"));
  CHECK_FALSE(kbc::parse_decimal_u64("99999999999999999999999"));
  CHECK_FALSE(kbc::parse_decimal_u64(""));
  CHECK_FALSE(kbc::parse_decimal_u64("12abc"));
  CHECK_FALSE(kbc::parse_decimal_u64("-1"));
  const auto file = sapi::parse_file_detail(json::parse(R"({"id": 1, "provider": "aws", "sizeBytes": "18446744073709551616",
    "s3Path": {"bucket": "b", "key": "k"},
    "credentials": {"AccessKeyId": "AK", "SecretAccessKey": "SK", "SessionToken": "ST"}})"));
  REQUIRE_FALSE(file);
  CHECK_THAT(file.error().message, Catch::Contains("sizeBytes"));
}

TEST_CASE("files/prepare gives the upload key and credentials from uploadParams") {
  const auto file = sapi::parse_prepared_file(json::parse(R"({
    "id": 88, "name": "orders.csv.gz", "isSliced": true, "provider": "aws", "region": "eu-central-1",
    "uploadParams": {"bucket": "kbc-dst", "key": "up/88/orders.csv.gz", "acl": "private",
      "credentials": {"AccessKeyId": "AK2", "SecretAccessKey": "SK2", "SessionToken": "ST2", "Expiration": "2030-01-01T00:00:00Z"}}})"));
  REQUIRE(file);
  CHECK(file->key == "up/88/orders.csv.gz");
  const auto& aws = std::get<kbc::transfer::AwsAccess>(file->access);
  CHECK(aws.region == "eu-central-1");
  CHECK(aws.bucket == "kbc-dst");
  CHECK(aws.session_token.reveal() == "ST2");
}

TEST_CASE("a table detail keeps columns, primary key and sizes") {
  const auto table = sapi::parse_table(json::parse(R"({
    "id": "in.c-main.orders", "name": "orders", "columns": ["id", "amount"], "primaryKey": ["id"],
    "rowsCount": 3, "dataSizeBytes": 1024, "lastImportDate": "2026-01-01T00:00:00+0000", "bucket": {"id": "in.c-main"}})"));
  REQUIRE(table);
  CHECK(table->bucket_id == "in.c-main");
  CHECK(table->columns == std::vector<std::string>{"id", "amount"});
  CHECK(table->primary_key == std::vector<std::string>{"id"});
  CHECK(table->rows_count == 3);
}

TEST_CASE("a manifest round-trips: entries become keys in the file's bucket, in order") {
  kbc::transfer::AwsAccess access;
  access.bucket = "kbc-dst";
  auto store = kbc::transfer::open_object_store(access);  // no request: naming objects is local
  REQUIRE(store);
  const auto text = sapi::make_manifest(**store, {"up/1/part0001.gz", "up/1/part0002.gz"});
  CHECK(text == R"({"entries":[{"url":"s3://kbc-dst/up/1/part0001.gz"},{"url":"s3://kbc-dst/up/1/part0002.gz"}]})");
  const auto entries = sapi::parse_manifest(text);
  REQUIRE(entries);
  const auto slices = sapi::slices_of_manifest(**store, "up/1/", *entries);
  REQUIRE(slices);
  REQUIRE(slices->size() == 2);
  CHECK((*slices)[1].key == "up/1/part0002.gz");
  CHECK_FALSE((*slices)[1].content_length);
  CHECK_FALSE(sapi::parse_manifest(R"({"entries":[{"nourl":1}]})"));
  CHECK_FALSE(sapi::parse_manifest("not json"));
}

TEST_CASE("a manifest entry's meta.content_length is kept as the slice's promised size, and one that is no byte count is refused") {
  const auto entries = sapi::parse_manifest(
      R"({"entries":[{"url":"s3://b/p/part0","mandatory":true,"meta":{"content_length":2048,"record_count":10}},{"url":"s3://b/p/part1"}]})");
  REQUIRE(entries);
  REQUIRE(entries->size() == 2);
  CHECK((*entries)[0].content_length == 2048u);
  CHECK_FALSE((*entries)[1].content_length);
  for (const auto* bad : {R"({"entries":[{"url":"s3://b/p/part0","meta":{"content_length":-1}}]})",
                          R"({"entries":[{"url":"s3://b/p/part0","meta":{"content_length":"2048"}}]})",
                          R"({"entries":[{"url":"s3://b/p/part0","meta":{"content_length":1.5}}]})"}) {
    const auto refused = sapi::parse_manifest(bad);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().kind == kbc::ErrorKind::protocol);
    CHECK_THAT(refused.error().message, Catch::Contains("s3://b/p/part0") && Catch::Contains("content_length"));
  }
}

TEST_CASE("a manifest entry outside the file is refused: another bucket, scheme or prefix, or a repeat") {
  kbc::transfer::AwsAccess access;
  access.bucket = "kbc-src";
  auto store = kbc::transfer::open_object_store(access);
  REQUIRE(store);
  const auto entries_of = [](std::vector<std::string> urls) {
    std::vector<sapi::ManifestEntry> entries;
    for (auto& url : urls) entries.push_back({std::move(url), std::nullopt});
    return entries;
  };
  const auto refused = [&](std::vector<std::string> urls) {
    const auto slices = sapi::slices_of_manifest(**store, "exp/7/", entries_of(std::move(urls)));
    return !slices && slices.error().kind == kbc::ErrorKind::integrity;
  };
  CHECK_FALSE(refused({"s3://kbc-src/exp/7/a/part0", "s3://kbc-src/exp/7/b/part0"}));
  CHECK(refused({"s3://other-bucket/exp/7/part0"}));
  CHECK(refused({"gs://kbc-src/exp/7/part0"}));
  CHECK(refused({"s3://kbc-src/exp/8/part0"}));  // another file's slice
  CHECK(refused({"s3://kbc-src/exp/7/"}));       // the prefix itself is no slice
  CHECK(refused({"s3://kbc-src/exp/7/part0", "s3://kbc-src/exp/7/part0"}));
  CHECK(refused({"s3://kbc-src/exp/7/part0", "s3://kbc-src/exp/7/part1", "s3://kbc-src/exp/7/part0"}));
  const auto message = sapi::slices_of_manifest(**store, "exp/7/", entries_of({"s3://x/exp/7/part0"})).error().message;
  CHECK(message.find("s3://x/exp/7/part0") != std::string::npos);
  CHECK(message.find("s3://kbc-src/exp/7/") != std::string::npos);
  const auto twice =
      sapi::slices_of_manifest(**store, "exp/7/", entries_of({"s3://kbc-src/exp/7/p0", "s3://kbc-src/exp/7/p0"})).error();
  CHECK_THAT(twice.message, Catch::Contains("s3://kbc-src/exp/7/p0") && Catch::Contains("listed twice"));
}

TEST_CASE("a GCS file detail gives the bucket, key prefix and bearer token, and a lifetime from expires_in") {
  const auto before = std::chrono::system_clock::now();
  const auto file = sapi::parse_file_detail(json::parse(R"({
    "id": 42, "name": "orders.csv.gz", "isSliced": true, "sizeBytes": 10, "provider": "gcp", "region": "europe-west3",
    "url": "https://storage.googleapis.com/kbc-b/exp/42/manifest?X-Goog-Signature=abc",
    "gcsPath": {"bucket": "kbc-b", "key": "exp/42/"},
    "gcsCredentials": {"access_token": "ya29.secret", "expires_in": 3599, "token_type": "Bearer", "projectId": "kbc-p"}})"));
  REQUIRE(file);
  const auto* gcs = std::get_if<kbc::transfer::GcsAccess>(&file->access);
  REQUIRE(gcs);
  CHECK(gcs->bucket == "kbc-b");
  CHECK(gcs->project_id == "kbc-p");
  CHECK(gcs->access_token.reveal() == "ya29.secret");
  CHECK(gcs->token_type == "Bearer");
  CHECK(gcs->expiration >= before + std::chrono::seconds(3599));
  CHECK(gcs->expiration <= std::chrono::system_clock::now() + std::chrono::seconds(3599));
  CHECK(file->key == "exp/42/");
  CHECK(fmt::format("{}", file->url) == "***");
}

TEST_CASE("files/prepare on GCS gives gcsUploadParams; a GCS answer without a token is refused") {
  const auto prepared = sapi::parse_prepared_file(json::parse(R"({
    "id": 7, "name": "x.csv.gz", "isSliced": true, "provider": "gcp",
    "gcsUploadParams": {"projectId": "kbc-p", "bucket": "kbc-up", "key": "up/7/", "access_token": "ya29.up",
                        "expires_in": 3600, "token_type": "Bearer"}})"));
  REQUIRE(prepared);
  const auto* gcs = std::get_if<kbc::transfer::GcsAccess>(&prepared->access);
  REQUIRE(gcs);
  CHECK(gcs->bucket == "kbc-up");
  CHECK(gcs->access_token.reveal() == "ya29.up");
  CHECK(prepared->key == "up/7/");
  const auto missing = sapi::parse_file_detail(json::parse(R"({"id": 1, "provider": "gcp", "gcsPath": {"bucket": "b", "key": "k"}})"));
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message.find("access_token") != std::string::npos);
}

TEST_CASE("an Azure file detail gives the container, blob prefix, SAS connection string and its expiry") {
  const auto file = sapi::parse_file_detail(json::parse(R"({
    "id": 9, "name": "orders.csv.gz", "isSliced": true, "provider": "azure", "region": "north-europe",
    "url": "https://kbcabs.blob.core.windows.net/exp-2/9/manifest?sv=2021-08-06&sig=abc",
    "absPath": {"container": "exp-2", "name": "9/"},
    "absCredentials": {"SASConnectionString": "BlobEndpoint=https://kbcabs.blob.core.windows.net;SharedAccessSignature=sv=1&sig=s",
                       "expiration": "2026-12-01T12:00:00+0000"}})"));
  REQUIRE(file);
  const auto* azure = std::get_if<kbc::transfer::AzureAccess>(&file->access);
  REQUIRE(azure);
  CHECK(azure->container == "exp-2");
  CHECK(file->key == "9/");
  CHECK(azure->sas_connection_string.reveal().find("SharedAccessSignature=") != std::string::npos);
  CHECK(sapi::format_iso_utc(azure->expiration) == "2026-12-01T12:00:00Z");
  const auto prepared = sapi::parse_prepared_file(json::parse(R"({
    "id": 10, "name": "x", "isSliced": true, "provider": "azure",
    "absUploadParams": {"blobName": "10/", "accountName": "kbcabs", "container": "up",
                        "absCredentials": {"SASConnectionString": "BlobEndpoint=https://kbcabs.blob.core.windows.net;SharedAccessSignature=sig=u",
                                           "expiration": "2026-12-01T12:00:00Z"}}})"));
  REQUIRE(prepared);
  CHECK(std::get<kbc::transfer::AzureAccess>(prepared->access).account == "kbcabs");
  CHECK(prepared->key == "10/");
  const auto missing = sapi::parse_file_detail(json::parse(R"({"id": 1, "provider": "azure", "absPath": {"container": "c", "name": "n"}})"));
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message.find("SASConnectionString") != std::string::npos);
}

TEST_CASE("every file storage credential a file answer carries is masked in any text from then on") {
  // The control: such values have no shape the masking knows, only registration masks them.
  CHECK(kbc::redact("bearer ya29.unregisteredGcsAccessToken").find("unregistered") != std::string::npos);
  REQUIRE(sapi::parse_file_detail(json::parse(R"({"id": 1, "provider": "aws", "region": "us-east-1",
    "s3Path": {"bucket": "b", "key": "k"}, "url": "https://b.s3.amazonaws.com/k?X-Amz-Signature=zzzzzzzzzz",
    "credentials": {"AccessKeyId": "ASIAMASKEDKEYID1", "SecretAccessKey": "maskedSecretAccessKey/123",
                    "SessionToken": "FwoGZXIvYXdzEMaskedSessionToken", "Expiration": "2030-01-01T00:00:00Z"}})")));
  REQUIRE(sapi::parse_prepared_file(json::parse(R"({"id": 2, "provider": "gcp",
    "gcsUploadParams": {"bucket": "b", "key": "k", "access_token": "ya29.maskedGcsAccessToken", "expires_in": 3600}})")));
  REQUIRE(sapi::parse_file_detail(json::parse(R"({"id": 3, "provider": "azure", "absPath": {"container": "c", "name": "n"},
    "absCredentials": {"SASConnectionString": "BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=sv=2017-11-09&sr=c&sig=maskedSasSignature%3D",
                       "expiration": "2030-01-01T00:00:00Z"}})")));
  // As a storage server or curl might echo them, outside any URL parameter or JSON field.
  const std::string echoed = "denied for ASIAMASKEDKEYID1 with maskedSecretAccessKey/123 and FwoGZXIvYXdzEMaskedSessionToken; "
                             "bearer ya29.maskedGcsAccessToken; sas sv=2017-11-09&sr=c&sig=maskedSasSignature%3D";
  const auto masked = kbc::redact(echoed);
  for (const char* secret : {"ASIAMASKEDKEYID1", "maskedSecretAccessKey", "MaskedSessionToken", "maskedGcsAccessToken",
                             "maskedSasSignature"})
    CHECK(masked.find(secret) == std::string::npos);
}

TEST_CASE("a file answer whose credential block is not an object is refused, naming the field") {
  // Found by fuzz/storage_api_fuzzer: json::value() on a boolean block threw out of the parser.
  for (const char* block : {"true", "\"x\"", "[]", "1"}) {
    INFO(block);
    const auto azure = sapi::parse_prepared_file(json::parse(std::string(R"({"id": 10, "provider": "azure", "absUploadParams": )") + block + "}"));
    REQUIRE_FALSE(azure);
    CHECK(azure.error().kind == kbc::ErrorKind::protocol);
    CHECK_THAT(azure.error().message, Catch::Contains("absUploadParams.container"));
    const auto gcs = sapi::parse_file_detail(json::parse(std::string(R"({"id": 1, "provider": "gcp", "gcsPath": {"bucket": "b", "key": "k"}, "gcsCredentials": )") + block + "}"));
    REQUIRE_FALSE(gcs);
    CHECK_THAT(gcs.error().message, Catch::Contains("access_token"));
    const auto aws = sapi::parse_prepared_file(json::parse(std::string(R"({"id": 2, "provider": "aws", "uploadParams": {"bucket": "b", "key": "k", "credentials": )") + block + "}}"));
    REQUIRE_FALSE(aws);
    CHECK_THAT(aws.error().message, Catch::Contains("credentials"));
  }
}

TEST_CASE("a GCS token lifetime beyond a day is read as a day") {
  // A huge expires_in overflowed the nanosecond clock (UB).
  const auto before = std::chrono::system_clock::now();
  const auto file = sapi::parse_prepared_file(json::parse(R"({"id": 7, "provider": "gcp",
    "gcsUploadParams": {"bucket": "kbc-up", "key": "up/7/", "access_token": "ya29.up", "expires_in": 99999999999}})"));
  REQUIRE(file);
  const auto& gcs = std::get<kbc::transfer::GcsAccess>(file->access);
  CHECK(gcs.expiration >= before + std::chrono::hours(24));
  CHECK(gcs.expiration <= std::chrono::system_clock::now() + std::chrono::hours(24));
}
