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
  wake_.notify_one();
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
  std::this_thread::sleep_until(pending.queued + delay_);
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
  std::this_thread::sleep_until(processing_since + delay_);
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
