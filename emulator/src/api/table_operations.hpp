#pragma once
// The work of table jobs (create from a file, import, export, primary key, drop), shared by
// the async routes and the seed loader. Rows and metadata live in separate SQLite files: the
// rows change in one transaction (a failed load changes nothing), then the metadata follows.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/csv.hpp"
#include "data/table_data.hpp"
#include "model/entities.hpp"
#include "services.hpp"

namespace kbc::emulator {

// How the file's columns are known: from its first row, from `columns[]`, or (withoutHeaders)
// the table's own column order.
struct HeaderSpec {
  std::vector<std::string> columns;  // non-empty: the file has no header, these are its columns
  bool without_headers = false;
};

// Parses delimiter/enclosure/escapedBy (400 invalidCsv when invalid).
data::CsvDialect csv_dialect(const std::optional<std::string>& delimiter, const std::optional<std::string>& enclosure,
                             const std::optional<std::string>& escaped_by);

// The data files behind a Storage file: the object itself, or the slices its manifest lists
// (storage.manifestFileMissing, storage.importFileMissing, storage.unauthorizedAccess). Files
// of azure projects are downloaded from the blob service into a staging directory that lives
// as long as the ImportFiles.
class ImportFiles {
 public:
  ImportFiles() = default;
  explicit ImportFiles(std::vector<std::filesystem::path> paths, std::filesystem::path staging = {})
      : paths(std::move(paths)), staging_(std::move(staging)) {}
  ImportFiles(ImportFiles&& other) noexcept : paths(std::move(other.paths)), staging_(std::move(other.staging_)) {
    other.staging_.clear();
  }
  ImportFiles& operator=(ImportFiles&&) = delete;
  ImportFiles(const ImportFiles&) = delete;
  ~ImportFiles();
  std::vector<std::filesystem::path> paths;

 private:
  std::filesystem::path staging_;  // removed with everything in it; empty: nothing to remove
};
ImportFiles import_files_of(Services& services, const FileRecord& file);

TableMeta create_table(Services& services, std::int64_t project_id, const std::string& bucket_id,
                       const std::string& name, const std::vector<std::string>& primary_key,
                       data::ByteReader& input, data::CsvDialect dialect, std::int64_t now);

struct ImportOutcome {
  TableMeta table;
  data::LoadResult load;
};
ImportOutcome import_table(Services& services, std::int64_t project_id, const std::string& table_id,
                           data::ByteReader& input, data::CsvDialect dialect, const HeaderSpec& header,
                           bool incremental, std::int64_t now);

struct ExportRequest {
  data::ExportQuery query;
  bool gzip = false;
};
// Writes the export into the file storage as a new file of the project; returns it.
FileRecord export_table(Services& services, const TableMeta& table, const ExportRequest& request,
                        std::optional<std::int64_t> creator_token_id, std::int64_t job_id);

void set_primary_key(Services& services, std::int64_t project_id, const std::string& table_id,
                     const std::vector<std::string>& columns);
void drop_primary_key(Services& services, std::int64_t project_id, const std::string& table_id);
void drop_table(Services& services, std::int64_t project_id, const std::string& table_id);

// The file storage of a project's region: AWS S3 (bucket kbc-sapi-files, s3:// manifest
// entries), Google Cloud Storage (bucket kbc-gcs-files, gs:// entries) or Azure Blob Storage
// (a container per file, azure://<account>.blob.core.windows.net/<container>/… entries).
struct FileStorage {
  std::string provider;  // "aws" | "gcp" | "azure"
  std::string bucket;    // empty for azure: see azure_container()
  std::string scheme;    // "s3://" | "gs://" | "azure://"
  std::string region;    // the project's region
};
FileStorage file_storage_of(Services& services, std::int64_t project_id);

// Where a project's file lives in the file storage ("exp-15/<project>/files/…/<id>.<name>").
std::string file_key(const FileRecord& file, bool sliced);
// The key (blob name) of a file in `storage`: file_key() on S3 and GCS; on Azure the file's
// (sanitised) name, as Keboola's Azure stacks name blobs, with "/" appended when sliced.
std::string object_key(const FileStorage& storage, const FileRecord& file, bool sliced);
// The Azure container of a file, one per file as on Keboola's Azure stacks:
// "exp-15-files-<projectId>-<fileId>-<yyyy-mm-dd>".
std::string azure_container(const FileRecord& file);

// A ByteReader over a string (inline seed data, small bodies).
class StringReader : public data::ByteReader {
 public:
  explicit StringReader(std::string text) : text_(std::move(text)) {}
  std::size_t read(char* buffer, std::size_t size) override;

 private:
  std::string text_;
  std::size_t pos_ = 0;
};

}  // namespace kbc::emulator
