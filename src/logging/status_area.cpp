#include "logging/status_area.hpp"

#include <cstdio>

namespace kbc::logging {

StatusArea& StatusArea::instance() {
  static StatusArea area;
  return area;
}

void StatusArea::show(std::vector<std::string> lines) {
  std::lock_guard lock(mutex_);
  erase_locked();
  lines_ = std::move(lines);
  draw_locked();
}

void StatusArea::clear() {
  std::lock_guard lock(mutex_);
  erase_locked();
  lines_.clear();
}

// The cursor stays at the end of the last line drawn (no newline after it): back to column 0,
// clear, and up one line for each line above it.
void StatusArea::erase_locked() {
  if (drawn_ == 0) return;
  std::string out = "\r\x1b[K";
  for (std::size_t i = 1; i < drawn_; ++i) out += "\x1b[1A\x1b[K";
  std::fwrite(out.data(), 1, out.size(), stderr);
  std::fflush(stderr);
  drawn_ = 0;
}

void StatusArea::draw_locked() {
  if (lines_.empty()) return;
  std::string out;
  for (std::size_t i = 0; i < lines_.size(); ++i) out += (i ? "\n" : "") + lines_[i];
  std::fwrite(out.data(), 1, out.size(), stderr);
  std::fflush(stderr);
  drawn_ = lines_.size();
}

}  // namespace kbc::logging
