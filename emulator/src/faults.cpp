#include "faults.hpp"

namespace kbc::emulator {

void FaultInjector::add(Fault fault) {
  std::regex pattern(fault.path_regex.empty() ? ".*" : fault.path_regex);
  std::lock_guard lock(mutex_);
  entries_.push_back(Entry{std::move(fault), std::move(pattern)});
}

void FaultInjector::clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
}

std::optional<Fault> FaultInjector::take(const std::string& target, const std::string& method,
                                         const std::string& path) {
  std::lock_guard lock(mutex_);
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    const auto& fault = it->fault;
    if (fault.target != target) continue;
    if (!fault.method.empty() && fault.method != method) continue;
    if (!std::regex_search(path, it->pattern)) continue;
    Fault hit = fault;
    if (--it->fault.count <= 0) entries_.erase(it);
    ++fired_;
    return hit;
  }
  return std::nullopt;
}

int FaultInjector::fired() const {
  std::lock_guard lock(mutex_);
  return fired_;
}

}  // namespace kbc::emulator
