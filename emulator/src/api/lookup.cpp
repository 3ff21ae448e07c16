#include "api/lookup.hpp"

#include "api/api_error.hpp"

namespace kbc::emulator {

std::pair<std::string, std::string> split_table_id(const std::string& table_id) {
  auto first = table_id.find('.');
  auto second = first == std::string::npos ? std::string::npos : table_id.find('.', first + 1);
  if (second == std::string::npos || second + 1 >= table_id.size()) {
    throw bad_request("Invalid table id \"" + table_id + "\": expected {stage}.c-{bucket}.{table}.",
                      "storage.tables.validation.invalidId");
  }
  return {table_id.substr(0, second), table_id.substr(second + 1)};
}

Bucket require_bucket(Services& services, const Caller& caller, const std::string& bucket_id, Access access) {
  if (access == Access::write) require_write(caller, bucket_id); else require_read(caller, bucket_id);
  auto bucket = services.store.find_bucket(caller.project.id, bucket_id);
  if (!bucket) throw not_found("Bucket " + bucket_id + " not found", "storage.buckets.notFound");
  return *bucket;
}

TableMeta require_table(Services& services, const Caller& caller, const std::string& table_id, Access access) {
  auto [bucket_id, name] = split_table_id(table_id);
  if (access == Access::write) require_write(caller, bucket_id); else require_read(caller, bucket_id);
  auto table = services.store.find_table(caller.project.id, table_id);
  if (!table) {
    throw not_found("The table \"" + name + "\" was not found in the bucket \"" + bucket_id + "\" in the project \"" +
                        std::to_string(caller.project.id) + "\"",
                    "storage.tables.notFound");
  }
  return *table;
}

bool reads_all_files(const Token& token) { return token.is_master || token.can_read_all_file_uploads; }

FileRecord require_file(Services& services, const Caller& caller, std::int64_t file_id) {
  auto file = services.store.find_file(caller.project.id, file_id);
  if (!file) throw not_found("File " + std::to_string(file_id) + " not found", "storage.files.notFound");
  if (!reads_all_files(caller.token) && file->creator_token_id != caller.token.id) {
    throw access_denied("You don't have access to the resource. File " + std::to_string(file_id) + ".");
  }
  return *file;
}

}  // namespace kbc::emulator
