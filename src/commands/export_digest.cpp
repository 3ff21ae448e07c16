#include "commands/export_digest.hpp"

#include <fmt/format.h>

#include "kbc_storage_extract/transfer/object_store.hpp"

namespace kbc::commands {

Result<extract::RowDigest> export_digest(storage_api::StorageClient& client, const std::string& table_id,
                                         const std::vector<std::string>& columns) {
  storage_api::ExportOptions options;
  options.gzip = true;
  options.columns = columns;
  auto started = client.export_table_async(table_id, options);
  if (!started) return started.error();
  auto job = client.wait_for_job(*started, "export of " + table_id);
  if (!job) return job.error();
  if (!job->file_id)
    return make_error(ErrorKind::protocol, fmt::format("export of {}: job {} finished without results.file.id", table_id, job->id));
  auto file = client.get_file(*job->file_id);
  if (!file) return file.error();
  auto store = transfer::open_object_store(file->access);
  if (!store) return store.error();
  std::vector<std::string> keys;
  if (file->is_sliced) {
    auto manifest = storage_api::read_manifest(**store, file->key);
    if (!manifest) return manifest.error();
    for (const auto& slice : *manifest) keys.push_back(slice.key);
  } else {
    keys.push_back(file->key);
  }
  extract::CsvRowDigester digester;
  for (const auto& key : keys) {
    // The store delivers each byte once, in order (a dropped read resumes where it stopped).
    auto read = (*store)->read(key, {}, [&](const char* data, std::size_t size) { return digester.feed(data, size); });
    if (!read) return read.error();
    if (!digester.end_object())
      return make_error(ErrorKind::integrity, fmt::format("export of {}: slice {} is not readable CSV (gzip)", table_id, key));
  }
  auto digest = digester.digest();
  if (!digest) return make_error(ErrorKind::integrity, fmt::format("export of {}: the file is not readable CSV (gzip)", table_id));
  return *digest;
}

}  // namespace kbc::commands
