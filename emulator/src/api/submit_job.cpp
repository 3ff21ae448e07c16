#include "api/submit_job.hpp"

#include "api/http_util.hpp"
#include "api/run_id.hpp"

namespace kbc::emulator {

Job submit_job(Services& services, Job job, JobRunner::Work work) {
  std::optional<std::pair<std::string, std::string>> failure;
  auto& faults = current_request_faults();
  if (faults.fail_job) {
    failure = std::make_pair(faults.fail_job->error_code.empty() ? "storage.jobFailed" : faults.fail_job->error_code,
                             faults.fail_job->message.empty() ? "Job failed (injected fault)." : faults.fail_job->message);
    faults.fail_job.reset();
  }
  job.run_id = request_run_id();
  return services.jobs.submit(std::move(job), std::move(work), std::move(failure));
}

}  // namespace kbc::emulator
