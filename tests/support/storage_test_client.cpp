#include "storage_test_client.hpp"

#include <curl/curl.h>
#include <openssl/sha.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <thread>

namespace kbc::test {

using nlohmann::json;

namespace {

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

std::size_t write_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

std::size_t write_header(char* data, std::size_t size, std::size_t count, void* user) {
  std::string line(data, size * count);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    auto name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    auto value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of("\r\n \t") + 1);
    (*static_cast<std::map<std::string, std::string>*>(user))[name] = value;
  }
  return size * count;
}

std::string sha256_hex(const std::string& data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char byte : digest) {
    out += kHex[byte >> 4];
    out += kHex[byte & 15];
  }
  return out;
}

struct SignSpec {
  std::string region;
  S3Credentials credentials;
};

HttpResponse perform(const std::string& method, const std::string& url, const std::string& body,
                     const std::vector<std::string>& headers, std::chrono::seconds timeout, const SignSpec* sign) {
  static CurlGlobal global;
  HttpResponse response;
  CURL* curl = curl_easy_init();
  if (!curl) throw std::runtime_error("curl_easy_init failed");
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  std::string userpwd, sigv4;
  if (sign) {
    sigv4 = "aws:amz:" + sign->region + ":s3";
    userpwd = sign->credentials.access_key_id + ":" + sign->credentials.secret_access_key;
    curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, sigv4.c_str());
    curl_easy_setopt(curl, CURLOPT_USERPWD, userpwd.c_str());
    // S3 wants the payload hash as a header (libcurl 7.88 does not add it).
    list = curl_slist_append(list, ("x-amz-content-sha256: " + sha256_hex(body)).c_str());
    if (!sign->credentials.session_token.empty()) {
      list = curl_slist_append(list, ("x-amz-security-token: " + sign->credentials.session_token).c_str());
    }
  }
  list = curl_slist_append(list, "Expect:");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, write_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  if (method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else if (method == "PUT" || method == "POST") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  } else {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    if (!body.empty()) {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }
  }
  auto rc = curl_easy_perform(curl);
  if (rc != CURLE_OK) response.transport_error = curl_easy_strerror(rc);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  if (rc != CURLE_OK && response.body.empty()) response.status = 0;
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return response;
}


std::string s3_object_url(const std::string& endpoint, const std::string& bucket, const std::string& key) {
  std::string encoded;
  for (char c : key) encoded += c == '/' ? std::string("/") : percent_encode(std::string(1, c));
  return endpoint + "/" + bucket + "/" + encoded;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string percent_encode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buffer[4];
      std::snprintf(buffer, sizeof buffer, "%%%02X", c);
      out += buffer;
    }
  }
  return out;
}

json HttpResponse::json() const { return nlohmann::json::parse(body); }

HttpResponse http_request(const std::string& method, const std::string& url, const std::string& body,
                          const std::vector<std::string>& headers, std::chrono::seconds timeout) {
  return perform(method, url, body, headers, timeout, nullptr);
}

S3Credentials S3Credentials::from_json(const nlohmann::json& c) {
  return {c.at("AccessKeyId").get<std::string>(), c.at("SecretAccessKey").get<std::string>(),
          c.value("SessionToken", "")};
}

HttpResponse s3_put(const std::string& endpoint, const std::string& region, const S3Credentials& credentials,
                    const std::string& bucket, const std::string& key, const std::string& body,
                    const std::vector<std::string>& extra_headers) {
  SignSpec sign{region, credentials};
  return perform("PUT", s3_object_url(endpoint, bucket, key), body, extra_headers, std::chrono::seconds(120), &sign);
}

HttpResponse s3_get(const std::string& endpoint, const std::string& region, const S3Credentials& credentials,
                    const std::string& bucket, const std::string& key) {
  SignSpec sign{region, credentials};
  return perform("GET", s3_object_url(endpoint, bucket, key), {}, {}, std::chrono::seconds(120), &sign);
}

std::string gzip_compress(const std::string& data) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, data.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

std::string gzip_decompress(const std::string& data) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 32) != Z_OK) throw std::runtime_error("inflateInit2 failed");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buffer[64 * 1024];
  int rc = Z_OK;
  do {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    rc = inflate(&stream, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&stream);
      throw std::runtime_error("not a valid gzip stream");
    }
    out.append(buffer, sizeof buffer - stream.avail_out);
  } while (rc != Z_STREAM_END);
  inflateEnd(&stream);
  return out;
}


StorageTestClient::StorageTestClient(std::string base_url, std::string token, std::string s3_url, std::string gcs_url)
    : base_url_(std::move(base_url)), token_(std::move(token)), s3_url_(std::move(s3_url)), gcs_url_(std::move(gcs_url)) {}

