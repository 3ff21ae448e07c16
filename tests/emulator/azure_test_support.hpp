#pragma once
// Shared pieces of the azure region tests: a real azurite (tests/support/azurite_process.hpp)
// and the emulator pointed at it, a seed with an azure region, files/prepare in that region,
// and Azure Blob REST requests with the SAS the Storage API handed out, made with plain
// libcurl (no Azure client library and none of the emulator's code involved).
#include <chrono>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "azurite_process.hpp"
#include "emulator_test_support.hpp"

namespace kbc::test::azure {

inline constexpr const char* kAzureRegion = "north-europe";
inline constexpr const char* kMasterAzure = "7-701-MasterTokenOfAzureProjectForTests00000001";
inline constexpr const char* kReaderAzure = "7-702-ReadOnlyAzureSalesTokenForTests000000002";
inline constexpr const char* kMasterAws = "8-801-MasterTokenOfAwsProjectForTests0000000001";
inline constexpr const char* kRestVersion = "2021-08-06";

// Region north-europe on Azure (project 7, table in.c-sales.orders), us-east-1 on AWS (project 8).
inline nlohmann::json azure_seed() {
  return nlohmann::json::parse(R"({
    "regions": [{"name": "north-europe", "provider": "azure"}, {"name": "us-east-1"}],
    "projects": [
      {"id": 7, "name": "Sales Azure", "region": "north-europe",
       "tokens": [
         {"token": "7-701-MasterTokenOfAzureProjectForTests00000001", "description": "azure@example.com", "isMasterToken": true},
         {"token": "7-702-ReadOnlyAzureSalesTokenForTests000000002", "description": "reader", "bucketPermissions": {"in.c-sales": "read"}}
       ],
       "buckets": [{"id": "in.c-sales", "tables": [
         {"name": "orders", "primaryKey": ["id"], "columns": ["id", "customer", "amount"],
          "rows": [["1", "alice", "10.50"], ["2", "bob", "20.00"], ["3", "carol, \"c\"", "30"]]}]}]},
      {"id": 8, "name": "Sales AWS", "region": "us-east-1",
       "tokens": [{"token": "8-801-MasterTokenOfAwsProjectForTests0000000001", "description": "aws@example.com", "isMasterToken": true}]}
    ]})");
}

// The rows of in.c-sales.orders as an export writes them (no header, every value quoted).
inline const std::string kOrdersExport = "\"1\",\"alice\",\"10.50\"\n\"2\",\"bob\",\"20.00\"\n\"3\",\"carol, \"\"c\"\"\",\"30\"\n";

