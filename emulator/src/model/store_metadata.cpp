// Store: table and column metadata (the Storage API's provider/key/value items).
#include "model/store.hpp"

namespace kbc::emulator {

namespace {

constexpr const char* kMetadataColumns = "id, project_id, object_type, object_id, provider, key, value, timestamp";

MetadataItem read_metadata(const db::Statement& s) {
  return MetadataItem{s.integer(0), s.integer(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6), s.integer(7)};
}

}  // namespace

void Store::set_metadata(const MetadataItem& m) {
  conn()
      .prepare("INSERT INTO metadata(project_id, object_type, object_id, provider, key, value, timestamp) "
               "VALUES (?,?,?,?,?,?,?) ON CONFLICT(project_id, object_type, object_id, provider, key) "
               "DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp")
      .bind(1, m.project_id).bind(2, m.object_type).bind(3, m.object_id).bind(4, m.provider).bind(5, m.key)
      .bind(6, m.value).bind(7, m.timestamp)
      .run();
}

std::vector<MetadataItem> Store::list_metadata(std::int64_t project_id, const std::string& object_type,
                                               const std::string& object_id) {
  bool prefix = !object_id.empty() && object_id.back() == '.';
  auto s = conn().prepare(std::string("SELECT ") + kMetadataColumns +
                          " FROM metadata WHERE project_id = ? AND object_type = ? AND " +
                          (prefix ? "substr(object_id, 1, length(?)) = ?" : "object_id = ? AND length(?) >= 0") +
                          " ORDER BY id");
  s.bind(1, project_id).bind(2, object_type).bind(3, object_id).bind(4, object_id);
  std::vector<MetadataItem> out;
  while (s.step()) out.push_back(read_metadata(s));
  return out;
}

std::optional<MetadataItem> Store::find_metadata(std::int64_t project_id, std::int64_t id) {
  auto s = conn().prepare(std::string("SELECT ") + kMetadataColumns + " FROM metadata WHERE project_id = ? AND id = ?");
  s.bind(1, project_id).bind(2, id);
  if (!s.step()) return std::nullopt;
  return read_metadata(s);
}

void Store::delete_metadata(std::int64_t project_id, std::int64_t id) {
  conn().prepare("DELETE FROM metadata WHERE project_id = ? AND id = ?").bind(1, project_id).bind(2, id).run();
}

}  // namespace kbc::emulator