std::vector<std::string> StorageTestClient::auth_headers() const { return {"X-StorageApi-Token: " + token_}; }

HttpResponse StorageTestClient::get(const std::string& path) const {
  return http_request("GET", base_url_ + path, {}, auth_headers());
}

HttpResponse StorageTestClient::post_json(const std::string& path, const nlohmann::json& body) const {
  auto headers = auth_headers();
  headers.push_back("Content-Type: application/json");
  return http_request("POST", base_url_ + path, body.dump(), headers);
}

HttpResponse StorageTestClient::put_json(const std::string& path, const nlohmann::json& body) const {
  auto headers = auth_headers();
  headers.push_back("Content-Type: application/json");
  return http_request("PUT", base_url_ + path, body.dump(), headers);
}

HttpResponse StorageTestClient::post_form(const std::string& path, const Form& fields) const {
  std::string body;
  for (const auto& [name, value] : fields) {
    if (!body.empty()) body += '&';
    body += percent_encode(name) + "=" + percent_encode(value);
  }
  auto headers = auth_headers();
  headers.push_back("Content-Type: application/x-www-form-urlencoded");
  return http_request("POST", base_url_ + path, body, headers);
}

HttpResponse StorageTestClient::del(const std::string& path) const {
  return http_request("DELETE", base_url_ + path, {}, auth_headers());
}

json StorageTestClient::wait_for_job(const json& job, std::chrono::seconds timeout) const {
  auto id = job.at("id").get<std::int64_t>();
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto delay = std::chrono::milliseconds(10);
  for (;;) {
    auto response = get("/v2/storage/jobs/" + std::to_string(id));
    if (response.status != 200) {
      throw std::runtime_error("job " + std::to_string(id) + ": HTTP " + std::to_string(response.status) + " " + response.body);
    }
    auto current = response.json();
    auto status = current.at("status").get<std::string>();
    if (status == "success" || status == "error") return current;
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("job " + std::to_string(id) + " did not finish in time");
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, std::chrono::milliseconds(200));
  }
}

json StorageTestClient::run_job(const std::string& path, const nlohmann::json& body) const {
  auto response = post_json(path, body);
  if (response.status != 202) {
    throw std::runtime_error("POST " + path + ": expected 202, got " + std::to_string(response.status) + " " + response.body);
  }
  return wait_for_job(response.json());
}

std::int64_t StorageTestClient::upload_file(const std::string& name, const std::string& content) const {
  auto prepared = post_json("/v2/storage/files/prepare",
                            {{"name", name}, {"sizeBytes", content.size()}, {"federationToken", true}, {"isEncrypted", true}});
  if (prepared.status != 201) throw std::runtime_error("files/prepare: HTTP " + std::to_string(prepared.status) + " " + prepared.body);
  auto file = prepared.json();
  const auto& params = file.at("uploadParams");
  auto put = s3_put(s3_url_, file.at("region").get<std::string>(), S3Credentials::from_json(params.at("credentials")),
                    params.at("bucket").get<std::string>(), params.at("key").get<std::string>(), content,
                    {"x-amz-server-side-encryption: AES256"});
  if (put.status != 200) throw std::runtime_error("S3 PUT: HTTP " + std::to_string(put.status) + " " + put.body);
  return file.at("id").get<std::int64_t>();
}

std::int64_t StorageTestClient::upload_sliced_file(const std::string& name, const std::vector<std::string>& slices) const {
  std::size_t total = 0;
  for (const auto& s : slices) total += s.size();
  auto prepared = post_json("/v2/storage/files/prepare",
                            {{"name", name}, {"sizeBytes", total}, {"federationToken", true}, {"isSliced", true}});
  if (prepared.status != 201) throw std::runtime_error("files/prepare: HTTP " + std::to_string(prepared.status) + " " + prepared.body);
  auto file = prepared.json();
  const auto& params = file.at("uploadParams");
  auto region = file.at("region").get<std::string>();
  auto credentials = S3Credentials::from_json(params.at("credentials"));
  auto bucket = params.at("bucket").get<std::string>();
  auto prefix = params.at("key").get<std::string>();
  json entries = json::array();
  for (std::size_t i = 0; i < slices.size(); ++i) {
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, ".part%03zu", i);
    auto slice_name = name + suffix;
    if (ends_with(name, ".gz")) slice_name = name.substr(0, name.size() - 3) + suffix + ".gz";
    auto put = s3_put(s3_url_, region, credentials, bucket, prefix + slice_name, slices[i]);
    if (put.status != 200) throw std::runtime_error("S3 PUT slice: HTTP " + std::to_string(put.status) + " " + put.body);
    entries.push_back({{"url", "s3://" + bucket + "/" + prefix + slice_name}});
  }
  auto put = s3_put(s3_url_, region, credentials, bucket, prefix + "manifest", json{{"entries", entries}}.dump());
  if (put.status != 200) throw std::runtime_error("S3 PUT manifest: HTTP " + std::to_string(put.status) + " " + put.body);
  return file.at("id").get<std::int64_t>();
}

