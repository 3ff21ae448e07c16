#pragma once
// The time filters of GET /v2/storage/jobs (apiary.apib "List Jobs"): `<name>` (that exact
// second), else `<name>_from` / `<name>_to` (either end, both inclusive), for created_time,
// start_time and end_time. A value is what changedSince takes: a unix timestamp, an ISO 8601
// datetime or a relative time ("-2 days"), on the emulator clock.
#include <cstdint>
#include <string>

#include "api/params.hpp"
#include "model/store.hpp"

namespace kbc::emulator {

// 400 validation.failed naming the parameter when a value is not a time.
JobFilter::Range job_time_range(const Params& params, const std::string& name, std::int64_t now);

}  // namespace kbc::emulator
