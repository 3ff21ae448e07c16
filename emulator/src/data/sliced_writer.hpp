#pragma once
// Writes exported rows as CSV (no header) into one or more slice files of at most
// `slice_size` uncompressed bytes each (a row is never split; gzip optional), streaming
// through a small buffer.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "data/byte_stream.hpp"

namespace kbc::emulator::data {

class SlicedWriter {
 public:
  SlicedWriter(std::filesystem::path directory, std::uint64_t slice_size, bool gzip);
  void add_row(const std::vector<std::string_view>& values);
  // Closes the last slice; returns the slice files in order (at least one, maybe empty).
  std::vector<std::filesystem::path> finish();
  // Hex MD5 of each slice file's bytes, in the order of finish()'s files; after finish().
  const std::vector<std::string>& md5s() const { return md5s_; }
  std::uint64_t uncompressed_bytes() const { return total_in_; }

 private:
  void open_slice();
  void flush();
  std::filesystem::path directory_;
  std::uint64_t slice_size_;
  bool gzip_;
  std::unique_ptr<ByteWriter> writer_;
  std::vector<std::filesystem::path> slices_;
  std::vector<std::string> md5s_;
  std::string buffer_;
  std::string row_;
  std::uint64_t slice_bytes_ = 0;
  std::uint64_t total_in_ = 0;
};

}  // namespace kbc::emulator::data