// azurite, then the emulator started with --azure-blob-endpoint pointing at it.
struct AzureEmulator {
  explicit AzureEmulator(const nlohmann::json& seed = azure_seed(), std::vector<std::string> extra_args = {})
      : azurite(std::make_unique<AzuriteProcess>()) {
    std::vector<std::string> args = {"--azure-blob-endpoint", azurite->blob_endpoint(), "--job-delay-ms", "1"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    emulator = std::make_unique<EmulatorProcess>(EmulatorProcess::Options{write_seed(dir, seed), args});
  }
  StorageTestClient client(const std::string& token = kMasterAzure) const {
    return StorageTestClient(emulator->url(kAzureRegion), token);
  }
  TempDir dir;
  std::unique_ptr<AzuriteProcess> azurite;
  std::unique_ptr<EmulatorProcess> emulator;
};

// SASConnectionString = "BlobEndpoint=<endpoint>;SharedAccessSignature=<sas>".
struct ConnectionString {
  std::string endpoint, sas;
  static ConnectionString parse(const std::string& text) {
    ConnectionString out;
    std::size_t start = 0;
    while (start <= text.size()) {
      auto end = text.find(';', start);
      auto item = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
      auto eq = item.find('=');
      if (eq != std::string::npos) {
        auto name = item.substr(0, eq), value = item.substr(eq + 1);
        if (name == "BlobEndpoint") out.endpoint = value;
        if (name == "SharedAccessSignature") out.sas = value;
      }
      if (end == std::string::npos) break;
      start = end + 1;
    }
    return out;
  }
};

// One query parameter of a SAS ("sp", "se", …), as it appears in the query.
inline std::string sas_param(const std::string& sas, const std::string& name) {
  std::size_t start = 0;
  while (start < sas.size()) {
    auto end = sas.find('&', start);
    auto item = sas.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (item.rfind(name + "=", 0) == 0) return item.substr(name.size() + 1);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return "";
}

// "2024-01-31T10:11:12Z" as unix seconds.
inline std::int64_t sas_seconds(const std::string& text) {
  std::tm tm{};
  if (!strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm)) return -1;
  return static_cast<std::int64_t>(timegm(&tm));
}

struct Prepared {
  std::int64_t id = 0;
  std::string container, blob;
  ConnectionString credentials;
  nlohmann::json answer;
};

inline Prepared prepare(const StorageTestClient& client, const std::string& name, bool sliced = false) {
  auto response = client.post_json("/v2/storage/files/prepare",
                                   {{"name", name}, {"federationToken", true}, {"isSliced", sliced}});
  if (response.status != 201) throw std::runtime_error("files/prepare: " + std::to_string(response.status) + " " + response.body);
  auto answer = response.json();
  const auto& params = answer.at("absUploadParams");
  return {answer.at("id").get<std::int64_t>(), params.at("container").get<std::string>(),
          params.at("blobName").get<std::string>(),
          ConnectionString::parse(params.at("absCredentials").at("SASConnectionString").get<std::string>()), answer};
}

// Put Blob (a block blob in one request) with a SAS.
inline HttpResponse put_blob(const ConnectionString& credentials, const std::string& container, const std::string& blob,
                             const std::string& body) {
  return http_request("PUT", credentials.endpoint + "/" + container + "/" + blob + "?" + credentials.sas, body,
                      {"x-ms-blob-type: BlockBlob", std::string("x-ms-version: ") + kRestVersion,
                       "Content-Type: text/csv"});
}

inline HttpResponse get_blob(const ConnectionString& credentials, const std::string& container, const std::string& blob) {
  return http_request("GET", credentials.endpoint + "/" + container + "/" + blob + "?" + credentials.sas, {},
                      {std::string("x-ms-version: ") + kRestVersion});
}

// The manifest entry form clients write: azure://<account>.blob.core.windows.net/<container>/<blob>.
inline std::string entry_url(const Prepared& file, const std::string& slice) {
  return std::string("azure://") + AzuriteProcess::account + ".blob.core.windows.net/" + file.container + "/" + file.blob + slice;
}

inline nlohmann::json detail_of(const StorageTestClient& client, std::int64_t id) {
  return client.get("/v2/storage/files/" + std::to_string(id) + "?federationToken=1").json();
}

inline bool ends_with_gz(const std::string& name) {
  return name.size() > 3 && name.compare(name.size() - 3, 3, ".gz") == 0;
}

// A file's data the way the PHP client reads an Azure file: the blob absPath.name (or, for a
// sliced file, the manifest at absPath.name + "manifest" and then every entry's blob) with the
// detail's absCredentials SAS; gzip parts gunzipped.
inline std::string download_azure_file(const StorageTestClient& client, std::int64_t id) {
  auto detail = detail_of(client, id);
  auto credentials = ConnectionString::parse(detail.at("absCredentials").at("SASConnectionString").get<std::string>());
  auto container = detail.at("absPath").at("container").get<std::string>();
  auto name = detail.at("absPath").at("name").get<std::string>();
  auto unzip = [](const std::string& blob, const std::string& bytes) { return ends_with_gz(blob) ? gzip_decompress(bytes) : bytes; };
  if (!detail.at("isSliced").get<bool>()) {
    auto blob = get_blob(credentials, container, name);
    if (blob.status != 200) throw std::runtime_error("Get Blob " + name + ": " + std::to_string(blob.status) + " " + blob.body);
    return unzip(name, blob.body);
  }
  auto manifest = get_blob(credentials, container, name + "manifest");
  if (manifest.status != 200) throw std::runtime_error("Get manifest: " + std::to_string(manifest.status) + " " + manifest.body);
  std::string out;
  const std::string marker = "blob.core.windows.net/" + container + "/";
  const auto parsed = nlohmann::json::parse(manifest.body);  // kept alive for the loop
  for (const auto& entry : parsed.at("entries")) {
    auto url = entry.at("url").get<std::string>();
    auto at = url.find(marker);
    if (url.rfind("azure://", 0) != 0 || at == std::string::npos) throw std::runtime_error("unexpected entry " + url);
    auto blob_name = url.substr(at + marker.size());
    auto slice = get_blob(credentials, container, blob_name);
    if (slice.status != 200) throw std::runtime_error("Get slice " + blob_name + ": " + std::to_string(slice.status));
    out += unzip(blob_name, slice.body);
  }
  return out;
}

// The blob service's error code (x-ms-error-code header).
inline std::string azure_error(const HttpResponse& response) {
  auto it = response.headers.find("x-ms-error-code");
  return it == response.headers.end() ? std::string() : it->second;
}

}  // namespace kbc::test::azure
