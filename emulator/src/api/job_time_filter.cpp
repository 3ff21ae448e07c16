#include "api/job_time_filter.hpp"

#include "api/api_error.hpp"
#include "util/time_format.hpp"

namespace kbc::emulator {

namespace {

std::optional<std::int64_t> time_of(const Params& params, const std::string& name, std::int64_t now) {
  auto text = params.string(name);
  if (!text || text->empty()) return std::nullopt;
  auto value = parse_time_expression(*text, now);
  if (!value) {
    throw bad_request("Invalid " + name + " \"" + *text +
                      "\": use a unix timestamp, an ISO 8601 datetime or a relative time such as \"-2 days\".");
  }
  return value;
}

}  // namespace

JobFilter::Range job_time_range(const Params& params, const std::string& name, std::int64_t now) {
  // "_from/_to: not applied when <name> is used" (apiary.apib).
  if (auto exact = time_of(params, name, now)) return {exact, exact};
  return {time_of(params, name + "_from", now), time_of(params, name + "_to", now)};
}

}  // namespace kbc::emulator
