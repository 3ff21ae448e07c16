#include "db/database.hpp"

#include <map>
#include <memory>

#include "db/migrations.hpp"

namespace kbc::emulator::db {

namespace {

std::atomic<std::uint64_t> next_generation{1};

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS projects(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, region TEXT NOT NULL, organization_id INTEGER NOT NULL,
  type TEXT NOT NULL DEFAULT 'production', created INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tokens(
  id INTEGER PRIMARY KEY AUTOINCREMENT, project_id INTEGER NOT NULL, token TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '', is_master INTEGER NOT NULL DEFAULT 0,
  can_manage_buckets INTEGER NOT NULL DEFAULT 0, can_read_all_file_uploads INTEGER NOT NULL DEFAULT 0,
  can_purge_trash INTEGER NOT NULL DEFAULT 0, bucket_permissions TEXT NOT NULL DEFAULT '{}',
  component_access TEXT NOT NULL DEFAULT '[]', expires INTEGER, created INTEGER NOT NULL,
  refreshed INTEGER NOT NULL, creator_token_id INTEGER);
CREATE TABLE IF NOT EXISTS token_events(
  id INTEGER PRIMARY KEY AUTOINCREMENT, token_id INTEGER NOT NULL, project_id INTEGER NOT NULL,
  event TEXT NOT NULL, message TEXT NOT NULL, object_type TEXT NOT NULL DEFAULT '',
  object_id TEXT NOT NULL DEFAULT '', params TEXT NOT NULL DEFAULT '{}', created INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS token_events_by_token ON token_events(token_id, id);
CREATE TABLE IF NOT EXISTS buckets(
  project_id INTEGER NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, stage TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '', display_name TEXT NOT NULL, created INTEGER NOT NULL,
  PRIMARY KEY(project_id, id));
CREATE TABLE IF NOT EXISTS storage_tables(
  storage_id INTEGER PRIMARY KEY AUTOINCREMENT, project_id INTEGER NOT NULL, id TEXT NOT NULL,
  bucket_id TEXT NOT NULL, name TEXT NOT NULL, columns TEXT NOT NULL, primary_key TEXT NOT NULL,
  rows_count INTEGER NOT NULL DEFAULT 0, data_size_bytes INTEGER NOT NULL DEFAULT 0,
  created INTEGER NOT NULL, last_import_date INTEGER, last_change_date INTEGER,
  UNIQUE(project_id, id));
CREATE TABLE IF NOT EXISTS files(
  id INTEGER PRIMARY KEY AUTOINCREMENT, project_id INTEGER NOT NULL, name TEXT NOT NULL,
  s3_key TEXT NOT NULL, is_sliced INTEGER NOT NULL, is_encrypted INTEGER NOT NULL,
  is_public INTEGER NOT NULL DEFAULT 0, size_bytes INTEGER, tags TEXT NOT NULL DEFAULT '[]',
  created INTEGER NOT NULL, max_age_days INTEGER NOT NULL DEFAULT 15, creator_token_id INTEGER);
CREATE TABLE IF NOT EXISTS jobs(
  id INTEGER PRIMARY KEY AUTOINCREMENT, project_id INTEGER NOT NULL, status TEXT NOT NULL,
  operation_name TEXT NOT NULL, operation_params TEXT NOT NULL, table_id TEXT,
  created INTEGER NOT NULL, started INTEGER, ended INTEGER, results TEXT, error TEXT,
  metrics TEXT, creator_token_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS metadata(
  id INTEGER PRIMARY KEY AUTOINCREMENT, project_id INTEGER NOT NULL, object_type TEXT NOT NULL,
  object_id TEXT NOT NULL, provider TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
  timestamp INTEGER NOT NULL, UNIQUE(project_id, object_type, object_id, provider, key));
)sql";

}  // namespace

Database::Database(std::filesystem::path file, Kind kind)
    : file_(std::move(file)), kind_(kind), generation_(next_generation++) {
  if (kind == Kind::metadata) {
    connection().exec(kSchema);
    add_missing_columns(connection());
  }
}

Connection& Database::connection() {
  thread_local std::map<std::uint64_t, std::unique_ptr<Connection>> connections;
  auto& slot = connections[generation_];
  if (!slot) {
    const bool rows = kind_ == Kind::table_rows;
    slot = std::make_unique<Connection>(file_, rows ? 65536 : 0);
    // Bulk loads of GiB tables: a bigger page cache keeps the primary key index in memory.
    slot->exec("PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;");
    if (rows) slot->exec("PRAGMA mmap_size=17179869184");
  }
  return *slot;
}

}  // namespace kbc::emulator::db
