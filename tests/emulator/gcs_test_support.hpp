#pragma once
// Shared pieces of the GCS endpoint tests: a seed with a gcp region, the GCS URL from the
// emulator's ready file, files/prepare in that region, and GCS JSON API requests made with
// plain libcurl (no GCS client library involved).
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator_test_support.hpp"

namespace kbc::test::gcs {

inline constexpr const char* kGcpRegion = "europe-west3";
inline constexpr const char* kMasterGcp = "5-501-MasterTokenOfGcpProjectForTests0000000001";
inline constexpr const char* kReaderGcp = "5-502-ReadOnlyGcpSalesTokenForTests00000000002";
inline constexpr const char* kMasterAws = "6-601-MasterTokenOfAwsProjectForTests0000000001";
inline constexpr const char* kBucket = "kbc-gcs-files";

// Region europe-west3 on GCP (project 5, table in.c-sales.orders), us-east-1 on AWS (project 6).
inline nlohmann::json gcp_seed() {
  return nlohmann::json::parse(R"({
    "regions": [{"name": "europe-west3", "provider": "gcp"}, {"name": "us-east-1"}],
    "projects": [
      {"id": 5, "name": "Sales GCP", "region": "europe-west3",
       "tokens": [
         {"token": "5-501-MasterTokenOfGcpProjectForTests0000000001", "description": "gcp@example.com", "isMasterToken": true},
         {"token": "5-502-ReadOnlyGcpSalesTokenForTests00000000002", "description": "reader", "bucketPermissions": {"in.c-sales": "read"}}
       ],
       "buckets": [{"id": "in.c-sales", "tables": [
         {"name": "orders", "primaryKey": ["id"], "columns": ["id", "customer", "amount"],
          "rows": [["1", "alice", "10.50"], ["2", "bob", "20.00"], ["3", "carol, \"c\"", "30"]]}]}]},
      {"id": 6, "name": "Sales AWS", "region": "us-east-1",
       "tokens": [{"token": "6-601-MasterTokenOfAwsProjectForTests0000000001", "description": "aws@example.com", "isMasterToken": true}]}
    ]})");
}

// The GCS endpoint ("gcs" of the ready file the fixture waited for).
inline std::string gcs_url(const EmulatorProcess& emulator) {
  std::ifstream in(emulator.log_file().parent_path() / "ready.json");
  return nlohmann::json::parse(in).at("gcs").get<std::string>();
}

inline std::string encode(const std::string& text) { return percent_encode(text); }

struct Prepared {
  std::int64_t id = 0;
  std::string bucket, key, token;
  nlohmann::json answer;
};

inline Prepared prepare(const StorageTestClient& client, const std::string& name, bool sliced = false) {
  auto answer = client.post_json("/v2/storage/files/prepare",
                                 {{"name", name}, {"federationToken", true}, {"isSliced", sliced}}).json();
  const auto& params = answer.at("gcsUploadParams");
  return {answer.at("id").get<std::int64_t>(), params.at("bucket").get<std::string>(),
          params.at("key").get<std::string>(), params.at("access_token").get<std::string>(), answer};
}

inline std::vector<std::string> bearer(const std::string& token, std::vector<std::string> more = {}) {
  more.push_back("Authorization: Bearer " + token);
  return more;
}

// GET /storage/v1/b/{bucket}/o/{object}[?alt=media]
inline HttpResponse get_object(const std::string& gcs, const std::string& token, const std::string& bucket,
                               const std::string& key, bool media, std::vector<std::string> headers = {}) {
  return http_request("GET", gcs + "/storage/v1/b/" + bucket + "/o/" + encode(key) + (media ? "?alt=media" : ""), {},
                      token.empty() ? headers : bearer(token, headers));
}

// POST …?uploadType=media&name=…
inline HttpResponse upload_media(const std::string& gcs, const std::string& token, const std::string& bucket,
                                 const std::string& key, const std::string& body) {
  return http_request("POST", gcs + "/upload/storage/v1/b/" + bucket + "/o?uploadType=media&name=" + encode(key), body,
                      bearer(token, {"Content-Type: text/csv"}));
}

// POST …?uploadType=resumable&name=…: the session URI.
inline std::string start_resumable(const std::string& gcs, const std::string& token, const std::string& bucket,
                                   const std::string& key) {
  auto response = http_request("POST", gcs + "/upload/storage/v1/b/" + bucket + "/o?uploadType=resumable&name=" + encode(key),
                               "{\"contentType\":\"text/csv\"}", bearer(token, {"Content-Type: application/json"}));
  if (response.status != 200) throw std::runtime_error("resumable start: " + std::to_string(response.status) + " " + response.body);
  return response.headers.at("location");
}

inline HttpResponse put_chunk(const std::string& session, const std::string& content_range, const std::string& body) {
  return http_request("PUT", session, body, {"Content-Range: " + content_range});
}

// The GCS JSON error body's error.errors[0].reason.
inline std::string reason_of(const HttpResponse& response) {
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.contains("error")) return "";
  return body["error"]["errors"][0].value("reason", "");
}

inline std::string pattern(std::size_t size, unsigned seed = 7) {
  std::string out(size, '\0');
  std::uint32_t x = seed * 2654435761u + 1;
  for (auto& c : out) {
    x = x * 1103515245u + 12345u;
    c = static_cast<char>('a' + (x >> 16) % 26);
  }
  return out;
}

}  // namespace kbc::test::gcs
