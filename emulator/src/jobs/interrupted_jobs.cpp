#include "jobs/interrupted_jobs.hpp"

#include <spdlog/spdlog.h>

#include <limits>

#include "util/random.hpp"

namespace kbc::emulator {

int end_interrupted_jobs(Store& store, const Clock& clock) {
  int ended = 0;
  const auto all = std::numeric_limits<std::int64_t>::max();
  for (std::int64_t project_id = 1; project_id < store.next_project_id(); ++project_id) {
    for (const std::string status : {"waiting", "processing"}) {
      JobFilter filter;
      filter.status = status;
      for (auto& job : store.list_jobs(project_id, filter, all, 0)) {
        // A waiting job never started its work. A processing one was cut by a kill somewhere in
        // it (a stop lets running work finish and records it): an import may have landed.
        const bool was_waiting = status == "waiting";
        job.status = "error";
        job.ended = clock.now_seconds();
        job.results = nullptr;
        job.error = {{"code", "storage.jobInterrupted"},
                     {"message", was_waiting ? "The emulator stopped before this job ran; run it again."
                                             : "The emulator stopped while this job ran; it may or may not have "
                                               "taken effect: check, then run it again."},
                     {"exceptionId", "exception-" + random_hex(32)}};
        store.update_job(job);
        spdlog::warn("job {} {} was {} when the emulator stopped: now error", job.id, job.operation_name, status);
        ++ended;
      }
    }
  }
  return ended;
}

}  // namespace kbc::emulator
