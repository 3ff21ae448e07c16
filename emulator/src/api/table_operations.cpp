#include "api/table_operations.hpp"

#include <atomic>
#include <cstring>
#include <fstream>
#include <mutex>

#include "api/api_error.hpp"
#include "api/lookup.hpp"
#include "data/sliced_writer.hpp"
#include "s3/object_files.hpp"
#include "util/time_format.hpp"

namespace kbc::emulator {

using nlohmann::json;

namespace {

char single_char(const std::optional<std::string>& value, char fallback, const char* name, bool allow_empty) {
  if (!value) return fallback;
  if (value->empty() && allow_empty) return '\0';
  if (value->size() != 1) {
    throw bad_request(std::string("Invalid ") + name + " \"" + *value + "\": it must be a single character.",
                      "invalidCsv");
  }
  return (*value)[0];
}

TableMeta require_table_meta(Services& services, std::int64_t project_id, const std::string& table_id) {
  auto table = services.store.find_table(project_id, table_id);
  if (!table) throw not_found("Table " + table_id + " not found", "storage.tables.notFound");
  return *table;
}

std::string safe_key_part(const std::string& name) {
  std::string out;
  for (char c : name) {
    out += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') ? c : '_';
  }
  if (out.empty() || out.find_first_not_of('.') == std::string::npos) out = "file" + out;
  return out;
}

}  // namespace

static TableMeta create_table_unchecked(Services& services, std::int64_t project_id, const std::string& bucket_id,
                                        const std::string& name, const std::vector<std::string>& primary_key,
                                 data::ByteReader& input, data::CsvDialect dialect, std::int64_t now);
static ImportOutcome import_table_unchecked(Services& services, std::int64_t project_id, const std::string& table_id,
                                     data::ByteReader& input, data::CsvDialect dialect, const HeaderSpec& header,
                                     bool incremental, std::int64_t now);

std::size_t StringReader::read(char* buffer, std::size_t size) {
  auto n = std::min(size, text_.size() - pos_);
  std::memcpy(buffer, text_.data() + pos_, n);
  pos_ += n;
  return n;
}

data::CsvDialect csv_dialect(const std::optional<std::string>& delimiter, const std::optional<std::string>& enclosure,
                             const std::optional<std::string>& escaped_by) {
  data::CsvDialect dialect;
  dialect.delimiter = single_char(delimiter, ',', "delimiter", false);
  dialect.enclosure = single_char(enclosure, '"', "enclosure", true);
  dialect.escaped_by = single_char(escaped_by, '\0', "escapedBy", true);
  if (enclosure && !enclosure->empty() && dialect.escaped_by) {
    throw bad_request("Invalid CSV params: give either enclosure or escapedBy, not both.", "invalidCsv");
  }
  if (escaped_by && !escaped_by->empty() && !enclosure) dialect.enclosure = '\0';
  return dialect;
}

std::string file_key(const FileRecord& file, bool sliced) {
  auto date = format_datetime(file.created);  // 2024-01-31T…
  std::string key = "exp-15/" + std::to_string(file.project_id) + "/files/" + date.substr(0, 4) + "/" +
                    date.substr(5, 2) + "/" + date.substr(8, 2) + "/" + std::to_string(file.id) + "." +
                    safe_key_part(file.name);
  return sliced ? key + "/" : key;
}

std::string object_key(const FileStorage& storage, const FileRecord& file, bool sliced) {
  if (storage.provider == "azure") return safe_key_part(file.name) + (sliced ? "/" : "");
  return file_key(file, sliced);
}

std::string azure_container(const FileRecord& file) {
  auto date = format_datetime(file.created).substr(0, 10);  // 2024-01-31
  return "exp-15-files-" + std::to_string(file.project_id) + "-" + std::to_string(file.id) + "-" + date;
}

FileStorage file_storage_of(Services& services, std::int64_t project_id) {
  auto project = services.store.find_project(project_id);
  auto region = project ? project->region : std::string();
  const auto provider = project ? services.provider_of_region(region) : std::string("aws");
  if (provider == "gcp") return {"gcp", services.gcs_bucket, "gs://", region};
  if (provider == "azure") return {"azure", "", "azure://", region};
  return {"aws", services.files_bucket, "s3://", region};
}

ImportFiles::~ImportFiles() {
  if (staging_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(staging_, ignored);
}

namespace {

azure::AzureBlobStore& azure_store(Services& services) {
  if (!services.azure) throw std::runtime_error("this emulator has no Azure blob endpoint (--azure-blob-endpoint)");
  return *services.azure;
}

// An azure file's data, downloaded from the blob service into a fresh staging directory.
ImportFiles azure_import_files(Services& services, const FileRecord& file) {
  static std::atomic<std::uint64_t> next_download{1};
  auto& blobs = azure_store(services);
  const auto container = azure_container(file);
  const auto id = std::to_string(file.id);
  const auto staging = services.staging_dir / ("import-" + id + "-" + std::to_string(next_download++));
  ImportFiles out({}, staging);
  std::filesystem::create_directories(staging);
  if (!file.is_sliced) {
    auto path = staging / "data";
    if (!blobs.download(container, file.s3_key, path)) {
      throw bad_request("File " + id + " was not uploaded.", "storage.fileNotUploaded");
    }
    out.paths.push_back(path);
    return out;
  }
  const auto manifest_blob = file.s3_key + "manifest";
  const auto manifest_path = staging / "manifest";
  if (!blobs.download(container, manifest_blob, manifest_path)) {
    throw bad_request("Manifest file " + manifest_blob + " of sliced file " + id + " is missing.",
                      "storage.manifestFileMissing");
  }
  json manifest;
  {
    std::ifstream in(manifest_path);
    manifest = json::parse(in, nullptr, false);
  }
  if (manifest.is_discarded() || !manifest.contains("entries") || !manifest["entries"].is_array()) {
    throw bad_request("Manifest of sliced file " + id + " is not valid JSON with \"entries\".", "storage.invalidManifest");
  }
  // The entry form the clients write (azure://), and the https:// form the PHP client also reads.
  const std::string host_and_container = blobs.account() + ".blob.core.windows.net/" + container + "/";
  const std::vector<std::string> prefixes = {"azure://" + host_and_container, "https://" + host_and_container};
  int index = 0;
  for (const auto& entry : manifest["entries"]) {
    auto url = entry.is_object() ? entry.value("url", "") : std::string();
    std::string blob;
    for (const auto& prefix : prefixes) {
      if (url.rfind(prefix, 0) == 0) blob = url.substr(prefix.size());
    }
    if (blob.empty() || blob.compare(0, file.s3_key.size(), file.s3_key) != 0) {
      throw ApiError(403, "storage.unauthorizedAccess", "Slice " + url + " does not belong to file " + id + ".");
    }
    auto path = staging / ("slice-" + std::to_string(index++));
    if (!blobs.download(container, blob, path)) {
      throw bad_request("Slice " + url + " listed in the manifest of file " + id + " is missing.",
                        "storage.importFileMissing");
    }
    out.paths.push_back(path);
  }
  return out;
}

}  // namespace

ImportFiles import_files_of(Services& services, const FileRecord& file) {
  const auto storage = file_storage_of(services, file.project_id);
  if (storage.provider == "azure") return azure_import_files(services, file);
  const auto& bucket = storage.bucket;
  if (!file.is_sliced) {
    if (!services.files.exists(bucket, file.s3_key)) {
      throw bad_request("File " + std::to_string(file.id) + " was not uploaded.", "storage.fileNotUploaded");
    }
    return ImportFiles({services.files.path_of(bucket, file.s3_key)});
  }
  auto manifest_key = file.s3_key + "manifest";
  if (!services.files.exists(bucket, manifest_key)) {
    throw bad_request("Manifest file " + manifest_key + " of sliced file " + std::to_string(file.id) + " is missing.",
                      "storage.manifestFileMissing");
  }
  std::ifstream in(services.files.path_of(bucket, manifest_key));
  json manifest = json::parse(in, nullptr, false);
  if (manifest.is_discarded() || !manifest.contains("entries") || !manifest["entries"].is_array()) {
    throw bad_request("Manifest of sliced file " + std::to_string(file.id) + " is not valid JSON with \"entries\".",
                      "storage.invalidManifest");
  }
  std::vector<std::filesystem::path> slices;
  const std::string prefix = storage.scheme + bucket + "/";
  for (const auto& entry : manifest["entries"]) {
    auto url = entry.value("url", "");
    if (url.rfind(prefix, 0) != 0 || url.compare(prefix.size(), file.s3_key.size(), file.s3_key) != 0) {
      throw ApiError(403, "storage.unauthorizedAccess",
                     "Slice " + url + " does not belong to file " + std::to_string(file.id) + ".");
    }
    auto key = url.substr(prefix.size());
    if (!services.files.exists(bucket, key)) {
      throw bad_request("Slice " + url + " listed in the manifest of file " + std::to_string(file.id) + " is missing.",
                        "storage.importFileMissing");
    }
    slices.push_back(services.files.path_of(bucket, key));
  }
  return ImportFiles(std::move(slices));
}

TableMeta create_table(Services& services, std::int64_t project_id, const std::string& bucket_id,
                       const std::string& name, const std::vector<std::string>& primary_key,
                       data::ByteReader& input, data::CsvDialect dialect, std::int64_t now) {
  try {
    return create_table_unchecked(services, project_id, bucket_id, name, primary_key, input, dialect, now);
  } catch (const data::InputError& e) {
    throw bad_request(std::string("Invalid CSV file: ") + e.what(), "invalidCsv");
  }
}

static TableMeta create_table_unchecked(Services& services, std::int64_t project_id, const std::string& bucket_id,
                                        const std::string& name, const std::vector<std::string>& primary_key,
                                 data::ByteReader& input, data::CsvDialect dialect, std::int64_t now) {
  data::CsvReader reader(input, dialect);
  std::vector<std::string> header;
  if (!reader.next(header) || header.empty()) {
    throw bad_request("The file has no header row: a new table takes its columns from the first row.", "invalidCsv");
  }
  for (const auto& column : header) data::validate_column_name(column);
  for (const auto& column : primary_key) {
    if (std::find(header.begin(), header.end(), column) == header.end()) {
      throw bad_request("Primary key column \"" + column + "\" is not among the columns of the file.",
                        "storage.tables.validation.invalidPrimaryKeyColumns");
    }
  }
  TableMeta table;
  table.storage_id = services.next_storage_id++;
  table.project_id = project_id;
  table.bucket_id = bucket_id;
  table.name = name;
  table.id = bucket_id + "." + name;
  table.primary_key = primary_key;
  table.created = now;
  table.columns = header;
  auto& rows = services.rows.connection();
  {
    db::Transaction transaction(rows);
    data::create_rows_table(rows, table);
    data::load_rows(rows, table, reader, header, true, now, dialect.delimiter);
    transaction.commit();
  }
  try {
    table = services.store.insert_table(table);
  } catch (...) {
    data::drop_rows_table(rows, table);
    throw bad_request("The table " + table.id + " already exists.", "storage.tables.alreadyExists");
  }
  return table;
}

ImportOutcome import_table(Services& services, std::int64_t project_id, const std::string& table_id,
                           data::ByteReader& input, data::CsvDialect dialect, const HeaderSpec& header,
                           bool incremental, std::int64_t now) {
  try {
    return import_table_unchecked(services, project_id, table_id, input, dialect, header, incremental, now);
  } catch (const data::InputError& e) {
    throw bad_request(std::string("Invalid CSV file: ") + e.what(), "invalidCsv");
  }
}

static ImportOutcome import_table_unchecked(Services& services, std::int64_t project_id, const std::string& table_id,
                                     data::ByteReader& input, data::CsvDialect dialect, const HeaderSpec& header,
                                     bool incremental, std::int64_t now) {
  auto& rows = services.rows.connection();
  db::Transaction transaction(rows);  // serializes imports: read the metadata under the lock
  auto table = require_table_meta(services, project_id, table_id);
  data::CsvReader reader(input, dialect);
  std::vector<std::string> file_columns = header.columns;
  if (file_columns.empty()) {
    if (header.without_headers) {
      file_columns = table.columns;
    } else if (!reader.next(file_columns)) {
      throw bad_request("The file is empty: it has no header row.", "invalidCsv");
    }
  }
  auto load = data::load_rows(rows, table, reader, file_columns, incremental, now, dialect.delimiter);
  transaction.commit();
  services.store.update_table(table);
  return {table, load};
}

namespace {

// Uploads an export's staged slices into the file's container (created here), sliced ones with
// a manifest of azure:// entries; returns the bytes written.
std::int64_t export_to_azure(Services& services, const FileRecord& file, const std::vector<std::filesystem::path>& slices,
                             bool gzip) {
  auto& blobs = azure_store(services);
  const auto container = azure_container(file);
  const std::string content_type = gzip ? "application/gzip" : "text/csv";
  blobs.create_container(container);
  std::int64_t size = 0;
  if (!file.is_sliced) {
    size = static_cast<std::int64_t>(std::filesystem::file_size(slices.front()));
    blobs.put_file(container, file.s3_key, slices.front(), content_type);
    return size;
  }
  json entries = json::array();
  for (const auto& slice : slices) {
    auto blob = file.s3_key + slice.filename().string();
    size += static_cast<std::int64_t>(std::filesystem::file_size(slice));
    blobs.put_file(container, blob, slice, content_type);
    entries.push_back({{"url", blobs.entry_url(container, blob)}, {"mandatory", true}});
  }
  blobs.put_text(container, file.s3_key + "manifest", json{{"entries", entries}}.dump(), "application/json");
  return size;
}

}  // namespace

FileRecord export_table(Services& services, const TableMeta& table, const ExportRequest& request,
                        std::optional<std::int64_t> creator_token_id, std::int64_t job_id) {
  auto staging = services.staging_dir / ("export-" + std::to_string(job_id));
  std::filesystem::remove_all(staging);
  std::vector<std::filesystem::path> slices;
  std::vector<std::string> md5s;
  {
    data::SlicedWriter writer(staging, services.options.slice_size, request.gzip);
    auto& rows = services.rows.connection();
    db::Transaction snapshot(rows, false);
    data::export_rows(rows, table, request.query, [&](const auto& values) { writer.add_row(values); });
    slices = writer.finish();
    md5s = writer.md5s();
  }
  FileRecord file;
  file.project_id = table.project_id;
  file.name = table.id + ".csv" + (request.gzip ? ".gz" : "");
  file.is_sliced = slices.size() > 1;
  file.created = services.clock.now_seconds();
  file.creator_token_id = creator_token_id;
  // The export's file carries the run id of the request that started the export.
  if (auto job = services.store.find_job(job_id)) file.run_id = job->run_id;
  file.s3_key = "pending";
  file = services.store.insert_file(file);
  const auto storage = file_storage_of(services, table.project_id);
  file.s3_key = object_key(storage, file, file.is_sliced);
  std::int64_t size = 0;
  if (storage.provider == "azure") {
    try {
      size = export_to_azure(services, file, slices, request.gzip);
    } catch (...) {
      std::error_code ignored;
      std::filesystem::remove_all(staging, ignored);
      throw;
    }
  } else if (!file.is_sliced) {
    size = static_cast<std::int64_t>(std::filesystem::file_size(slices.front()));
    std::filesystem::rename(slices.front(), services.files.prepare_write(storage.bucket, file.s3_key));
    services.files.objects().record_md5_etag(storage.bucket, file.s3_key, md5s.front());
  } else {
    json entries = json::array();
    for (std::size_t i = 0; i < slices.size(); ++i) {
      const auto& slice = slices[i];
      auto key = file.s3_key + slice.filename().string();
      size += static_cast<std::int64_t>(std::filesystem::file_size(slice));
      std::filesystem::rename(slice, services.files.prepare_write(storage.bucket, key));
      services.files.objects().record_md5_etag(storage.bucket, key, md5s[i]);
      entries.push_back({{"url", storage.scheme + storage.bucket + "/" + key}, {"mandatory", true}});
    }
    auto manifest_path = services.files.prepare_write(storage.bucket, file.s3_key + "manifest");
    auto temp = manifest_path;
    temp += ".tmp";
    {
      std::ofstream out(temp);
      out << json{{"entries", entries}}.dump();
    }
    std::filesystem::rename(temp, manifest_path);
  }
  std::filesystem::remove_all(staging);
  file.size_bytes = size;
  services.store.update_file(file);
  return file;
}

void set_primary_key(Services& services, std::int64_t project_id, const std::string& table_id,
                     const std::vector<std::string>& columns) {
  auto& rows = services.rows.connection();
  db::Transaction transaction(rows);
  auto table = require_table_meta(services, project_id, table_id);
  data::add_primary_key(rows, table, columns);
  transaction.commit();
  services.store.update_table(table);
}

void drop_primary_key(Services& services, std::int64_t project_id, const std::string& table_id) {
  auto& rows = services.rows.connection();
  db::Transaction transaction(rows);
  auto table = require_table_meta(services, project_id, table_id);
  data::remove_primary_key(rows, table);
  transaction.commit();
  services.store.update_table(table);
}

void drop_table(Services& services, std::int64_t project_id, const std::string& table_id) {
  auto& rows = services.rows.connection();
  db::Transaction transaction(rows);
  auto table = require_table_meta(services, project_id, table_id);
  data::drop_rows_table(rows, table);
  transaction.commit();
  services.store.delete_table(project_id, table_id);
}

}  // namespace kbc::emulator
