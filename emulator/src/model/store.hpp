#pragma once
// Reads and writes the emulator's metadata (projects, tokens, buckets, tables, files, jobs,
// token events) in the SQLite database. Table rows themselves live in data/table_data.
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "model/entities.hpp"

namespace kbc::emulator {

// What GET /v2/storage/jobs keeps: `status` (when not empty) only that status,
// `excluded_status` (when not empty) not that one; each time range (unix seconds, both ends
// inclusive, either open) on createdTime, startTime, endTime; a job without the time is out of
// any range on it.
struct JobFilter {
  struct Range {
    std::optional<std::int64_t> from, to;
  };
  std::string status, excluded_status;
  Range created, started, ended;
};

class Store {
 public:
  explicit Store(db::Database& database) : db_(database) {}
  db::Database& database() { return db_; }

  // Projects
  void insert_project(const Project& project);
  std::optional<Project> find_project(std::int64_t id);
  std::int64_t next_project_id();

  // Tokens. insert_token fills id (when 0) and returns the stored token.
  Token insert_token(Token token);
  std::optional<Token> find_token_by_string(const std::string& token);
  std::optional<Token> find_token(std::int64_t project_id, std::int64_t id);
  std::vector<Token> list_tokens(std::int64_t project_id);
  void update_token(const Token& token);
  void delete_token(std::int64_t project_id, std::int64_t id);
  std::int64_t next_token_id();
  bool token_id_taken(std::int64_t id);

  void add_event(TokenEvent event);
  std::vector<TokenEvent> list_events(std::int64_t token_id, int limit, int offset);

  // Buckets
  void insert_bucket(const Bucket& bucket);
  std::optional<Bucket> find_bucket(std::int64_t project_id, const std::string& id);
  std::vector<Bucket> list_buckets(std::int64_t project_id);
  void delete_bucket(std::int64_t project_id, const std::string& id);

  // Tables (metadata). insert_table keeps a storage_id > 0, else assigns one.
  TableMeta insert_table(TableMeta table);
  std::optional<TableMeta> find_table(std::int64_t project_id, const std::string& id);
  std::vector<TableMeta> list_tables(std::int64_t project_id, const std::string& bucket_id);
  void update_table(const TableMeta& table);
  std::int64_t max_storage_id();
  void delete_table(std::int64_t project_id, const std::string& id);

  // Files
  FileRecord insert_file(FileRecord file);
  std::optional<FileRecord> find_file(std::int64_t project_id, std::int64_t id);
  void update_file(const FileRecord& file);
  // A project's files newest first with id > since_id and id < max_id (when given); only
  // those `creator_token_id` prepared, when given.
  std::vector<FileRecord> list_files(std::int64_t project_id, std::optional<std::int64_t> creator_token_id,
                                     std::optional<std::int64_t> since_id, std::optional<std::int64_t> max_id);
  void delete_file(std::int64_t project_id, std::int64_t id);

  // Jobs
  Job insert_job(Job job);
  std::optional<Job> find_job(std::int64_t id);
  // A project's jobs newest first, filtered by `filter` (store.hpp JobFilter), then paged.
  std::vector<Job> list_jobs(std::int64_t project_id, const JobFilter& filter, std::int64_t limit, std::int64_t offset);
  void update_job(const Job& job);

  // Metadata (store_metadata.cpp). set_metadata inserts or updates (provider, key).
  void set_metadata(const MetadataItem& item);
  // Items of one object, or with object_type "column" and an object id ending in "." every
  // column of that table; in id order.
  std::vector<MetadataItem> list_metadata(std::int64_t project_id, const std::string& object_type,
                                          const std::string& object_id);
  std::optional<MetadataItem> find_metadata(std::int64_t project_id, std::int64_t id);
  void delete_metadata(std::int64_t project_id, std::int64_t id);

 private:
  db::Connection& conn() { return db_.connection(); }
  db::Database& db_;
};

}  // namespace kbc::emulator