std::string StorageTestClient::download_file(std::int64_t file_id) const {
  auto detail_response = get("/v2/storage/files/" + std::to_string(file_id) + "?federationToken=1");
  if (detail_response.status != 200) {
    throw std::runtime_error("file detail: HTTP " + std::to_string(detail_response.status) + " " + detail_response.body);
  }
  auto detail = detail_response.json();
  const std::string provider = detail.value("provider", "aws");
  std::string bucket, key, entry_prefix;  // the manifest's entry URLs are entry_prefix + key
  std::function<HttpResponse(const std::string&)> get_object;
  if (provider == "gcp") {
    if (gcs_url_.empty()) throw std::runtime_error("StorageTestClient: a GCS file, but no gcs_url was given");
    bucket = detail.at("gcsPath").at("bucket").get<std::string>();
    key = detail.at("gcsPath").at("key").get<std::string>();
    entry_prefix = "gs://" + bucket + "/";
    const auto token = detail.at("gcsCredentials").at("access_token").get<std::string>();
    get_object = [this, token, bucket](const std::string& object_key) {
      return http_request("GET", gcs_url_ + "/storage/v1/b/" + bucket + "/o/" + percent_encode(object_key) + "?alt=media", {},
                          {"Authorization: Bearer " + token});
    };
  } else if (provider == "azure") {
    // The SAS connection string: "BlobEndpoint=…;SharedAccessSignature=…".
    const auto connection = detail.at("absCredentials").at("SASConnectionString").get<std::string>();
    const auto part = [&](const std::string& name) {
      const auto at = connection.find(name + "=");
      if (at == std::string::npos) throw std::runtime_error("SASConnectionString has no " + name);
      const auto from = at + name.size() + 1;
      return connection.substr(from, connection.find(';', from) - from);
    };
    const auto endpoint = part("BlobEndpoint");
    const auto sas = part("SharedAccessSignature");
    bucket = detail.at("absPath").at("container").get<std::string>();
    key = detail.at("absPath").at("name").get<std::string>();
    const auto account = endpoint.substr(endpoint.rfind('/') + 1);  // path-style (azurite) endpoint
    entry_prefix = "azure://" + account + ".blob.core.windows.net/" + bucket + "/";
    get_object = [endpoint, sas, bucket](const std::string& object_key) {
      std::string path;
      for (char c : object_key) path += c == '/' ? std::string("/") : percent_encode(std::string(1, c));
      return http_request("GET", endpoint + "/" + bucket + "/" + path + "?" + sas, {}, {"x-ms-version: 2021-08-06"});
    };
  } else {
    bucket = detail.at("s3Path").at("bucket").get<std::string>();
    key = detail.at("s3Path").at("key").get<std::string>();
    entry_prefix = "s3://" + bucket + "/";
    const auto region = detail.at("region").get<std::string>();
    const auto credentials = S3Credentials::from_json(detail.at("credentials"));
    get_object = [this, region, credentials, bucket](const std::string& object_key) {
      return s3_get(s3_url_, region, credentials, bucket, object_key);
    };
  }
  auto fetch = [&](const std::string& object_key) {
    auto response = get_object(object_key);
    if (response.status != 200) throw std::runtime_error("GET " + object_key + ": HTTP " + std::to_string(response.status) + " " + response.body);
    return ends_with(object_key, ".gz") ? gzip_decompress(response.body) : response.body;
  };
  if (!detail.at("isSliced").get<bool>()) return fetch(key);
  auto manifest = json::parse(fetch(key + "manifest"));
  std::string out;
  const std::string& prefix = entry_prefix;
  for (const auto& entry : manifest.at("entries")) {
    auto url = entry.at("url").get<std::string>();
    out += fetch(url.substr(prefix.size()));
  }
  return out;
}

std::string StorageTestClient::export_table(const std::string& table_id, const nlohmann::json& params) const {
  auto job = run_job("/v2/storage/tables/" + table_id + "/export-async", params);
  if (job.at("status") != "success") throw std::runtime_error("export of " + table_id + " failed: " + job.dump());
  return download_file(job.at("results").at("file").at("id").get<std::int64_t>());
}

HttpResponse manage_post(const std::string& base_url, const std::string& manage_token, const std::string& path,
                         const nlohmann::json& body) {
  return http_request("POST", base_url + path, body.dump(),
                      {"X-KBC-ManageApiToken: " + manage_token, "Content-Type: application/json"});
}

}  // namespace kbc::test
