// Storage API file list (GET /v2/storage/files) and file delete (DELETE /v2/storage/files/{id}),
// as apiary.apib "List Files" / "Delete File" and PHP tests/File/CommonFileTest.php use them.
#include <httplib.h>

#include <algorithm>
#include <cctype>

#include "api/api_error.hpp"
#include "api/auth.hpp"
#include "api/file_json.hpp"
#include "api/http_util.hpp"
#include "api/lookup.hpp"
#include "api/params.hpp"
#include "api/routes.hpp"
#include "api/run_id.hpp"
#include "api/serialize.hpp"
#include "api/submit_job.hpp"
#include "s3/object_files.hpp"

namespace kbc::emulator {

using nlohmann::json;

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// The subset of Elasticsearch query-string syntax the emulator understands: terms separated
// by spaces, all of which must match; a bare term matches a part of the name (any case),
// `name:x`, `tags:x` / `tags:"x"` and `id:N` match those fields; AND between terms is allowed.
// Brackets are a syntax error (400 query.syntax), as CommonFileTest testSyntaxErrorInQuery... expects.
struct FileQuery {
  std::vector<std::pair<std::string, std::string>> terms;  // field ("" = name part), value

  static FileQuery parse(const std::string& q) {
    if (q.find_first_of("[]{}") != std::string::npos || std::count(q.begin(), q.end(), '"') % 2 != 0) {
      throw bad_request("Failed to parse query [" + q + "]", "query.syntax");
    }
    FileQuery query;
    std::size_t pos = 0;
    while (pos < q.size()) {
      if (q[pos] == ' ') { ++pos; continue; }
      auto end = pos;
      bool quoted = false;
      while (end < q.size() && (quoted || q[end] != ' ')) quoted ^= q[end++] == '"';
      auto term = q.substr(pos, end - pos);
      pos = end;
      if (term == "AND") continue;
      term.erase(std::remove(term.begin(), term.end(), '"'), term.end());
      auto colon = term.find(':');
      if (colon == std::string::npos) { query.terms.emplace_back("", term); continue; }
      auto field = term.substr(0, colon);
      if (field != "name" && field != "tags" && field != "id") {
        throw bad_request("Failed to parse query [" + q + "]: unknown field \"" + field + "\"", "query.syntax");
      }
      query.terms.emplace_back(field, term.substr(colon + 1));
    }
    return query;
  }

  bool matches(const FileRecord& file) const {
    return std::all_of(terms.begin(), terms.end(), [&file](const auto& term) {
      const auto& [field, value] = term;
      if (field == "tags") return std::find(file.tags.begin(), file.tags.end(), value) != file.tags.end();
      if (field == "id") return std::to_string(file.id) == value;
      if (field == "name") return file.name == value;
      return lower(file.name).find(lower(value)) != std::string::npos;
    });
  }
};

// A file made in run `run_id` or in one of its child runs ("1.2" holds "1.2.3"): the run id
// is one of the file's runIds, as events match a parent run id (PHP tests/Common/RunIdTest.php).
bool in_run(const FileRecord& file, const std::string& run_id) {
  if (!file.run_id) return false;
  auto ids = run_id_hierarchy(*file.run_id);
  return std::find(ids.begin(), ids.end(), run_id) != ids.end();
}

// The objects behind a file (the slices and the manifest of a sliced one). An azure file has a
// container of its own in the blob service (azurite): deleting it deletes every blob.
void remove_objects(Services& services, const FileRecord& file) {
  auto storage = file_storage_of(services, file.project_id);
  if (storage.provider == "azure") {
    azure_store(services).delete_container(azure_container(file));
    return;
  }
  auto& objects = services.files.objects();
  if (!file.is_sliced) {
    objects.remove(storage.bucket, file.s3_key);
    return;
  }
  for (const auto& key : objects.keys(storage.bucket, file.s3_key)) objects.remove(storage.bucket, key);
}

}  // namespace

void mount_file_list(httplib::Server& server, Services& services, const std::string& region) {
  // limit (default 100), offset, sinceId, maxId, tags[] (files with any of them), q, runId (the
  // files of that run and of its child runs), showExpired (expired files are left out without
  // it); newest first.
  server.Get("/v2/storage/files", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    auto params = Params::from(req);
    auto limit = params.integer("limit").value_or(100);
    auto offset = params.integer("offset").value_or(0);
    if (limit < 0 || offset < 0) throw bad_request("Parameters \"limit\" and \"offset\" must not be negative.");
    // tags=x (not an array) is refused (CommonFileTest testFilesListFilterByInvalidValues).
    if (params.has("tags") && !params.raw("tags").is_array() && !params.raw("tags").is_object()) {
      throw bad_request("Parameter \"tags\" must be an array: send tags[]=…", "storage.validation");
    }
    auto tags = params.list("tags");
    auto query = FileQuery::parse(params.string("q").value_or(""));
    auto run_id = params.string("runId").value_or("");
    const bool show_expired = params.boolean("showExpired");
    const auto now = services.clock.now_seconds();
    auto creator = reads_all_files(caller.token) ? std::nullopt : std::optional(caller.token.id);
    auto storage = file_storage_of(services, caller.project.id);
    json out = json::array();
    std::int64_t skipped = 0;
    for (const auto& file : services.store.list_files(caller.project.id, creator, params.integer("sinceId"),
                                                      params.integer("maxId"))) {
      if (static_cast<std::int64_t>(out.size()) >= limit) break;
      bool tagged = tags.empty() || std::any_of(tags.begin(), tags.end(), [&file](const auto& tag) {
                      return std::find(file.tags.begin(), file.tags.end(), tag) != file.tags.end();
                    });
      if (!tagged || !query.matches(file)) continue;
      if (!show_expired && file.expired(now)) continue;
      if (!run_id.empty() && !in_run(file, run_id)) continue;
      if (skipped++ < offset) continue;
      out.push_back(file_json(services, file, storage));
    }
    send_json(res, 200, out);
  }));

  // 204, or with async=1 (PHP Client::deleteFile's default) 202 and a job that deletes it.
  server.Delete(R"(/v2/storage/files/(\d+))", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    auto file = require_file(services, caller, std::stoll(req.matches[1].str()));
    auto params = Params::from(req);
    // Objects first: when the blob service fails, the file stays listed and a retry can delete it.
    auto remove = [&services, file] {
      remove_objects(services, file);
      services.store.delete_file(file.project_id, file.id);
    };
    if (!params.boolean("async")) {
      remove();
      record_event(services, caller.token, "storage.fileDeleted", "File " + file.name + " deleted", "file",
                   std::to_string(file.id));
      send_json(res, 204, nullptr);
      return;
    }
    Job job;
    job.project_id = caller.project.id;
    job.operation_name = "fileDelete";
    job.operation_params = {{"fileId", file.id}, {"queue", "main_fast"}};
    job.creator_token_id = caller.token.id;
    auto started = submit_job(services, job, [remove](Job&) {
      remove();
      return json::array();
    });
    send_json(res, 202, job_json(services, started));
  }));
}

}  // namespace kbc::emulator
