#pragma once
// Asynchronous Storage jobs: each job is stored as `waiting`, picked up by a worker after the
// configured delay, marked `processing`, runs its work, and ends `success` (with results) or
// `error` (with {code, message, exceptionId}) — what GET /v2/storage/jobs/{id} shows.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/entities.hpp"
#include "model/store.hpp"
#include "util/clock.hpp"

namespace kbc::emulator {

class JobRunner {
 public:
  // The job's work: returns `results`; throws ApiError (or anything) to fail the job.
  using Work = std::function<nlohmann::json(Job& job)>;

  JobRunner(Store& store, const Clock& clock, std::chrono::milliseconds delay, int workers);
  ~JobRunner();
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // Stores the job as waiting and queues it. With `forced_failure` (fault injection) the work
  // is skipped and the job ends in error with that {code, message}.
  Job submit(Job job, Work work, std::optional<std::pair<std::string, std::string>> forced_failure = std::nullopt);
  void stop();

 private:
  struct Pending {
    std::int64_t job_id;
    Work work;
    std::optional<std::pair<std::string, std::string>> forced_failure;
    std::chrono::steady_clock::time_point queued;
  };
  void worker_loop();
  void run(Pending& pending);

  Store& store_;
  const Clock& clock_;
  std::chrono::milliseconds delay_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace kbc::emulator
