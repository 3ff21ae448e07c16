// The Storage API in an azure region, against a real azurite: provider fields, files/prepare,
// file detail and refresh in Azure shapes, and the SAS tokens they carry checked by azurite
// itself (upload with the prepare SAS, read-only detail SAS, container scope, expiry).
#include <catch2/catch.hpp>

#include "azure_test_support.hpp"
#include "process.hpp"

using namespace kbc::test;
using namespace kbc::test::azure;
using nlohmann::json;

namespace {

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The SAS of a connection string or URL is a container SAS of Keboola's form, lasting ~12 h.
void check_sas(const std::string& sas, const std::string& permissions) {
  CHECK(sas_param(sas, "sv") == "2017-11-09");
  CHECK(sas_param(sas, "sr") == "c");
  CHECK(sas_param(sas, "sp") == permissions);
  CHECK_FALSE(sas_param(sas, "sig").empty());
  auto start = sas_seconds(sas_param(sas, "st"));
  auto expiry = sas_seconds(sas_param(sas, "se"));
  CHECK(expiry - start == 12 * 3600);
  CHECK(std::llabs(start - now_seconds()) < 120);
}

// azurite answers a SAS it does not accept with 403 AuthorizationFailure (Azure itself with
// AuthenticationFailed).
bool refused_by_sas(const HttpResponse& response) {
  auto code = azure_error(response);
  return response.status == 403 && (code == "AuthorizationFailure" || code == "AuthenticationFailed");
}

}  // namespace

