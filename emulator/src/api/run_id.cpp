#include "api/run_id.hpp"

#include <httplib.h>

namespace kbc::emulator {

namespace {

std::optional<std::string>& current() {
  thread_local std::optional<std::string> run_id;
  return run_id;
}

}  // namespace

void capture_run_id(const httplib::Request& request) {
  auto value = request.get_header_value("X-KBC-RunId");
  current() = value.empty() ? std::nullopt : std::optional(value);
}

const std::optional<std::string>& request_run_id() { return current(); }

std::vector<std::string> run_id_hierarchy(const std::string& run_id) {
  std::vector<std::string> out;
  for (auto dot = run_id.find('.'); dot != std::string::npos; dot = run_id.find('.', dot + 1)) {
    out.push_back(run_id.substr(0, dot));
  }
  out.push_back(run_id);
  return out;
}

}  // namespace kbc::emulator
