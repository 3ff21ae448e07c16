#include "kbc_storage_extract/decimal.hpp"
#include "kbc_storage_extract/storage_api/parse.hpp"

#include "kbc_storage_extract/clock_years.hpp"
#include "kbc_storage_extract/redact.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <ctime>

namespace kbc::storage_api {

using nlohmann::json;

namespace {

Error bad_field(std::string_view object, std::string_view field) {
  return make_error(ErrorKind::protocol,
                    fmt::format("the Storage API answered a {} without a valid \"{}\"", object, field),
                    "check that the URL points at a Keboola Storage API");
}

// Strings and numbers both appear as ids depending on the endpoint and the client.
std::string id_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
  return {};
}

std::string string_or(const json& body, const char* key, std::string fallback = {}) {
  const auto it = body.find(key);
  if (it == body.end() || !it->is_string()) return fallback;
  return it->get<std::string>();
}

bool bool_or(const json& body, const char* key, bool fallback = false) {
  const auto it = body.find(key);
  if (it == body.end()) return fallback;
  if (it->is_boolean()) return it->get<bool>();
  if (it->is_number_integer()) return it->get<int>() != 0;
  if (it->is_string()) return *it == "1" || *it == "true";
  return fallback;
}

std::optional<std::uint64_t> uint_opt(const json& body, const char* key) {
  const auto it = body.find(key);
  if (it == body.end()) return std::nullopt;
  if (it->is_number_unsigned()) return it->get<std::uint64_t>();
  if (it->is_number_integer() && it->get<std::int64_t>() >= 0) return static_cast<std::uint64_t>(it->get<std::int64_t>());
  if (it->is_string()) return parse_decimal_u64(it->get_ref<const std::string&>());
  return std::nullopt;
}

std::vector<std::string> strings(const json& body, const char* key) {
  std::vector<std::string> out;
  const auto it = body.find(key);
  if (it == body.end() || !it->is_array()) return out;
  for (const auto& item : *it) {
    if (item.is_string()) out.push_back(item.get<std::string>());
    else if (item.is_object() && item.contains("name") && item["name"].is_string()) out.push_back(item["name"].get<std::string>());
  }
  return out;
}

std::optional<std::int64_t> int_id(const json& value) {
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (value.is_string()) {
    std::int64_t id = 0;
    const auto& s = value.get_ref<const std::string&>();
    if (!s.empty() && std::from_chars(s.data(), s.data() + s.size(), id).ec == std::errc{}) return id;
  }
  return std::nullopt;
}

// The object at `key`, or an empty one when it is absent or of another type: a block that is
// not an object then reads as missing, and the checks name its fields (json::value() would
// throw on a string or a boolean).
const json& object_at(const json& body, const char* key) {
  static const json empty = json::object();
  const auto it = body.find(key);
  return it != body.end() && it->is_object() ? *it : empty;
}

// Every credential of a file answer is registered with the log masking the moment it is read,
// so that no error message that echoes a request (a storage server's, curl's) can show it.
void register_credentials(const transfer::FileAccess& access) {
  if (const auto* aws = std::get_if<transfer::AwsAccess>(&access)) {
    register_secret(aws->secret_access_key);
    register_secret(aws->session_token);
    register_secret(Secret(aws->access_key_id));
  } else if (const auto* gcs = std::get_if<transfer::GcsAccess>(&access)) {
    register_secret(gcs->access_token);
  } else if (const auto* azure = std::get_if<transfer::AzureAccess>(&access)) {
    register_secret(azure->sas_connection_string);
    const auto& text = azure->sas_connection_string.reveal();
    const auto sas = text.find("SharedAccessSignature=");
    if (sas != std::string::npos) {
      const auto from = sas + 22;
      register_secret(Secret(text.substr(from, text.find(';', from) - from)));
    }
  }
}

// The provider-specific access block of a file answer; `path_key` names the object path block.
Result<std::pair<transfer::FileAccess, std::string>> parse_access(const json& body, std::string_view object,
                                                                  bool prepared) {
  const std::string provider = string_or(body, "provider", "aws");
  if (provider == "aws") {
    const json* path = nullptr;
    if (prepared) {
      if (!body.contains("uploadParams") || !body["uploadParams"].is_object()) return bad_field(object, "uploadParams");
      path = &body["uploadParams"];
    } else {
      if (!body.contains("s3Path") || !body["s3Path"].is_object()) return bad_field(object, "s3Path");
      path = &body["s3Path"];
    }
    const json& creds = object_at(prepared ? *path : body, "credentials");
    transfer::AwsAccess access;
    access.region = string_or(body, "region", "us-east-1");
    access.bucket = string_or(*path, "bucket");
    access.access_key_id = string_or(creds, "AccessKeyId");
    access.secret_access_key = Secret(string_or(creds, "SecretAccessKey"));
    access.session_token = Secret(string_or(creds, "SessionToken"));
    if (auto expiration = parse_api_time(string_or(creds, "Expiration"))) access.expiration = *expiration;
    access.server_side_encryption = bool_or(body, "isEncrypted") || path->contains("x-amz-server-side-encryption");
    const std::string key = string_or(*path, "key");
    if (access.bucket.empty()) return bad_field(object, "bucket");
    if (key.empty()) return bad_field(object, "key");
    if (access.access_key_id.empty() || access.secret_access_key.empty())
      return bad_field(object, "credentials (was federationToken=1 sent?)");
    return std::pair<transfer::FileAccess, std::string>{std::move(access), key};
  }
  if (provider == "azure") {
    const json& path = object_at(body, prepared ? "absUploadParams" : "absPath");
    const json& creds = object_at(prepared ? path : body, "absCredentials");
    transfer::AzureAccess access;
    access.account = string_or(path, "accountName");
    access.container = string_or(path, "container");
    access.sas_connection_string = Secret(string_or(creds, "SASConnectionString"));
    if (auto expiration = parse_api_time(string_or(creds, "expiration"))) access.expiration = *expiration;
    const std::string blob = string_or(path, prepared ? "blobName" : "name");
    const char* block = prepared ? "absUploadParams" : "absPath";
    if (access.container.empty()) return bad_field(object, std::string(block) + ".container");
    if (blob.empty()) return bad_field(object, std::string(block) + (prepared ? ".blobName" : ".name"));
    if (access.sas_connection_string.empty())
      return bad_field(object, prepared ? "absUploadParams.absCredentials.SASConnectionString"
                                        : "absCredentials.SASConnectionString (was federationToken=1 sent?)");
    return std::pair<transfer::FileAccess, std::string>{std::move(access), blob};
  }
  if (provider == "gcp") {
    const json& path = object_at(body, prepared ? "gcsUploadParams" : "gcsPath");
    const json& creds = prepared ? path : object_at(body, "gcsCredentials");
    transfer::GcsAccess access;
    access.bucket = string_or(path, "bucket");
    access.project_id = string_or(prepared ? path : creds, "projectId");
    access.access_token = Secret(string_or(creds, "access_token"));
    access.token_type = string_or(creds, "token_type", "Bearer");
    // An OAuth access token lives an hour; a longer lifetime is capped at a day, and a huge one
    // would overflow the clock (nanoseconds).
    if (auto expires_in = uint_opt(creds, "expires_in"))
      access.expiration = std::chrono::system_clock::now() + std::chrono::seconds(std::min<std::uint64_t>(*expires_in, 86400));
    const std::string key = string_or(path, "key");
    if (access.bucket.empty()) return bad_field(object, prepared ? "gcsUploadParams.bucket" : "gcsPath.bucket");
    if (key.empty()) return bad_field(object, prepared ? "gcsUploadParams.key" : "gcsPath.key");
    if (access.access_token.empty())
      return bad_field(object, prepared ? "gcsUploadParams.access_token" : "gcsCredentials.access_token (was federationToken=1 sent?)");
    return std::pair<transfer::FileAccess, std::string>{std::move(access), key};
  }
  return make_error(ErrorKind::protocol, fmt::format("the {} uses file storage provider \"{}\", which this tool does not know", object, provider),
                    "supported providers: aws, azure, gcp");
}

}  // namespace

