#include "kbc_storage_extract/storage_api/client.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <thread>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "kbc_storage_extract/storage_api/parse.hpp"

namespace kbc::storage_api {

using nlohmann::json;

namespace {

// Path segments (bucket and table ids) are URL-encoded; ids only hold [A-Za-z0-9._-] anyway.
std::string encode(const std::string& segment) {
  std::string out;
  for (unsigned char c : segment) {
    if (std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '~') out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

template <class T>
Result<T> parsed_body(const http::Response& response, std::string_view what,
                      Result<T> (*parse)(const json&)) {
  json body = json::parse(response.body, nullptr, false);
  if (body.is_discarded())
    return make_error(ErrorKind::protocol, fmt::format("{}: the Storage API answered with a body that is not JSON", what),
                      "check that the URL points at a Keboola Storage API");
  auto value = parse(body);
  if (!value) value.error().message = fmt::format("{}: {}", what, value.error().message);
  return value;
}

// A JSON array answer, each item parsed; the first item that does not parse is the error.
template <class T>
Result<std::vector<T>> parsed_list(const http::Response& response, std::string_view what,
                                   Result<T> (*parse)(const json&)) {
  const json body = json::parse(response.body, nullptr, false);
  if (!body.is_array()) return make_error(ErrorKind::protocol, fmt::format("{}: the answer is not a JSON array", what),
                                         "check that the URL points at a Keboola Storage API");
  std::vector<T> items;
  for (const auto& item : body) {
    auto parsed = parse(item);
    if (!parsed) return parsed.error();
    items.push_back(std::move(*parsed));
  }
  return items;
}

// A request the server may have carried out although the answer got lost must not be
// repeated blindly (an incremental import would append twice): retry those only when the
// server said it did nothing (429, 503).
bool refused_without_effect(const Error& error) { return error.http_status == 429 || error.http_status == 503; }

// An HTTP date (RFC 9110 IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT") as unix seconds.
std::optional<std::int64_t> parse_http_date(const std::string& text) {
  std::tm tm{};
  const char* end = ::strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return static_cast<std::int64_t>(::timegm(&tm));
}

void remember_server_date(const http::Response& response, std::atomic<std::int64_t>& server_date) {
  if (auto date = response.header("date")) {
    if (auto seconds = parse_http_date(*date)) server_date = *seconds;
  }
}

}  // namespace

StorageClient::StorageClient(std::string base_url, Secret token, http::Client& http, RetryPolicy retry,
                             JobPolling polling, std::chrono::seconds request_timeout)
    : base_url_(std::move(base_url)), token_(std::move(token)), http_(http), retry_(retry), request_timeout_(request_timeout),
      polling_(polling) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

Result<http::Response> StorageClient::call(const std::string& method, const std::string& path,
                                           const std::string& json_body, std::string_view what, Repeat repeat,
                                           std::initializer_list<int> ok_statuses) {
  http::Request request;
  request.method = method;
  request.url = base_url_ + "/v2/storage/" + path;
  request.headers = {{"X-StorageApi-Token", token_.reveal()}, {"Accept", "application/json"}};
  if (!json_body.empty()) {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = json_body;
  }
  request.total_timeout = request_timeout_;
  const std::vector<int> ok(ok_statuses);
  for (int attempt = 1;; ++attempt) {
    const auto started = std::chrono::steady_clock::now();
    auto response = http_.send(request);
    // -vv: every request, as method, path, answer and time (the token is a header, never logged).
    spdlog::trace("Storage API {} /v2/storage/{} -> {} in {} ms", method, path,
                  response ? std::to_string(response->status) : std::string("no answer"),
                  std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count());
    if (response) remember_server_date(*response, server_date_);
    Error error;
    if (!response) {
      error = response.error();
      error.message = fmt::format("{}: {}", what, error.message);
    } else if (std::find(ok.begin(), ok.end(), response->status) != ok.end()) {
      return response;
    } else {
      error = http::error_from_response(*response, what);
    }
    if (retry_.gives_up(attempt, error)) {
      RetryPolicy::settle(error);
      return error;
    }
    if (repeat == Repeat::only_if_refused && !refused_without_effect(error)) {
      error.hint = "the Storage API may have carried the request out before the answer was lost; "
                   "check the destination and re-run the table";
      return error;
    }
    if (!retry_.before_next_attempt(attempt, error, what)) return error;
  }
}

Result<TokenInfo> StorageClient::verify_token() {
  auto response = call("GET", "tokens/verify", {}, "token verification", Repeat::always);
  if (!response) return response.error();
  return parsed_body<TokenInfo>(*response, "token verification", &parse_token_info);
}

Result<IssuedToken> StorageClient::create_token(const CreateTokenOptions& options) {
  const std::string what = "creating a token";
  json body = {{"description", options.description}, {"bucketPermissions", options.bucket_permissions}};
  if (options.expires_in) body["expiresIn"] = *options.expires_in;
  auto response = call("POST", "tokens", body.dump(), what, Repeat::only_if_refused, {200, 201});
  if (!response) return response.error();
  return parsed_body<IssuedToken>(*response, what, &parse_issued_token);
}

Result<IssuedToken> StorageClient::refresh_token(const std::string& token_id) {
  const std::string what = fmt::format("refreshing token {}", token_id);
  auto response = call("POST", "tokens/" + encode(token_id) + "/refresh", {}, what, Repeat::only_if_refused);
  if (!response) return response.error();
  return parsed_body<IssuedToken>(*response, what, &parse_issued_token);
}

Result<std::vector<Bucket>> StorageClient::list_buckets() {
  auto response = call("GET", "buckets", {}, "listing buckets", Repeat::always);
  if (!response) return response.error();
  return parsed_list<Bucket>(*response, "listing buckets", &parse_bucket);
}

Result<Bucket> StorageClient::get_bucket(const std::string& bucket_id) {
  const std::string what = fmt::format("reading bucket {}", bucket_id);
  auto response = call("GET", "buckets/" + encode(bucket_id), {}, what, Repeat::always);
  if (!response) return response.error();
  return parsed_body<Bucket>(*response, what, &parse_bucket);
}

Result<Bucket> StorageClient::create_bucket(const std::string& bucket_id, const std::string& description) {
  const std::string what = fmt::format("creating bucket {}", bucket_id);
  const auto dot = bucket_id.find('.');
  if (dot == std::string::npos || bucket_id.compare(dot + 1, 2, "c-") != 0)
    return make_error(ErrorKind::invalid_input, fmt::format("{}: \"{}\" is not a bucket id like in.c-name", what, bucket_id));
  const json body = {{"stage", bucket_id.substr(0, dot)}, {"name", bucket_id.substr(dot + 3)}, {"description", description}};
  auto response = call("POST", "buckets", body.dump(), what, Repeat::only_if_refused, {200, 201});
  if (!response) return response.error();
  return parsed_body<Bucket>(*response, what, &parse_bucket);
}

Result<std::vector<TableDetail>> StorageClient::list_tables(const std::string& bucket_id) {
  const std::string what = fmt::format("listing the tables of bucket {}", bucket_id);
  auto response = call("GET", "buckets/" + encode(bucket_id) + "/tables?include=columns", {}, what, Repeat::always);
  if (!response) return response.error();
  return parsed_list<TableDetail>(*response, what, &parse_table);
}

Result<TableDetail> StorageClient::get_table(const std::string& table_id) {
  const std::string what = fmt::format("reading table {}", table_id);
  auto response = call("GET", "tables/" + encode(table_id), {}, what, Repeat::always);
  if (!response) return response.error();
  return parsed_body<TableDetail>(*response, what, &parse_table);
}

Result<Job> StorageClient::export_table_async(const std::string& table_id, const ExportOptions& options) {
  const std::string what = fmt::format("starting the export of table {}", table_id);
  json body = {{"gzip", options.gzip}};
  if (options.changed_since) body["changedSince"] = std::to_string(*options.changed_since);
  if (options.changed_until) body["changedUntil"] = std::to_string(*options.changed_until);
  if (!options.columns.empty()) {
    std::string columns;
    for (const auto& column : options.columns) columns += (columns.empty() ? "" : ",") + column;
    body["columns"] = columns;
  }
  if (!options.where_column.empty()) {
    body["whereColumn"] = options.where_column;
    body["whereValues"] = options.where_values;
    body["whereOperator"] = options.where_operator;
  }
  // Exporting changes nothing, so a lost answer is safe to repeat.
  auto response = call("POST", "tables/" + encode(table_id) + "/export-async", body.dump(), what, Repeat::always, {200, 202});
  if (!response) return response.error();
  return parsed_body<Job>(*response, what, &parse_job);
}

Result<Job> StorageClient::import_table_async(const std::string& table_id, const ImportOptions& options) {
  const std::string what = fmt::format("starting the import into table {}", table_id);
  json body = {{"dataFileId", options.data_file_id}, {"incremental", options.incremental}};
  if (!options.columns.empty()) body["columns"] = options.columns;
  if (options.without_headers) body["withoutHeaders"] = true;
  auto response = call("POST", "tables/" + encode(table_id) + "/import-async", body.dump(), what, Repeat::only_if_refused, {200, 202});
  if (!response) return response.error();
  return parsed_body<Job>(*response, what, &parse_job);
}

Result<Job> StorageClient::create_table_async(const std::string& bucket_id, const CreateTableOptions& options) {
  const std::string what = fmt::format("starting the creation of table {}.{}", bucket_id, options.name);
  json body = {{"name", options.name}, {"dataFileId", options.data_file_id}};
  if (!options.primary_key.empty()) {
    std::string primary_key;
    for (const auto& column : options.primary_key) primary_key += (primary_key.empty() ? "" : ",") + column;
    body["primaryKey"] = primary_key;
  }
  auto response = call("POST", "buckets/" + encode(bucket_id) + "/tables-async", body.dump(), what, Repeat::only_if_refused, {200, 202});
  if (!response) return response.error();
  return parsed_body<Job>(*response, what, &parse_job);
}

Status StorageClient::set_table_metadata(const std::string& table_id, const std::string& provider,
                                         const std::vector<MetadataItem>& table_items,
                                         const std::map<std::string, std::vector<MetadataItem>>& column_items) {
  const std::string what = fmt::format("setting metadata of provider {} on table {}", provider, table_id);
  const auto items_json = [](const std::vector<MetadataItem>& items) {
    json out = json::array();
    for (const auto& item : items) out.push_back({{"key", item.key}, {"value", item.value}});
    return out;
  };
  json body = {{"provider", provider}};
  if (!table_items.empty()) body["metadata"] = items_json(table_items);
  if (!column_items.empty()) {
    json columns = json::object();
    for (const auto& [column, items] : column_items) columns[column] = items_json(items);
    body["columnsMetadata"] = columns;
  }
  // Setting an item twice leaves it as once (insert or update by provider and key): resendable.
  auto response = call("POST", "tables/" + encode(table_id) + "/metadata", body.dump(), what, Repeat::always, {200, 201});
  if (!response) return response.error();
  return {};
}

Result<Job> StorageClient::add_primary_key(const std::string& table_id, const std::vector<std::string>& columns) {
  const std::string what = fmt::format("setting the primary key of table {}", table_id);
  const json body = {{"columns", columns}};
  auto response = call("POST", "tables/" + encode(table_id) + "/primary-key", body.dump(), what, Repeat::only_if_refused, {200, 202});
  if (!response) return response.error();
  return parsed_body<Job>(*response, what, &parse_job);
}

Result<Job> StorageClient::remove_primary_key(const std::string& table_id) {
  const std::string what = fmt::format("removing the primary key of table {}", table_id);
  auto response = call("DELETE", "tables/" + encode(table_id) + "/primary-key", {}, what, Repeat::only_if_refused, {200, 202});
  if (!response) return response.error();
  return parsed_body<Job>(*response, what, &parse_job);
}

Result<Job> StorageClient::get_job(const std::string& job_id) {
  const std::string what = fmt::format("reading job {}", job_id);
  auto response = call("GET", "jobs/" + encode(job_id), {}, what, Repeat::always);
  if (!response) return response.error();
  return parsed_body<Job>(*response, what, &parse_job);
}

Result<std::vector<Job>> StorageClient::list_jobs(int limit, int offset) {
  const std::string what = "listing the project's jobs";
  auto response = call("GET", fmt::format("jobs?limit={}&offset={}", limit, offset), {}, what, Repeat::always);
  if (!response) return response.error();
  return parsed_list<Job>(*response, what, &parse_job);
}

std::optional<TimePoint> StorageClient::server_time() const {
  const auto seconds = server_date_.load();
  if (seconds == 0) return std::nullopt;
  return TimePoint(std::chrono::seconds(seconds));
}

std::chrono::milliseconds next_poll_delay(const JobPolling& polling, std::chrono::steady_clock::duration elapsed) {
  const auto share = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed) / std::max(1, polling.fraction);
  return std::clamp(share, polling.min_delay, std::max(polling.min_delay, polling.max_delay));
}

Result<Job> StorageClient::wait_for_job(const Job& started, std::string_view what, std::chrono::milliseconds* last_wait) {
  const auto since = std::chrono::steady_clock::now();
  const auto deadline = since + polling_.timeout;
  Job job = started;  // the answer that started the job: it may be finished already
  bool warned_status = false;
  if (last_wait) *last_wait = std::chrono::milliseconds{0};
  while (true) {
    if (job.status == "success") return job;
    if (job.status == "error") {
      Error error = make_error(ErrorKind::job_failed,
                               fmt::format("{} failed (job {}): {}", what, job.id,
                                           job.error_message.empty() ? "no message" : job.error_message));
      error.api_code = job.error_code;
      error.request_id = job.exception_id;
      return error;
    }
    // Ended otherwise than by success or error (a job queue's own statuses): it will not succeed.
    if (job.status == "cancelled" || job.status == "terminated")
      return make_error(ErrorKind::job_failed, fmt::format("{}: job {} ended with status \"{}\"", what, job.id, job.status),
                        "the job was stopped on the server (by a user or the platform); re-run to copy again");
    // storage-api.md: waiting, processing, success, error. A status the API adds later is
    // waited out like a running one (until --job-timeout), said once so that a stuck run shows why.
    if (job.status != "waiting" && job.status != "processing" && !warned_status) {
      spdlog::warn("{}: job {} has status \"{}\", which this tool does not know; waiting for success or error "
                   "(at most --job-timeout)", what, job.id, job.status);
      warned_status = true;
    }
    const auto now = std::chrono::steady_clock::now();
    const auto delay = next_poll_delay(polling_, now - since);
    if (now + delay > deadline)
      return make_error(ErrorKind::job_failed,
                        fmt::format("{}: job {} did not finish within {} s (status {})", what, job.id,
                                    polling_.timeout.count(), job.status),
                        "the Storage API may be overloaded; re-run later");
    spdlog::debug("{}: job {} is {}, polling in {} ms", what, job.id, job.status, delay.count());
    // A stopped run leaves the job to the server: the journal (import) or a re-run (export)
    // takes it from there.
    if (!process_stop().sleep_for(delay))
      return stopped_error(fmt::format("{}: waiting for job {} ({})", what, job.id, job.status));
    if (last_wait) *last_wait = delay;
    auto polled = get_job(job.id);
    if (!polled) return polled.error();
    job = std::move(*polled);
  }
}

Result<PreparedFile> StorageClient::prepare_file(const PrepareFileOptions& options) {
  const std::string what = fmt::format("preparing the upload of file {}", options.name);
  const json body = {{"name", options.name},       {"sizeBytes", options.size_bytes},
                     {"isSliced", options.is_sliced}, {"federationToken", true},
                     {"isEncrypted", true},          {"notify", false}};
  auto response = call("POST", "files/prepare", body.dump(), what, Repeat::always, {200, 201});
  if (!response) return response.error();
  return parsed_body<PreparedFile>(*response, what, &parse_prepared_file);
}

Result<FileDetail> StorageClient::get_file(std::int64_t file_id) {
  const std::string what = fmt::format("reading the detail of file {}", file_id);
  auto response = call("GET", fmt::format("files/{}?federationToken=1", file_id), {}, what, Repeat::always);
  if (!response) return response.error();
  return parsed_body<FileDetail>(*response, what, &parse_file_detail);
}

Result<PreparedFile> StorageClient::refresh_file(std::int64_t file_id) {
  const std::string what = fmt::format("refreshing the upload credentials of file {}", file_id);
  // Asking again only issues other credentials: safe to repeat.
  auto response = call("PUT", fmt::format("files/{}/refresh", file_id), "{}", what, Repeat::always);
  if (!response) return response.error();
  return parsed_body<PreparedFile>(*response, what, &parse_prepared_file);
}

}  // namespace kbc::storage_api
