#include "model/store.hpp"

namespace kbc::emulator {

using nlohmann::json;

namespace {

std::optional<std::int64_t> optional_int(const db::Statement& s, int column) {
  if (s.is_null(column)) return std::nullopt;
  return s.integer(column);
}

void bind_optional(db::Statement& s, int index, const std::optional<std::int64_t>& value) {
  if (value) s.bind(index, *value); else s.bind_null(index);
}

json parse_json_or_null(const db::Statement& s, int column) {
  if (s.is_null(column)) return nullptr;
  return json::parse(s.text_view(column));
}

constexpr const char* kTokenColumns =
    "id, project_id, token, description, is_master, can_manage_buckets, can_read_all_file_uploads, "
    "can_purge_trash, bucket_permissions, component_access, expires, created, refreshed, creator_token_id";

Token read_token(const db::Statement& s) {
  Token t;
  t.id = s.integer(0);
  t.project_id = s.integer(1);
  t.token = s.text(2);
  t.description = s.text(3);
  t.is_master = s.integer(4) != 0;
  t.can_manage_buckets = s.integer(5) != 0;
  t.can_read_all_file_uploads = s.integer(6) != 0;
  t.can_purge_trash = s.integer(7) != 0;
  t.bucket_permissions = json::parse(s.text_view(8)).get<std::map<std::string, std::string>>();
  t.component_access = json::parse(s.text_view(9)).get<std::vector<std::string>>();
  t.expires = optional_int(s, 10);
  t.created = s.integer(11);
  t.refreshed = s.integer(12);
  t.creator_token_id = optional_int(s, 13);
  return t;
}

constexpr const char* kBucketColumns = "project_id, id, name, stage, description, display_name, created";

Bucket read_bucket(const db::Statement& s) {
  return Bucket{s.integer(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.integer(6)};
}

constexpr const char* kTableColumns =
    "storage_id, project_id, id, bucket_id, name, columns, primary_key, rows_count, data_size_bytes, created, "
    "last_import_date, last_change_date";

TableMeta read_table(const db::Statement& s) {
  TableMeta t;
  t.storage_id = s.integer(0);
  t.project_id = s.integer(1);
  t.id = s.text(2);
  t.bucket_id = s.text(3);
  t.name = s.text(4);
  t.columns = json::parse(s.text_view(5)).get<std::vector<std::string>>();
  t.primary_key = json::parse(s.text_view(6)).get<std::vector<std::string>>();
  t.rows_count = s.integer(7);
  t.data_size_bytes = s.integer(8);
  t.created = s.integer(9);
  t.last_import_date = optional_int(s, 10);
  t.last_change_date = optional_int(s, 11);
  return t;
}

constexpr const char* kFileColumns =
    "id, project_id, name, s3_key, is_sliced, is_encrypted, is_public, size_bytes, tags, created, max_age_days, "
    "creator_token_id, run_id";

FileRecord read_file(const db::Statement& s) {
  FileRecord f;
  f.id = s.integer(0);
  f.project_id = s.integer(1);
  f.name = s.text(2);
  f.s3_key = s.text(3);
  f.is_sliced = s.integer(4) != 0;
  f.is_encrypted = s.integer(5) != 0;
  f.is_public = s.integer(6) != 0;
  f.size_bytes = optional_int(s, 7);
  f.tags = json::parse(s.text_view(8)).get<std::vector<std::string>>();
  f.created = s.integer(9);
  f.max_age_days = s.integer(10);
  f.creator_token_id = optional_int(s, 11);
  f.run_id = s.optional_text(12);
  return f;
}

constexpr const char* kJobColumns =
    "id, project_id, status, operation_name, operation_params, table_id, created, started, ended, results, error, "
    "metrics, creator_token_id, run_id";

Job read_job(const db::Statement& s) {
  Job j;
  j.id = s.integer(0);
  j.project_id = s.integer(1);
  j.status = s.text(2);
  j.operation_name = s.text(3);
  j.operation_params = json::parse(s.text_view(4));
  j.table_id = s.optional_text(5);
  j.created = s.integer(6);
  j.started = optional_int(s, 7);
  j.ended = optional_int(s, 8);
  j.results = parse_json_or_null(s, 9);
  j.error = parse_json_or_null(s, 10);
  j.metrics = parse_json_or_null(s, 11);
  j.creator_token_id = s.integer(12);
  j.run_id = s.optional_text(13);
  return j;
}

std::string dump_or_null(const json& value) { return value.dump(); }

}  // namespace

void Store::insert_project(const Project& p) {
  conn()
      .prepare("INSERT INTO projects(id, name, region, organization_id, type, created) VALUES (?,?,?,?,?,?)")
      .bind(1, p.id).bind(2, p.name).bind(3, p.region).bind(4, p.organization_id).bind(5, p.type).bind(6, p.created)
      .run();
}

std::optional<Project> Store::find_project(std::int64_t id) {
  auto s = conn().prepare("SELECT id, name, region, organization_id, type, created FROM projects WHERE id = ?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return Project{s.integer(0), s.text(1), s.text(2), s.integer(3), s.text(4), s.integer(5)};
}

std::int64_t Store::next_project_id() {
  auto s = conn().prepare("SELECT COALESCE(MAX(id), 0) + 1 FROM projects");
  s.step();
  return s.integer(0);
}

Token Store::insert_token(Token t) {
  auto s = conn().prepare(
      "INSERT INTO tokens(id, project_id, token, description, is_master, can_manage_buckets, "
      "can_read_all_file_uploads, can_purge_trash, bucket_permissions, component_access, expires, created, "
      "refreshed, creator_token_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  if (t.id > 0) s.bind(1, t.id); else s.bind_null(1);
  s.bind(2, t.project_id).bind(3, t.token).bind(4, t.description).bind(5, t.is_master)
      .bind(6, t.can_manage_buckets).bind(7, t.can_read_all_file_uploads).bind(8, t.can_purge_trash)
      .bind(9, json(t.bucket_permissions).dump()).bind(10, json(t.component_access).dump());
  bind_optional(s, 11, t.expires);
  s.bind(12, t.created).bind(13, t.refreshed);
  bind_optional(s, 14, t.creator_token_id);
  s.run();
  t.id = conn().last_insert_id();
  return t;
}

std::optional<Token> Store::find_token_by_string(const std::string& token) {
  auto s = conn().prepare(std::string("SELECT ") + kTokenColumns + " FROM tokens WHERE token = ?");
  s.bind(1, token);
  if (!s.step()) return std::nullopt;
  return read_token(s);
}

std::optional<Token> Store::find_token(std::int64_t project_id, std::int64_t id) {
  auto s = conn().prepare(std::string("SELECT ") + kTokenColumns + " FROM tokens WHERE project_id = ? AND id = ?");
  s.bind(1, project_id).bind(2, id);
  if (!s.step()) return std::nullopt;
  return read_token(s);
}

std::vector<Token> Store::list_tokens(std::int64_t project_id) {
  auto s = conn().prepare(std::string("SELECT ") + kTokenColumns + " FROM tokens WHERE project_id = ? ORDER BY id");
  s.bind(1, project_id);
  std::vector<Token> out;
  while (s.step()) out.push_back(read_token(s));
  return out;
}

void Store::update_token(const Token& t) {
  auto s = conn().prepare(
      "UPDATE tokens SET token = ?, description = ?, can_manage_buckets = ?, can_read_all_file_uploads = ?, "
      "can_purge_trash = ?, bucket_permissions = ?, component_access = ?, expires = ?, refreshed = ? WHERE id = ?");
  s.bind(1, t.token).bind(2, t.description).bind(3, t.can_manage_buckets).bind(4, t.can_read_all_file_uploads)
      .bind(5, t.can_purge_trash).bind(6, json(t.bucket_permissions).dump()).bind(7, json(t.component_access).dump());
  bind_optional(s, 8, t.expires);
  s.bind(9, t.refreshed).bind(10, t.id);
  s.run();
}

void Store::delete_token(std::int64_t project_id, std::int64_t id) {
  conn().prepare("DELETE FROM tokens WHERE project_id = ? AND id = ?").bind(1, project_id).bind(2, id).run();
}

std::int64_t Store::next_token_id() {
  auto s = conn().prepare("SELECT COALESCE(MAX(id), 0) + 1 FROM tokens");
  s.step();
  return s.integer(0);
}

bool Store::token_id_taken(std::int64_t id) {
  auto s = conn().prepare("SELECT 1 FROM tokens WHERE id = ?");
  s.bind(1, id);
  return s.step();
}

void Store::add_event(TokenEvent e) {
  conn()
      .prepare("INSERT INTO token_events(token_id, project_id, event, message, object_type, object_id, params, created) "
               "VALUES (?,?,?,?,?,?,?,?)")
      .bind(1, e.token_id).bind(2, e.project_id).bind(3, e.event).bind(4, e.message).bind(5, e.object_type)
      .bind(6, e.object_id).bind(7, e.params.dump()).bind(8, e.created)
      .run();
}

std::vector<TokenEvent> Store::list_events(std::int64_t token_id, int limit, int offset) {
  auto s = conn().prepare(
      "SELECT id, token_id, project_id, event, message, object_type, object_id, params, created FROM token_events "
      "WHERE token_id = ? ORDER BY id DESC LIMIT ? OFFSET ?");
  s.bind(1, token_id).bind(2, limit).bind(3, offset);
  std::vector<TokenEvent> out;
  while (s.step()) {
    out.push_back(TokenEvent{s.integer(0), s.integer(1), s.integer(2), s.text(3), s.text(4), s.text(5), s.text(6),
                             json::parse(s.text_view(7)), s.integer(8)});
  }
  return out;
}

void Store::insert_bucket(const Bucket& b) {
  conn()
      .prepare(std::string("INSERT INTO buckets(") + kBucketColumns + ") VALUES (?,?,?,?,?,?,?)")
      .bind(1, b.project_id).bind(2, b.id).bind(3, b.name).bind(4, b.stage).bind(5, b.description)
      .bind(6, b.display_name).bind(7, b.created)
      .run();
}

std::optional<Bucket> Store::find_bucket(std::int64_t project_id, const std::string& id) {
  auto s = conn().prepare(std::string("SELECT ") + kBucketColumns + " FROM buckets WHERE project_id = ? AND id = ?");
  s.bind(1, project_id).bind(2, id);
  if (!s.step()) return std::nullopt;
  return read_bucket(s);
}

std::vector<Bucket> Store::list_buckets(std::int64_t project_id) {
  auto s = conn().prepare(std::string("SELECT ") + kBucketColumns + " FROM buckets WHERE project_id = ? ORDER BY id");
  s.bind(1, project_id);
  std::vector<Bucket> out;
  while (s.step()) out.push_back(read_bucket(s));
  return out;
}

void Store::delete_bucket(std::int64_t project_id, const std::string& id) {
  conn().prepare("DELETE FROM buckets WHERE project_id = ? AND id = ?").bind(1, project_id).bind(2, id).run();
}

TableMeta Store::insert_table(TableMeta t) {
  auto s = conn().prepare(
      "INSERT INTO storage_tables(project_id, id, bucket_id, name, columns, primary_key, rows_count, "
      "data_size_bytes, created, last_import_date, last_change_date, storage_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
  if (t.storage_id > 0) s.bind(12, t.storage_id); else s.bind_null(12);
  s.bind(1, t.project_id).bind(2, t.id).bind(3, t.bucket_id).bind(4, t.name).bind(5, json(t.columns).dump())
      .bind(6, json(t.primary_key).dump()).bind(7, t.rows_count).bind(8, t.data_size_bytes).bind(9, t.created);
  bind_optional(s, 10, t.last_import_date);
  bind_optional(s, 11, t.last_change_date);
  s.run();
  t.storage_id = conn().last_insert_id();
  return t;
}

std::optional<TableMeta> Store::find_table(std::int64_t project_id, const std::string& id) {
  auto s = conn().prepare(std::string("SELECT ") + kTableColumns +
                          " FROM storage_tables WHERE project_id = ? AND id = ?");
  s.bind(1, project_id).bind(2, id);
  if (!s.step()) return std::nullopt;
  return read_table(s);
}

std::vector<TableMeta> Store::list_tables(std::int64_t project_id, const std::string& bucket_id) {
  auto s = conn().prepare(std::string("SELECT ") + kTableColumns +
                          " FROM storage_tables WHERE project_id = ? AND (? = '' OR bucket_id = ?) ORDER BY id");
  s.bind(1, project_id).bind(2, bucket_id).bind(3, bucket_id);
  std::vector<TableMeta> out;
  while (s.step()) out.push_back(read_table(s));
  return out;
}

std::int64_t Store::max_storage_id() {
  auto s = conn().prepare("SELECT COALESCE(MAX(storage_id), 0) FROM storage_tables");
  s.step();
  return s.integer(0);
}

void Store::update_table(const TableMeta& t) {
  auto s = conn().prepare(
      "UPDATE storage_tables SET columns = ?, primary_key = ?, rows_count = ?, data_size_bytes = ?, "
      "last_import_date = ?, last_change_date = ? WHERE storage_id = ?");
  s.bind(1, json(t.columns).dump()).bind(2, json(t.primary_key).dump()).bind(3, t.rows_count)
      .bind(4, t.data_size_bytes);
  bind_optional(s, 5, t.last_import_date);
  bind_optional(s, 6, t.last_change_date);
  s.bind(7, t.storage_id);
  s.run();
}

void Store::delete_table(std::int64_t project_id, const std::string& id) {
  conn().prepare("DELETE FROM storage_tables WHERE project_id = ? AND id = ?").bind(1, project_id).bind(2, id).run();
  // A table created again under the same id starts without the old one's metadata.
  conn()
      .prepare("DELETE FROM metadata WHERE project_id = ? AND ((object_type = 'table' AND object_id = ?) OR "
               "(object_type = 'column' AND substr(object_id, 1, length(?) + 1) = ? || '.'))")
      .bind(1, project_id).bind(2, id).bind(3, id).bind(4, id)
      .run();
}

FileRecord Store::insert_file(FileRecord f) {
  auto s = conn().prepare(
      "INSERT INTO files(project_id, name, s3_key, is_sliced, is_encrypted, is_public, size_bytes, tags, created, "
      "max_age_days, creator_token_id, run_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
  s.bind(1, f.project_id).bind(2, f.name).bind(3, f.s3_key).bind(4, f.is_sliced).bind(5, f.is_encrypted)
      .bind(6, f.is_public);
  bind_optional(s, 7, f.size_bytes);
  s.bind(8, json(f.tags).dump()).bind(9, f.created).bind(10, f.max_age_days);
  bind_optional(s, 11, f.creator_token_id);
  s.bind(12, f.run_id);
  s.run();
  f.id = conn().last_insert_id();
  return f;
}

std::optional<FileRecord> Store::find_file(std::int64_t project_id, std::int64_t id) {
  auto s = conn().prepare(std::string("SELECT ") + kFileColumns + " FROM files WHERE project_id = ? AND id = ?");
  s.bind(1, project_id).bind(2, id);
  if (!s.step()) return std::nullopt;
  return read_file(s);
}

void Store::update_file(const FileRecord& f) {
  auto s = conn().prepare("UPDATE files SET s3_key = ?, size_bytes = ?, name = ?, tags = ? WHERE id = ?");
  s.bind(1, f.s3_key);
  bind_optional(s, 2, f.size_bytes);
  s.bind(3, f.name).bind(4, json(f.tags).dump()).bind(5, f.id);
  s.run();
}

std::vector<FileRecord> Store::list_files(std::int64_t project_id, std::optional<std::int64_t> creator_token_id,
                                          std::optional<std::int64_t> since_id, std::optional<std::int64_t> max_id) {
  auto s = conn().prepare(std::string("SELECT ") + kFileColumns +
                          " FROM files WHERE project_id = ? AND (? IS NULL OR creator_token_id = ?)"
                          " AND (? IS NULL OR id > ?) AND (? IS NULL OR id < ?) ORDER BY id DESC");
  s.bind(1, project_id);
  bind_optional(s, 2, creator_token_id);
  bind_optional(s, 3, creator_token_id);
  bind_optional(s, 4, since_id);
  bind_optional(s, 5, since_id);
  bind_optional(s, 6, max_id);
  bind_optional(s, 7, max_id);
  std::vector<FileRecord> out;
  while (s.step()) out.push_back(read_file(s));
  return out;
}

void Store::delete_file(std::int64_t project_id, std::int64_t id) {
  conn().prepare("DELETE FROM files WHERE project_id = ? AND id = ?").bind(1, project_id).bind(2, id).run();
}

Job Store::insert_job(Job j) {
  auto s = conn().prepare(
      "INSERT INTO jobs(project_id, status, operation_name, operation_params, table_id, created, started, ended, "
      "results, error, metrics, creator_token_id, run_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
  s.bind(1, j.project_id).bind(2, j.status).bind(3, j.operation_name).bind(4, j.operation_params.dump())
      .bind(5, j.table_id).bind(6, j.created);
  bind_optional(s, 7, j.started);
  bind_optional(s, 8, j.ended);
  s.bind(9, dump_or_null(j.results)).bind(10, dump_or_null(j.error)).bind(11, dump_or_null(j.metrics))
      .bind(12, j.creator_token_id).bind(13, j.run_id);
  s.run();
  j.id = conn().last_insert_id();
  return j;
}

std::optional<Job> Store::find_job(std::int64_t id) {
  auto s = conn().prepare(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = ?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_job(s);
}

std::vector<Job> Store::list_jobs(std::int64_t project_id, const JobFilter& filter, std::int64_t limit,
                                  std::int64_t offset) {
  // Each range: (? IS NULL OR column >= ?) AND (? IS NULL OR column <= ?); NULL columns fail both.
  auto range_sql = [](const char* column) {
    return std::string(" AND (? IS NULL OR ") + column + " >= ?) AND (? IS NULL OR " + column + " <= ?)";
  };
  auto s = conn().prepare(std::string("SELECT ") + kJobColumns +
                          " FROM jobs WHERE project_id = ? AND (? = '' OR status = ?) AND (? = '' OR status <> ?)" +
                          range_sql("created") + range_sql("started") + range_sql("ended") +
                          " ORDER BY id DESC LIMIT ? OFFSET ?");
  s.bind(1, project_id).bind(2, filter.status).bind(3, filter.status).bind(4, filter.excluded_status)
      .bind(5, filter.excluded_status);
  int index = 6;
  for (const auto* range : {&filter.created, &filter.started, &filter.ended}) {
    for (const auto& bound : {range->from, range->to}) {
      bind_optional(s, index++, bound);
      bind_optional(s, index++, bound);
    }
  }
  s.bind(index, limit).bind(index + 1, offset);
  std::vector<Job> out;
  while (s.step()) out.push_back(read_job(s));
  return out;
}

void Store::update_job(const Job& j) {
  auto s = conn().prepare(
      "UPDATE jobs SET status = ?, table_id = ?, started = ?, ended = ?, results = ?, error = ?, metrics = ? "
      "WHERE id = ?");
  s.bind(1, j.status).bind(2, j.table_id);
  bind_optional(s, 3, j.started);
  bind_optional(s, 4, j.ended);
  s.bind(5, dump_or_null(j.results)).bind(6, dump_or_null(j.error)).bind(7, dump_or_null(j.metrics)).bind(8, j.id);
  s.run();
}

}  // namespace kbc::emulator
