#pragma once
// The lines kept at the bottom of a terminal's stderr (the progress view), and a sink that
// writes every log line above them: the view is erased, the line written, the view drawn
// again, all under one lock, so log lines and the view never mix.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <spdlog/sinks/sink.h>

namespace kbc::logging {

class StatusArea {
 public:
  static StatusArea& instance();
  void show(std::vector<std::string> lines);  // replaces what is shown
  void clear();                               // nothing shown any more
  template <class Write>
  void write_above(Write&& write) {
    std::lock_guard lock(mutex_);
    erase_locked();
    write();
    draw_locked();
  }

 private:
  void erase_locked();
  void draw_locked();
  std::mutex mutex_;
  std::vector<std::string> lines_;
  std::size_t drawn_ = 0;  // lines on screen now
};

class StatusAreaSink final : public spdlog::sinks::sink {
 public:
  explicit StatusAreaSink(std::shared_ptr<spdlog::sinks::sink> inner) : inner_(std::move(inner)) {}
  void log(const spdlog::details::log_msg& msg) override {
    StatusArea::instance().write_above([&] {
      inner_->log(msg);
      inner_->flush();
    });
  }
  void flush() override { inner_->flush(); }
  void set_pattern(const std::string& pattern) override { inner_->set_pattern(pattern); }
  void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override { inner_->set_formatter(std::move(formatter)); }

 private:
  std::shared_ptr<spdlog::sinks::sink> inner_;
};

}  // namespace kbc::logging
