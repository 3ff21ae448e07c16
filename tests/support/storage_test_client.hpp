#pragma once
// A small libcurl HTTP helper for tests that talk to the emulator (or any Storage API) the way
// a client would: JSON or form requests with X-StorageApi-Token, job polling, file upload via
// files/prepare + a SigV4-signed S3 PUT with the issued temporary credentials, and download
// of plain, gzipped and sliced files. Deliberately independent of the tool's own code.
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace kbc::test {

struct HttpResponse {
  long status = 0;  // 0: no answer (connection refused, dropped, timed out)
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string transport_error;                 // libcurl's message when status == 0 or the body was cut
  nlohmann::json json() const;                 // the body parsed (throws on invalid JSON)
};

using Form = std::vector<std::pair<std::string, std::string>>;

// One HTTP request. `headers` are "Name: value" lines.
// Every byte but unreserved ones as %XX, '/' included: one URL path segment or query value.
std::string percent_encode(const std::string& text);

HttpResponse http_request(const std::string& method, const std::string& url, const std::string& body = {},
                          const std::vector<std::string>& headers = {},
                          std::chrono::seconds timeout = std::chrono::seconds(60));

// Temporary credentials as files/prepare and the file detail hand them out.
struct S3Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  static S3Credentials from_json(const nlohmann::json& credentials);
};

// SigV4-signed (CURLOPT_AWS_SIGV4) path-style S3 requests: `endpoint`/bucket/key.
HttpResponse s3_put(const std::string& endpoint, const std::string& region, const S3Credentials& credentials,
                    const std::string& bucket, const std::string& key, const std::string& body,
                    const std::vector<std::string>& extra_headers = {});
HttpResponse s3_get(const std::string& endpoint, const std::string& region, const S3Credentials& credentials,
                    const std::string& bucket, const std::string& key);

std::string gzip_compress(const std::string& data);
std::string gzip_decompress(const std::string& data);

class StorageTestClient {
 public:
  // `base_url` of a Storage API listener, `s3_url` of the emulator's file storage.
  // `s3_url`/`gcs_url`: the emulator's file storage endpoints, for reading exported files.
  StorageTestClient(std::string base_url, std::string token, std::string s3_url = {}, std::string gcs_url = {});

  HttpResponse get(const std::string& path) const;
  HttpResponse post_json(const std::string& path, const nlohmann::json& body) const;
  HttpResponse post_form(const std::string& path, const Form& fields) const;
  HttpResponse put_json(const std::string& path, const nlohmann::json& body) const;
  HttpResponse del(const std::string& path) const;

  // Polls GET /v2/storage/jobs/{id} (the id from a job or a 202 answer) until success or error.
  nlohmann::json wait_for_job(const nlohmann::json& job, std::chrono::seconds timeout = std::chrono::seconds(60)) const;
  // POST that starts a job (expects 202) and waits for it; returns the finished job.
  nlohmann::json run_job(const std::string& path, const nlohmann::json& body) const;

  // files/prepare + signed PUT of `content`; returns the file id. A name ending in .gz is
  // uploaded as given (compress it yourself with gzip_compress).
  std::int64_t upload_file(const std::string& name, const std::string& content) const;
  // A sliced file: each slice at prefix + "<name>.partNNN", then the manifest.
  std::int64_t upload_sliced_file(const std::string& name, const std::vector<std::string>& slices) const;
  // The file's data: the object, or the manifest's slices concatenated in order; each part
  // gunzipped when its name ends in .gz. Uses the file detail's temporary credentials.
  std::string download_file(std::int64_t file_id) const;
  // Exports a table (export-async with `params`) and downloads the result.
  std::string export_table(const std::string& table_id, const nlohmann::json& params = nlohmann::json::object()) const;

  const std::string& base_url() const { return base_url_; }
  const std::string& token() const { return token_; }
  void set_token(std::string token) { token_ = std::move(token); }

 private:
  std::vector<std::string> auth_headers() const;
  std::string base_url_;
  std::string token_;
  std::string s3_url_;
  std::string gcs_url_;
};

// POST to the Manage API (X-KBC-ManageApiToken) with a JSON body.
HttpResponse manage_post(const std::string& base_url, const std::string& manage_token, const std::string& path,
                         const nlohmann::json& body);

}  // namespace kbc::test