TEST_CASE("azure region: verify, files/prepare, detail and refresh answer in Azure shapes") {
  AzureEmulator env(azure_seed(), {"--manage-token", "manage-secret"});
  auto master = env.client();
  // A project the Manage API creates on the azure listener is an azure project.
  auto project = manage_post(env.emulator->url(kAzureRegion), "manage-secret", "/manage/organizations/1/projects",
                             {{"name", "made here"}});
  REQUIRE(project.status == 201);
  CHECK(project.json()["fileStorageProvider"] == "azure");
  CHECK(project.json()["region"] == kAzureRegion);
  auto verify = master.get("/v2/storage/tokens/verify").json();
  CHECK(verify["owner"]["fileStorageProvider"] == "azure");
  CHECK(verify["owner"]["region"] == kAzureRegion);
  StorageTestClient aws(env.emulator->url("us-east-1"), kMasterAws);
  CHECK(aws.get("/v2/storage/tokens/verify").json()["owner"]["fileStorageProvider"] == "aws");

  auto file = prepare(master, "upload.csv");
  const auto& answer = file.answer;
  CHECK(answer["provider"] == "azure");
  CHECK(answer["region"] == kAzureRegion);
  CHECK(answer["isEncrypted"] == true);
  CHECK(answer["isSliced"] == false);
  CHECK_FALSE(answer.contains("uploadParams"));
  CHECK_FALSE(answer.contains("gcsUploadParams"));
  const auto& params = answer.at("absUploadParams");
  CHECK(params["accountName"] == AzuriteProcess::account);
  CHECK(params["blobName"] == "upload.csv");
  // One container per file: exp-15-files-<project>-<file>-<date>.
  auto container = params["container"].get<std::string>();
  CHECK(container.rfind("exp-15-files-7-" + std::to_string(file.id) + "-", 0) == 0);
  CHECK(container.size() == std::string("exp-15-files-7-" + std::to_string(file.id) + "-2024-01-31").size());
  CHECK(file.credentials.endpoint == env.azurite->blob_endpoint());
  check_sas(file.credentials.sas, "rwl");
  // expiration: the SAS's se, in the Storage API's datetime form.
  auto expiration = params["absCredentials"]["expiration"].get<std::string>();
  CHECK(expiration.substr(0, 19) == sas_param(file.credentials.sas, "se").substr(0, 19));
  CHECK(expiration.substr(19) == "+0000");

  // The prepare SAS really uploads (azurite verifies the signature), Put Blob by plain HTTP.
  auto put = put_blob(file.credentials, file.container, file.blob, "id\n1\n");
  INFO(put.body);
  REQUIRE(put.status == 201);

  auto detail = detail_of(master, file.id);
  CHECK(detail["provider"] == "azure");
  CHECK(detail["absPath"] == json({{"container", file.container}, {"name", file.blob}}));
  CHECK_FALSE(detail.contains("s3Path"));
  CHECK_FALSE(detail.contains("credentials"));
  auto read = ConnectionString::parse(detail.at("absCredentials").at("SASConnectionString").get<std::string>());
  CHECK(read.endpoint == env.azurite->blob_endpoint());
  check_sas(read.sas, "rl");
  CHECK(get_blob(read, file.container, file.blob).body == "id\n1\n");
  // The read SAS cannot write.
  auto refused = put_blob(read, file.container, file.blob, "overwritten\n");
  CHECK(refused.status == 403);
  CHECK(get_blob(read, file.container, file.blob).body == "id\n1\n");
  // url: the blob with a read SAS, no other credential needed.
  auto url = detail["url"].get<std::string>();
  CHECK(url.rfind(env.azurite->blob_endpoint() + "/" + file.container + "/" + file.blob + "?", 0) == 0);
  check_sas(url.substr(url.find('?') + 1), "rl");
  auto by_url = http_request("GET", url);
  CHECK(by_url.status == 200);
  CHECK(by_url.body == "id\n1\n");
  CHECK_FALSE(master.get("/v2/storage/files/" + std::to_string(file.id)).json().contains("absCredentials"));

  // Refresh: the file answer with fresh absUploadParams for the same container and blob.
  auto refreshed = master.put_json("/v2/storage/files/" + std::to_string(file.id) + "/refresh", json::object());
  REQUIRE(refreshed.status == 200);
  auto again = refreshed.json().at("absUploadParams");
  CHECK(again["container"] == file.container);
  CHECK(again["blobName"] == file.blob);
  auto fresh = ConnectionString::parse(again["absCredentials"]["SASConnectionString"].get<std::string>());
  check_sas(fresh.sas, "rwl");
  CHECK(put_blob(fresh, file.container, file.blob, "id\n2\n").status == 201);
  CHECK(get_blob(read, file.container, file.blob).body == "id\n2\n");

  // A sliced file: blobName is a prefix, the url points at its manifest.
  auto sliced = prepare(master, "parts.csv", true);
  CHECK(sliced.blob == "parts.csv/");
  CHECK(sliced.answer["isSliced"] == true);
  auto sliced_url = detail_of(master, sliced.id)["url"].get<std::string>();
  CHECK(sliced_url.find("/" + sliced.container + "/parts.csv/manifest?") != std::string::npos);

  // An AWS region of the same emulator keeps its S3 shapes.
  auto s3_file = aws.post_json("/v2/storage/files/prepare", {{"name", "x.csv"}, {"federationToken", true}}).json();
  CHECK(s3_file["provider"] == "aws");
  CHECK(s3_file.contains("uploadParams"));
  CHECK_FALSE(s3_file.contains("absUploadParams"));
}

