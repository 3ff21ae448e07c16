#pragma once
// Starts an asynchronous job for the current request, honouring a fail_job fault that the
// fault injector matched to this request; the job carries the request's X-KBC-RunId.
#include "jobs/job_runner.hpp"
#include "services.hpp"

namespace kbc::emulator {

Job submit_job(Services& services, Job job, JobRunner::Work work);

}  // namespace kbc::emulator
