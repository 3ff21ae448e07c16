#include "data/byte_stream.hpp"

#include <stdexcept>

namespace kbc::emulator::data {

FilesReader::FilesReader(std::vector<std::filesystem::path> files) : files_(std::move(files)) {}

FilesReader::~FilesReader() {
  if (current_) gzclose(current_);
}

bool FilesReader::open_next() {
  if (current_) {
    gzclose(current_);
    current_ = nullptr;
  }
  if (next_ >= files_.size()) return false;
  const auto& path = files_[next_++];
  current_ = gzopen(path.c_str(), "rb");
  if (!current_) throw std::runtime_error("cannot open " + path.filename().string());
  gzbuffer(current_, 128 * 1024);
  return true;
}

std::size_t FilesReader::read(char* buffer, std::size_t size) {
  if (size == 0) return 0;
  for (;;) {
    if (pending_newline_) {
      pending_newline_ = false;
      buffer[0] = '\n';
      last_ = '\n';
      return 1;
    }
    if (!current_ && !open_next()) return 0;
    int n = gzread(current_, buffer, static_cast<unsigned>(size));
    if (n < 0) {
      int code = 0;
      const char* message = gzerror(current_, &code);
      throw InputError(std::string("cannot read the file: ") + (message ? message : "unknown error"));
    }
    if (n > 0) {
      last_ = buffer[n - 1];
      return static_cast<std::size_t>(n);
    }
    bool had_more = next_ < files_.size();
    if (!open_next()) return 0;
    if (had_more && last_ != '\n') pending_newline_ = true;
  }
}

ByteWriter::ByteWriter(const std::filesystem::path& path, bool gzip) : path_(path) {
  if (gzip) {
    // Huffman coding only ("h"): no string matching, ~3x the speed of level 1 on table data
    // (which has few long repeats), for ~15% more bytes. An ordinary gzip stream to every
    // reader; the emulator's exports must not be what a benchmark of the tool measures.
    gz_ = gzopen(path.c_str(), "wb1h");
    if (gz_) gzbuffer(gz_, 256 * 1024);
  } else {
    plain_ = std::fopen(path.c_str(), "wb");
  }
  if (!gz_ && !plain_) throw std::runtime_error("cannot create " + path.filename().string());
}

ByteWriter::~ByteWriter() {
  try {
    close();
  } catch (...) {
  }
}

void ByteWriter::write(const char* data, std::size_t size) {
  if (size == 0) return;
  if (gz_) {
    if (gzwrite(gz_, data, static_cast<unsigned>(size)) != static_cast<int>(size)) {
      throw std::runtime_error("cannot write " + path_.filename().string());
    }
  } else if (std::fwrite(data, 1, size, plain_) != size) {
    throw std::runtime_error("cannot write " + path_.filename().string());
  }
  bytes_in_ += size;
}

void ByteWriter::close() {
  if (gz_) {
    int rc = gzclose(gz_);
    gz_ = nullptr;
    if (rc != Z_OK) throw std::runtime_error("cannot finish " + path_.filename().string());
  }
  if (plain_) {
    int rc = std::fclose(plain_);
    plain_ = nullptr;
    if (rc != 0) throw std::runtime_error("cannot finish " + path_.filename().string());
  }
}

}  // namespace kbc::emulator::data