TEST_CASE("azure region: a file's SAS reaches only its own container, expired SAS are refused by azurite") {
  AzureEmulator env(azure_seed(), {"--faults"});
  auto master = env.client();
  auto a = prepare(master, "a.csv");
  auto b = prepare(master, "b.csv");
  CHECK(a.container != b.container);
  REQUIRE(put_blob(a.credentials, a.container, a.blob, "a\n").status == 201);
  auto cross = put_blob(a.credentials, b.container, b.blob, "not mine\n");
  CHECK(cross.status == 403);
  CHECK(refused_by_sas(cross));

  // A SAS signed with another key (the emulator's answer tampered with) is refused too.
  auto forged = a.credentials;
  forged.sas = forged.sas.substr(0, forged.sas.find("&sig=")) + "&sig=" +
               azure_sas_signature("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "x");
  CHECK(put_blob(forged, a.container, a.blob, "forged\n").status == 403);

  // expire_credentials on files/prepare: an already expired upload SAS.
  REQUIRE(master.post_json("/_emulator/faults", {{"action", "expire_credentials"}, {"method", "POST"},
                                                 {"pathRegex", "^/v2/storage/files/prepare$"}}).status < 300);
  auto expired = prepare(master, "late.csv");
  auto se = sas_seconds(sas_param(expired.credentials.sas, "se"));
  CHECK(se < now_seconds());
  auto expiration = expired.answer["absUploadParams"]["absCredentials"]["expiration"].get<std::string>();
  CHECK(sas_seconds(expiration.substr(0, 19) + "Z") == se);
  auto late = put_blob(expired.credentials, expired.container, expired.blob, "late\n");
  CHECK(late.status == 403);
  CHECK(refused_by_sas(late));
  // Refresh issues a valid one again.
  auto refreshed = master.put_json("/v2/storage/files/" + std::to_string(expired.id) + "/refresh", json::object()).json();
  auto fresh = ConnectionString::parse(refreshed["absUploadParams"]["absCredentials"]["SASConnectionString"].get<std::string>());
  CHECK(put_blob(fresh, expired.container, expired.blob, "late\n").status == 201);

  // expire_credentials on the file detail: its absCredentials and url are expired.
  REQUIRE(master.post_json("/_emulator/faults", {{"action", "expire_credentials"}, {"method", "GET"},
                                                 {"pathRegex", "^/v2/storage/files/\\d+$"}}).status < 300);
  auto detail = detail_of(master, a.id);
  auto read = ConnectionString::parse(detail["absCredentials"]["SASConnectionString"].get<std::string>());
  CHECK(get_blob(read, a.container, a.blob).status == 403);
  CHECK(http_request("GET", detail["url"].get<std::string>()).status == 403);
  auto good = detail_of(master, a.id);
  CHECK(http_request("GET", good["url"].get<std::string>()).body == "a\n");

  // POST /_emulator/credentials/expire cannot reach SAS already issued (they are signatures
  // azurite checks on its own): documented, and still so.
  REQUIRE(master.post_json("/_emulator/credentials/expire", json::object()).status == 200);
  CHECK(put_blob(a.credentials, a.container, a.blob, "still\n").status == 201);
}

TEST_CASE("azure region: the emulator refuses to start without --azure-blob-endpoint or with a dead one") {
  TempDir dir;
  auto seed = write_seed(dir, azure_seed());
  auto missing = run_process({KBC_EMULATOR_BIN, "--seed", seed.string(), "--port", "0"}, {}, std::chrono::seconds(30));
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("--azure-blob-endpoint") != std::string::npos);
  CHECK(missing.err.find("north-europe") != std::string::npos);

  // Nothing listens there (a port azurite just released).
  std::string dead;
  {
    AzuriteProcess azurite;
    dead = azurite.blob_endpoint();
  }
  auto unreachable = run_process({KBC_EMULATOR_BIN, "--seed", seed.string(), "--port", "0", "--azure-blob-endpoint", dead},
                                 {}, std::chrono::seconds(30));
  CHECK(unreachable.exit_code == 1);
  CHECK(unreachable.err.find("does not answer") != std::string::npos);

  AzuriteProcess azurite;
  auto wrong_key = run_process({KBC_EMULATOR_BIN, "--seed", seed.string(), "--port", "0", "--azure-blob-endpoint",
                                azurite.blob_endpoint(), "--azure-account-key", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="},
                               {}, std::chrono::seconds(30));
  CHECK(wrong_key.exit_code == 1);
  CHECK(wrong_key.err.find("--azure-account-key") != std::string::npos);
  auto not_base64 = run_process({KBC_EMULATOR_BIN, "--seed", seed.string(), "--port", "0", "--azure-blob-endpoint",
                                 azurite.blob_endpoint(), "--azure-account-key", "not base64!"},
                                {}, std::chrono::seconds(30));
  CHECK(not_base64.exit_code == 1);
  CHECK(not_base64.err.find("--azure-account-key") != std::string::npos);
}