std::optional<TimePoint> parse_api_time(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, consumed = 0;
  const std::string s(text);
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute, &second, &consumed) != 6)
    return std::nullopt;
  std::string_view rest = text.substr(static_cast<std::size_t>(consumed));
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') rest.remove_prefix(1);
  }
  long offset_seconds = 0;
  if (rest == "Z" || rest.empty()) {
    offset_seconds = 0;
  } else if (rest.front() == '+' || rest.front() == '-') {
    const int sign = rest.front() == '-' ? -1 : 1;
    std::string digits;
    for (char c : rest.substr(1)) if (c != ':') digits += c;
    if (digits.size() != 4 || digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    offset_seconds = sign * (std::stol(digits.substr(0, 2)) * 3600 + std::stol(digits.substr(2, 2)) * 60);
  } else {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  if (!year_fits_clock(year)) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return std::nullopt;
  const auto local = std::chrono::sys_days{date} + std::chrono::hours{hour} + std::chrono::minutes{minute} +
                     std::chrono::seconds{second};
  return std::chrono::time_point_cast<TimePoint::duration>(local - std::chrono::seconds{offset_seconds});
}

std::string format_iso_utc(TimePoint time) {
  const std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

Result<TokenInfo> parse_token_info(const json& body) {
  if (!body.is_object()) return bad_field("token verification", "id");
  TokenInfo token;
  token.id = id_text(body.value("id", json()));
  if (token.id.empty()) return bad_field("token verification", "id");
  token.description = string_or(body, "description");
  token.is_master_token = bool_or(body, "isMasterToken");
  token.can_manage_buckets = bool_or(body, "canManageBuckets");
  token.can_manage_tokens = bool_or(body, "canManageTokens");
  token.is_expired = bool_or(body, "isExpired");
  token.is_disabled = bool_or(body, "isDisabled");
  if (body.contains("expires") && body["expires"].is_string()) {
    token.expires = parse_api_time(body["expires"].get<std::string>());
    if (!token.expires) return bad_field("token verification", "expires");
  }
  // A wrong type here is a broken answer, not a token without rights: say so, not "no bucket".
  for (const char* block : {"bucketPermissions", "owner"})
    if (body.contains(block) && !body[block].is_object()) return bad_field("token verification", block);
  if (body.contains("bucketPermissions")) {
    for (const auto& [bucket, permission] : body["bucketPermissions"].items())
      token.bucket_permissions[bucket] = permission.is_string() ? permission.get<std::string>() : permission.dump();
  }
  if (body.contains("owner")) {
    const auto& owner = body["owner"];
    token.project_id = id_text(owner.value("id", json()));
    token.project_name = string_or(owner, "name");
    token.region = string_or(owner, "region");
    token.file_storage_provider = string_or(owner, "fileStorageProvider");
  }
  return token;
}

Result<IssuedToken> parse_issued_token(const json& body) {
  // The string first: whatever fails after this, the value is masked wherever it may show.
  if (!body.is_object() || !body.contains("token") || !body["token"].is_string() ||
      body["token"].get<std::string>().empty())
    return bad_field("token", "token");
  IssuedToken issued;
  issued.token = Secret(body["token"].get<std::string>());
  register_secret(issued.token);
  auto info = parse_token_info(body);
  if (!info) return info.error();
  issued.info = std::move(*info);
  return issued;
}

Result<Bucket> parse_bucket(const json& body) {
  if (!body.is_object() || string_or(body, "id").empty()) return bad_field("bucket", "id");
  return Bucket{string_or(body, "id"), string_or(body, "name"), string_or(body, "stage"), string_or(body, "description")};
}

namespace {
// The items of a `metadata` array; anything not an object with a key is left out.
std::vector<MetadataItem> metadata_items(const json& items) {
  std::vector<MetadataItem> out;
  if (!items.is_array()) return out;
  for (const auto& item : items) {
    if (!item.is_object() || string_or(item, "key").empty()) continue;
    out.push_back({string_or(item, "key"), string_or(item, "value"), string_or(item, "provider")});
  }
  return out;
}
}  // namespace

Result<TableDetail> parse_table(const json& body) {
  if (!body.is_object() || string_or(body, "id").empty()) return bad_field("table", "id");
  TableDetail table;
  table.id = string_or(body, "id");
  table.name = string_or(body, "name");
  if (body.contains("bucket") && body["bucket"].is_object()) table.bucket_id = string_or(body["bucket"], "id");
  if (table.bucket_id.empty()) {
    const auto dot = table.id.rfind('.');
    if (dot != std::string::npos) table.bucket_id = table.id.substr(0, dot);
  }
  if (table.name.empty()) table.name = table.id.substr(table.id.rfind('.') + 1);
  table.columns = strings(body, "columns");
  // Every table has columns, and both answers read here list them: without, the copy would
  // export a file without a header and fail only at the import (or import garbage).
  if (table.columns.empty() || table.columns.size() != body["columns"].size())
    return bad_field(fmt::format("table {}", table.id), "columns");
  table.primary_key = strings(body, "primaryKey");
  table.rows_count = uint_opt(body, "rowsCount").value_or(0);
  table.data_size_bytes = uint_opt(body, "dataSizeBytes").value_or(0);
  table.last_import_date = string_or(body, "lastImportDate");
  table.last_change_date = string_or(body, "lastChangeDate");
  table.metadata = metadata_items(body.value("metadata", json()));
  // columnMetadata is {column: [items]}, or [] when no column has any.
  if (const auto columns = body.value("columnMetadata", json()); columns.is_object())
    for (auto it = columns.begin(); it != columns.end(); ++it) table.column_metadata[it.key()] = metadata_items(*it);
  return table;
}

Result<Job> parse_job(const json& body) {
  if (!body.is_object()) return bad_field("job", "id");
  Job job;
  job.id = id_text(body.value("id", json()));
  job.status = string_or(body, "status");
  if (job.id.empty()) return bad_field("job", "id");
  if (job.status.empty()) return bad_field("job", "status");
  job.operation_name = string_or(body, "operationName");
  job.table_id = string_or(body, "tableId");
  job.created = parse_api_time(string_or(body, "createdTime"));
  // The file a tableImport reads: operationParams.source.fileId, or the request's own
  // dataFileId where a server echoes the request's parameters.
  if (body.contains("operationParams") && body["operationParams"].is_object()) {
    const auto& params = body["operationParams"];
    if (params.contains("source") && params["source"].is_object() && params["source"].contains("fileId"))
      job.import_file_id = int_id(params["source"]["fileId"]);
    else if (params.contains("dataFileId"))
      job.import_file_id = int_id(params["dataFileId"]);
  }
  if (body.contains("results") && body["results"].is_object()) {
    const auto& results = body["results"];
    if (results.contains("file") && results["file"].is_object() && results["file"].contains("id"))
      job.file_id = int_id(results["file"]["id"]);
    job.created_table_id = string_or(results, "id");
    job.total_rows_count = uint_opt(results, "totalRowsCount");
    job.total_data_size_bytes = uint_opt(results, "totalDataSizeBytes");
  }
  if (body.contains("error") && body["error"].is_object()) {
    job.error_message = string_or(body["error"], "message");
    job.error_code = string_or(body["error"], "code");
    job.exception_id = string_or(body["error"], "exceptionId");
  }
  return job;
}

Result<FileDetail> parse_file_detail(const json& body) {
  if (!body.is_object() || !body.contains("id")) return bad_field("file detail", "id");
  FileDetail file;
  const auto id = int_id(body["id"]);
  if (!id) return bad_field("file detail", "id");
  file.id = *id;
  file.name = string_or(body, "name");
  file.is_sliced = bool_or(body, "isSliced");
  file.size_bytes = uint_opt(body, "sizeBytes");
  if (body.contains("sizeBytes") && !body["sizeBytes"].is_null() && !file.size_bytes) return bad_field("file detail", "sizeBytes");
  file.url = Secret(string_or(body, "url"));
  auto access = parse_access(body, "file detail", false);
  if (!access) return access.error();
  register_credentials(access->first);
  register_secret(file.url);
  file.access = std::move(access->first);
  file.key = std::move(access->second);
  // The detail of a sliced file may name the manifest itself; slices live under its prefix.
  if (file.is_sliced && file.key.size() >= 8 && file.key.ends_with("manifest"))
    file.key.erase(file.key.size() - 8);
  // An empty prefix would make every object of the bucket a candidate slice.
  if (file.is_sliced && file.key.empty()) return bad_field("file detail", "key");
  return file;
}

Result<PreparedFile> parse_prepared_file(const json& body) {
  if (!body.is_object() || !body.contains("id")) return bad_field("prepared file", "id");
  PreparedFile file;
  const auto id = int_id(body["id"]);
  if (!id) return bad_field("prepared file", "id");
  file.id = *id;
  file.name = string_or(body, "name");
  file.is_sliced = bool_or(body, "isSliced");
  auto access = parse_access(body, "prepared file", true);
  if (!access) return access.error();
  register_credentials(access->first);
  file.access = std::move(access->first);
  file.key = std::move(access->second);
  return file;
}

}  // namespace kbc::storage_api
