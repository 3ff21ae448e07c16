#include "kbc_storage_extract/extract/import_once.hpp"

#include "kbc_storage_extract/retry.hpp"

#include <spdlog/spdlog.h>

namespace kbc::extract {
namespace {

using storage_api::Job;
using storage_api::StorageClient;

constexpr int k_page = 100;
constexpr int k_max_pages = 20;  // 2,000 jobs: far more than a project starts while one answer is lost
// The journal's time is this machine's, job times are the server's: search back with a margin.
constexpr auto k_clock_margin = std::chrono::hours(1);

// Whether a failed import-async may still have created its job: no answer at all, an answer
// cut short, or a server error. A refusal (4xx, or 429/503 once its retries ran out) did not.
bool may_have_started(const Error& error) {
  if (error.http_status == 429 || error.http_status == 503) return false;
  return error.http_status == 0 || error.http_status >= 500 || (error.http_status >= 200 && error.http_status < 300);
}

// A job that was just created may not be listed at once where a request is still on its way:
// look a few times before concluding that it never started.
Result<std::optional<Job>> find_patiently(StorageClient& destination, const std::string& table_id, std::int64_t file_id,
                                          std::optional<storage_api::TimePoint> not_before) {
  auto delay = std::chrono::milliseconds(500);
  for (int attempt = 1;; ++attempt) {
    auto found = find_import_job(destination, table_id, file_id, not_before);
    if (!found || *found || attempt == 3) return found;
    if (!process_stop().sleep_for(delay)) return stopped_error(fmt::format("looking for the import job of {}", table_id));
    delay *= 2;
  }
}

// wait_for_job, and when the job's state cannot be read (each poll already retried), a few
// more rounds: losing sight of a job for a minute is no reason to give up on it.
Result<Job> wait_patiently(StorageClient& destination, const Job& job, const std::string& what,
                           std::chrono::milliseconds* last_wait = nullptr) {
  auto delay = std::chrono::seconds(2);
  for (int round = 1;; ++round) {
    auto finished = destination.wait_for_job(job, what, last_wait);
    if (finished || finished.error().kind == ErrorKind::job_failed || finished.error().kind == ErrorKind::cancelled ||
        !finished.error().may_pass() || round == 3)
      return finished;
    spdlog::warn("{}: cannot read job {} ({}); looking again in {} s", what, job.id, finished.error().describe(),
                 delay.count());
    if (!process_stop().sleep_for(delay)) return stopped_error(fmt::format("{}: waiting for job {}", what, job.id));
    delay *= 2;
  }
}

void journal_end(state::RunState* state, const std::string& table_id, bool landed) {
  if (!state) return;
  if (auto saved = state->end_import(table_id, landed, std::chrono::system_clock::now()); !saved)
    spdlog::warn("{}", saved.error().describe());
}

Error unsettled(Error error, const std::string& what, const std::string& detail, const state::RunState* state) {
  error.message = fmt::format("{}: {}: {}", what, detail, error.message);
  error.hint = state ? fmt::format("the run state {} records it: the next run finds out whether it landed before it "
                                   "copies this table again",
                                   state->file().string())
                     : "check the destination table before re-running it";
  return error;
}

}  // namespace

Result<std::optional<Job>> find_import_job(StorageClient& destination, const std::string& table_id, std::int64_t file_id,
                                           std::optional<storage_api::TimePoint> not_before) {
  const auto oldest = not_before ? std::optional(*not_before - k_clock_margin) : std::nullopt;
  for (int page = 0; page < k_max_pages; ++page) {
    auto jobs = destination.list_jobs(k_page, page * k_page);
    if (!jobs) return jobs.error();
    for (const auto& job : *jobs) {
      if (job.operation_name == "tableImport" && job.table_id == table_id && job.import_file_id == file_id)
        return std::optional<Job>(job);
      if (oldest && job.created && *job.created < *oldest) return std::optional<Job>();  // older ones cannot be ours
    }
    if (jobs->size() < static_cast<std::size_t>(k_page)) break;
  }
  return std::optional<Job>();
}

Result<Job> import_once(StorageClient& destination, state::RunState* state, const ImportRequest& request) {
  const std::string what = "import into " + request.table_id;
  const auto file_id = request.options.data_file_id;
  const auto journalled = std::chrono::system_clock::now();
  if (state) {
    state::InFlightImport import{file_id, {}, request.window_end, journalled};
    if (auto saved = state->begin_import(request.table_id, request.identity, import); !saved) return saved.error();
  }

  auto started = destination.import_table_async(request.table_id, request.options);
  for (int sent = 1; !started; ++sent) {
    if (!may_have_started(started.error())) {
      journal_end(state, request.table_id, false);
      return started.error();
    }
    // The answer is lost: the job list says whether the request was carried out.
    spdlog::warn("{}: {}; looking for its job in the job list", what, started.error().describe());
    auto found = find_patiently(destination, request.table_id, file_id, journalled);
    if (!found) return unsettled(found.error(), what, "cannot tell whether the import started", state);
    if (*found) {
      spdlog::info("{}: the import did start (job {}); waiting for it", what, (*found)->id);
      started = std::move(**found);
      break;
    }
    if (sent == 2) {
      journal_end(state, request.table_id, false);
      Error error = started.error();
      error.hint = "no import job reads the file: nothing was imported; a re-run copies the table again";
      return error;
    }
    spdlog::warn("{}: no job imports file {}: the request was not carried out; sending it once more", what, file_id);
    started = destination.import_table_async(request.table_id, request.options);
  }
  if (request.progress) request.progress->job(progress::Phase::importing, started->id);
  if (state) {
    if (auto saved = state->set_import_job(request.table_id, started->id); !saved)
      spdlog::warn("{}", saved.error().describe());
  }

  auto finished = wait_patiently(destination, *started, what, request.poll_slack);
  if (finished) {
    journal_end(state, request.table_id, true);
    return finished;
  }
  if (finished.error().kind == ErrorKind::job_failed) {
    journal_end(state, request.table_id, false);
    return finished;
  }
  return unsettled(finished.error(), what, fmt::format("job {} may still finish", started->id), state);
}

std::map<std::string, Error> settle_in_flight(StorageClient& destination, state::RunState& state,
                                              const std::string& destination_url) {
  std::map<std::string, Error> unsettled_tables;
  for (const auto& [table_id, table] : state.in_flight()) {
    if (table.destination_url != destination_url) continue;  // another destination's journal
    const auto& import = *table.in_flight;
    const std::string what = fmt::format("the import of file {} into {} left by an earlier run", import.file_id, table_id);
    Job job;
    if (!import.job_id.empty()) {
      auto read = destination.get_job(import.job_id);
      if (!read) {
        unsettled_tables.emplace(table_id, unsettled(read.error(), what, "cannot read its job", &state));
        continue;
      }
      job = std::move(*read);
    } else {
      auto found = find_import_job(destination, table_id, import.file_id, import.journalled);
      if (!found) {
        unsettled_tables.emplace(table_id, unsettled(found.error(), what, "cannot search the job list", &state));
        continue;
      }
      if (!*found) {
        spdlog::info("{}: never started; nothing to settle", what);
        journal_end(&state, table_id, false);
        continue;
      }
      job = std::move(**found);
    }
    auto finished = wait_patiently(destination, job, what);
    if (finished) {
      spdlog::info("{}: job {} succeeded; the table is up to date to that run", what, job.id);
      journal_end(&state, table_id, true);
    } else if (finished.error().kind == ErrorKind::job_failed) {
      spdlog::warn("{}: job {} failed ({}); the table is as it was before that run", what, job.id,
                   finished.error().message);
      journal_end(&state, table_id, false);
    } else {
      unsettled_tables.emplace(table_id, unsettled(finished.error(), what, "cannot see its job end", &state));
    }
  }
  return unsettled_tables;
}

}  // namespace kbc::extract
