#include "jobs/job_runner.hpp"

#include <spdlog/spdlog.h>

#include "api/api_error.hpp"
#include "util/random.hpp"

namespace kbc::emulator {

JobRunner::JobRunner(Store& store, const Clock& clock, std::chrono::milliseconds delay, int workers)
    : store_(store), clock_(clock), delay_(delay) {
  for (int i = 0; i < workers; ++i) workers_.emplace_back([this] { worker_loop(); });
}

JobRunner::~JobRunner() { stop(); }

void JobRunner::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  workers_.clear();
}

Job JobRunner::submit(Job job, Work work, std::optional<std::pair<std::string, std::string>> forced_failure) {
  job.status = "waiting";
  job.created = clock_.now_seconds();
  job = store_.insert_job(std::move(job));
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(Pending{job.id, std::move(work), std::move(forced_failure), std::chrono::steady_clock::now()});
  }
  // notify_all: wake_ is also what the delay waits in run() wait on (so a stop ends them), and
  // a notify_one might wake one of those instead of an idle worker.
  wake_.notify_all();
  return job;
}

void JobRunner::worker_loop() {
  for (;;) {
    Pending pending;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      pending = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      run(pending);
    } catch (const std::exception& e) {
      spdlog::error("job {} could not be recorded: {}", pending.job_id, e.what());
    }
  }
}

void JobRunner::run(Pending& pending) {
  // Waiting for at least `delay`, then processing for at least `delay`: clients see both states.
  // A stop ends these waits at once (false then).
  auto wait_until = [this](std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    return !wake_.wait_until(lock, deadline, [this] { return stopping_; });
  };
  // A stop while waiting leaves the job `waiting` in the store: the next start with the same
  // --data ends it (end_interrupted_jobs).
  if (!wait_until(pending.queued + delay_)) return;
  auto job = store_.find_job(pending.job_id);
  if (!job) return;
  job->status = "processing";
  job->started = clock_.now_seconds();
  store_.update_job(*job);
  auto processing_since = std::chrono::steady_clock::now();

  nlohmann::json error;
  if (pending.forced_failure) {
    error = {{"code", pending.forced_failure->first}, {"message", pending.forced_failure->second}};
  } else {
    try {
      job->results = pending.work(*job);
    } catch (const ApiError& e) {
      error = {{"code", e.code()}, {"message", e.what()}};
    } catch (const std::exception& e) {
      spdlog::error("job {} ({}) failed: {}", job->id, job->operation_name, e.what());
      error = {{"code", "storage.internalError"}, {"message", std::string("Internal error: ") + e.what()}};
    }
  }
  // The work is done (its effects are committed): record its outcome even when a stop cuts the
  // processing delay short, so a job never reads `error` after its import landed.
  wait_until(processing_since + delay_);
  job->ended = clock_.now_seconds();
  if (error.is_null()) {
    job->status = "success";
  } else {
    error["exceptionId"] = "exception-" + random_hex(32);
    job->status = "error";
    job->results = nullptr;
    job->error = error;
  }
  store_.update_job(*job);
  spdlog::info("job {} {} {}", job->id, job->operation_name, job->status);
}

}  // namespace kbc::emulator
