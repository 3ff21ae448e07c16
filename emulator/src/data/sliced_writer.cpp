#include "data/sliced_writer.hpp"

#include <cstdio>

#include "data/csv.hpp"

namespace kbc::emulator::data {

namespace {
constexpr std::size_t kFlushAt = 256 * 1024;
}

SlicedWriter::SlicedWriter(std::filesystem::path directory, std::uint64_t slice_size, bool gzip)
    : directory_(std::move(directory)), slice_size_(slice_size == 0 ? 1 : slice_size), gzip_(gzip) {
  std::filesystem::create_directories(directory_);
  open_slice();
}

void SlicedWriter::open_slice() {
  char name[32];
  std::snprintf(name, sizeof name, "part%04zu.csv%s", slices_.size(), gzip_ ? ".gz" : "");
  slices_.push_back(directory_ / name);
  writer_ = std::make_unique<ByteWriter>(slices_.back(), gzip_);
  slice_bytes_ = 0;
}

void SlicedWriter::flush() {
  writer_->write(buffer_);
  buffer_.clear();
}

void SlicedWriter::add_row(const std::vector<std::string_view>& values) {
  row_.clear();
  append_csv_row(row_, values);
  if (slice_bytes_ > 0 && slice_bytes_ + row_.size() > slice_size_) {
    flush();
    writer_->close();
    md5s_.push_back(writer_->md5_hex());
    open_slice();
  }
  buffer_ += row_;
  slice_bytes_ += row_.size();
  total_in_ += row_.size();
  if (buffer_.size() >= kFlushAt) flush();
}

std::vector<std::filesystem::path> SlicedWriter::finish() {
  flush();
  writer_->close();
  md5s_.push_back(writer_->md5_hex());
  return slices_;
}

}  // namespace kbc::emulator::data
