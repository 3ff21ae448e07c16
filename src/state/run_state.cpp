#include "kbc_storage_extract/state/run_state.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "kbc_storage_extract/atomic_file.hpp"
#include "kbc_storage_extract/storage_api/parse.hpp"

namespace kbc::state {
namespace {

using nlohmann::json;
constexpr const char* k_format = "kbc-storage-extract run state";
constexpr int k_version = 1;

json time_json(const std::optional<TimePoint>& time) {
  return time ? json(storage_api::format_iso_utc(*time)) : json(nullptr);
}

std::optional<TimePoint> time_of(const json& object, const char* key) {
  if (!object.contains(key) || !object[key].is_string()) return std::nullopt;
  return storage_api::parse_api_time(object[key].get<std::string>());
}

std::string string_of(const json& object, const char* key) {
  return object.contains(key) && object[key].is_string() ? object[key].get<std::string>() : std::string();
}

json to_json(const TableState& table) {
  json entry = {{"sourceUrl", table.source_url},
                {"sourceTableId", table.source_table_id},
                {"destinationUrl", table.destination_url},
                {"bookmark", time_json(table.bookmark)},
                {"lastImport", time_json(table.last_import)},
                {"inFlight", nullptr}};
  if (table.in_flight) {
    const auto& import = *table.in_flight;
    entry["inFlight"] = {{"fileId", import.file_id},
                         {"jobId", import.job_id.empty() ? json(nullptr) : json(import.job_id)},
                         {"windowEnd", time_json(import.window_end)},
                         {"journalled", storage_api::format_iso_utc(import.journalled)}};
  }
  return entry;
}

Result<TableState> table_of(const json& entry, const std::string& where) {
  if (!entry.is_object()) return make_error(ErrorKind::invalid_input, where + " is not an object");
  TableState table;
  table.source_url = string_of(entry, "sourceUrl");
  table.source_table_id = string_of(entry, "sourceTableId");
  table.destination_url = string_of(entry, "destinationUrl");
  table.bookmark = time_of(entry, "bookmark");
  table.last_import = time_of(entry, "lastImport");
  if (entry.contains("inFlight") && entry["inFlight"].is_object()) {
    const auto& flight = entry["inFlight"];
    InFlightImport import;
    if (!flight.contains("fileId") || !flight["fileId"].is_number_integer())
      return make_error(ErrorKind::invalid_input, where + "/inFlight/fileId is not a file id");
    import.file_id = flight["fileId"].get<std::int64_t>();
    import.job_id = string_of(flight, "jobId");
    import.window_end = time_of(flight, "windowEnd");
    import.journalled = time_of(flight, "journalled").value_or(TimePoint{});
    table.in_flight = import;
  }
  return table;
}

Error unreadable(const std::filesystem::path& file, const std::string& why) {
  return make_error(ErrorKind::invalid_input, fmt::format("run state {}: {}", file.string(), why),
                    "it is written by kbc-storage-extract only; restore it, or move it away to start without "
                    "bookmarks (imports in flight are then not settled: check those tables first), or give "
                    "another file with --state");
}

}  // namespace

std::filesystem::path default_state_file(const std::filesystem::path& config_file) {
  auto file = config_file;
  file.replace_extension(".state.json");
  return file;
}

std::filesystem::path shard_state_file(const std::filesystem::path& config_file, int index, int count) {
  auto file = config_file;
  file.replace_extension(fmt::format(".shard-{}-of-{}.state.json", index, count));
  return file;
}

namespace {

// `<stem>.state.json` or `<stem>.shard-I-of-N.state.json`.
bool is_default_state_name(const std::string& name, const std::string& stem) {
  if (name == stem + ".state.json") return true;
  const std::string prefix = stem + ".shard-", suffix = ".state.json";
  if (name.size() <= prefix.size() + suffix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
    return false;
  static const std::regex layout("[0-9]+-of-[0-9]+");
  return std::regex_match(name.substr(prefix.size(), name.size() - prefix.size() - suffix.size()), layout);
}

}  // namespace

std::vector<std::filesystem::path> sibling_state_files(const std::filesystem::path& own, const std::string& stem) {
  const auto folder = own.has_parent_path() ? own.parent_path() : std::filesystem::path(".");
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    if (!is_default_state_name(entry.path().filename().string(), stem)) continue;
    std::error_code same_ec;
    if (std::filesystem::equivalent(entry.path(), own, same_ec)) continue;
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

Result<RunState> RunState::load(const std::filesystem::path& file) {
  RunState state;
  state.file_ = file;
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (ec || !std::filesystem::exists(status)) return state;  // the first run of this config
  if (!std::filesystem::is_regular_file(status)) return unreadable(file, "is not a regular file");
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return unreadable(file, "cannot be read");
  const json document = json::parse(text.str(), nullptr, false);
  if (document.is_discarded() || !document.is_object()) return unreadable(file, "is not JSON");
  if (string_of(document, "format") != k_format) return unreadable(file, "is not a run state of this tool");
  if (!document.contains("version") || document["version"] != k_version)
    return unreadable(file, fmt::format("has version {}, this tool reads version {}",
                                        document.value("version", json()).dump(), k_version));
  if (document.contains("tables") && document["tables"].is_object()) {
    for (const auto& [id, entry] : document["tables"].items()) {
      auto table = table_of(entry, "/tables/" + id);
      if (!table) return unreadable(file, table.error().message);
      state.tables_.emplace(id, std::move(*table));
    }
  }
  return state;
}

RunState RunState::read_only(RunState state) {
  state.writable_ = false;
  return state;
}

RunState::RunState(RunState&& other) noexcept
    : file_(std::move(other.file_)), writable_(other.writable_), tables_(std::move(other.tables_)) {}

std::optional<TableState> RunState::table(const std::string& destination_table_id) const {
  std::lock_guard lock(mutex_);
  const auto it = tables_.find(destination_table_id);
  if (it == tables_.end()) return std::nullopt;
  return it->second;
}

std::map<std::string, TableState> RunState::in_flight() const {
  std::lock_guard lock(mutex_);
  std::map<std::string, TableState> result;
  for (const auto& [id, table] : tables_)
    if (table.in_flight) result.emplace(id, table);
  return result;
}

std::vector<std::string> RunState::adopt_newer(const RunState& other, const std::vector<std::string>& ids) {
  std::scoped_lock lock(mutex_, other.mutex_);
  std::vector<std::string> in_flight_there;
  for (const auto& id : ids) {
    const auto theirs = other.tables_.find(id);
    if (theirs == other.tables_.end()) continue;
    if (theirs->second.in_flight) {
      in_flight_there.push_back(id);
      continue;
    }
    const auto mine = tables_.find(id);
    if (mine != tables_.end() && mine->second.in_flight) continue;  // settled here first
    const bool newer = mine == tables_.end() ||
                       theirs->second.last_import.value_or(TimePoint{}) > mine->second.last_import.value_or(TimePoint{});
    if (newer) tables_[id] = theirs->second;
  }
  return in_flight_there;
}

Status RunState::begin_import(const std::string& destination_table_id, const TableState& identity, InFlightImport import) {
  std::lock_guard lock(mutex_);
  auto& table = tables_[destination_table_id];
  // A bookmark of another source or destination does not continue here.
  if (table.source_url != identity.source_url || table.source_table_id != identity.source_table_id ||
      table.destination_url != identity.destination_url)
    table.bookmark.reset();
  table.source_url = identity.source_url;
  table.source_table_id = identity.source_table_id;
  table.destination_url = identity.destination_url;
  table.in_flight = std::move(import);
  return save_locked();
}

Status RunState::set_import_job(const std::string& destination_table_id, const std::string& job_id) {
  std::lock_guard lock(mutex_);
  auto it = tables_.find(destination_table_id);
  if (it == tables_.end() || !it->second.in_flight) return {};
  it->second.in_flight->job_id = job_id;
  return save_locked();
}

Status RunState::end_import(const std::string& destination_table_id, bool landed, TimePoint now) {
  std::lock_guard lock(mutex_);
  auto it = tables_.find(destination_table_id);
  if (it == tables_.end() || !it->second.in_flight) return {};
  auto& table = it->second;
  if (landed) {
    table.last_import = now;
    if (table.in_flight->window_end) table.bookmark = table.in_flight->window_end;
  }
  table.in_flight.reset();
  return save_locked();
}

Status RunState::save_locked() const {
  if (!writable_) return {};
  json tables = json::object();
  for (const auto& [id, table] : tables_) tables[id] = to_json(table);
  const json document = {{"format", k_format}, {"version", k_version}, {"tables", tables}};
  return write_file_atomically(file_, document.dump(2) + "\n", "the run state");
}

Result<StateLock> StateLock::acquire(const std::filesystem::path& state_file, Mode mode) {
  const auto lock_file = state_file.string() + ".lock";
  const int fd = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    return make_error(ErrorKind::io, fmt::format("cannot open the lock file {}: {}", lock_file, std::strerror(errno)),
                      "the run state's directory must be writable (or give another place with --state)");
  if (::flock(fd, (mode == Mode::shared ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0) {
    char holder[32] = {};
    const ssize_t n = ::pread(fd, holder, sizeof holder - 1, 0);
    ::close(fd);
    std::string pid = n > 0 ? std::string(holder, static_cast<std::size_t>(n)) : std::string();
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
    return make_error(ErrorKind::conflict,
                      fmt::format("another run of this config is in progress{} (it holds {})",
                                  pid.empty() ? "" : " (pid " + pid + ")", lock_file),
                      "wait for it to finish; two runs of one config at once could import the same rows twice");
  }
  // The holder's pid, for the message a second run shows (of shared holders: the latest).
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) == 0) (void)!::pwrite(fd, pid.data(), pid.size(), 0);
  return StateLock(fd);
}

StateLock::StateLock(StateLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

StateLock::~StateLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace kbc::state
