#pragma once
// The emulator's one SQLite database file: each thread gets its own connection to it (WAL
// lets job workers import while request threads read). The schema is created on open, and
// the columns added since are added to an older file (db/migrations).
#include <atomic>
#include <filesystem>

#include "db/sqlite.hpp"

namespace kbc::emulator::db {

class Database {
 public:
  enum class Kind { metadata, table_rows };
  // `metadata` creates the metadata schema; `table_rows` holds one SQLite table per Storage
  // table, in its own file so a long import never blocks metadata writes.
  Database(std::filesystem::path file, Kind kind);
  // This thread's connection (opened on first use).
  Connection& connection();
  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
  Kind kind_;
  std::uint64_t generation_;
};

}  // namespace kbc::emulator::db
