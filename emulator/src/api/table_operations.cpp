#include "api/table_operations.hpp"

#include <cstring>
#include <fstream>
#include <mutex>

#include "api/api_error.hpp"
#include "api/lookup.hpp"
#include "data/sliced_writer.hpp"
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

FileStorage file_storage_of(Services& services, std::int64_t project_id) {
  auto project = services.store.find_project(project_id);
  auto region = project ? project->region : std::string();
  if (project && services.provider_of_region(region) == "gcp") return {"gcp", services.gcs_bucket, "gs://", region};
  return {"aws", services.files_bucket, "s3://", region};
}

std::vector<std::filesystem::path> import_files_of(Services& services, const FileRecord& file) {
  const auto storage = file_storage_of(services, file.project_id);
  const auto& bucket = storage.bucket;
  if (!file.is_sliced) {
    if (!services.files.exists(bucket, file.s3_key)) {
      throw bad_request("File " + std::to_string(file.id) + " was not uploaded.", "storage.fileNotUploaded");
    }
    return {services.files.path_of(bucket, file.s3_key)};
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
  return slices;
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

FileRecord export_table(Services& services, const TableMeta& table, const ExportRequest& request,
                        std::optional<std::int64_t> creator_token_id, std::int64_t job_id) {
  auto staging = services.staging_dir / ("export-" + std::to_string(job_id));
  std::filesystem::remove_all(staging);
  std::vector<std::filesystem::path> slices;
  {
    data::SlicedWriter writer(staging, services.options.slice_size, request.gzip);
    auto& rows = services.rows.connection();
    db::Transaction snapshot(rows, false);
    data::export_rows(rows, table, request.query, [&](const auto& values) { writer.add_row(values); });
    slices = writer.finish();
  }
  FileRecord file;
  file.project_id = table.project_id;
  file.name = table.id + ".csv" + (request.gzip ? ".gz" : "");
  file.is_sliced = slices.size() > 1;
  file.created = services.clock.now_seconds();
  file.creator_token_id = creator_token_id;
  file.s3_key = "pending";
  file = services.store.insert_file(file);
  file.s3_key = file_key(file, file.is_sliced);
  std::int64_t size = 0;
  const auto storage = file_storage_of(services, table.project_id);
  if (!file.is_sliced) {
    size = static_cast<std::int64_t>(std::filesystem::file_size(slices.front()));
    std::filesystem::rename(slices.front(), services.files.prepare_write(storage.bucket, file.s3_key));
  } else {
    json entries = json::array();
    for (const auto& slice : slices) {
      auto key = file.s3_key + slice.filename().string();
      size += static_cast<std::int64_t>(std::filesystem::file_size(slice));
      std::filesystem::rename(slice, services.files.prepare_write(storage.bucket, key));
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
