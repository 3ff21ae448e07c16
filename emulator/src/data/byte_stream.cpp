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

namespace {
constexpr std::size_t kOutputBuffer = 256 * 1024;
}

ByteWriter::ByteWriter(const std::filesystem::path& path, bool gzip)
    : path_(path), md5_(std::make_unique<s3::Digest>("MD5")) {
  file_ = std::fopen(path.c_str(), "wb");
  if (!file_) throw std::runtime_error("cannot create " + path.filename().string());
  if (gzip) {
    // Huffman coding only: no string matching, ~3x the speed of level 1 on table data (which
    // has few long repeats), for ~15% more bytes. An ordinary gzip stream to every reader;
    // the emulator's exports must not be what a benchmark of the tool measures.
    zstream_ = std::make_unique<z_stream>();
    if (deflateInit2(zstream_.get(), 1, Z_DEFLATED, 15 + 16, 8, Z_HUFFMAN_ONLY) != Z_OK) {
      zstream_.reset();
      std::fclose(file_);
      file_ = nullptr;
      throw std::runtime_error("cannot start gzip for " + path.filename().string());
    }
    out_.resize(kOutputBuffer);
  }
}

ByteWriter::~ByteWriter() {
  try {
    close();
  } catch (...) {
  }
  if (zstream_) deflateEnd(zstream_.get());
  if (file_) std::fclose(file_);
}

void ByteWriter::put(const char* data, std::size_t size) {
  if (std::fwrite(data, 1, size, file_) != size) throw std::runtime_error("cannot write " + path_.filename().string());
  md5_->update(data, size);
}

void ByteWriter::deflate_into_file(int flush) {
  auto& z = *zstream_;
  for (;;) {
    z.next_out = out_.data();
    z.avail_out = static_cast<uInt>(out_.size());
    int rc = deflate(&z, flush);
    if (rc == Z_STREAM_ERROR) throw std::runtime_error("cannot compress " + path_.filename().string());
    put(reinterpret_cast<const char*>(out_.data()), out_.size() - z.avail_out);
    if (flush == Z_FINISH ? rc == Z_STREAM_END : z.avail_out != 0) return;
  }
}

void ByteWriter::write(const char* data, std::size_t size) {
  if (size == 0) return;
  if (!file_) throw std::runtime_error("write after close of " + path_.filename().string());
  if (zstream_) {
    zstream_->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
    zstream_->avail_in = static_cast<uInt>(size);
    deflate_into_file(Z_NO_FLUSH);
  } else {
    put(data, size);
  }
  bytes_in_ += size;
}

void ByteWriter::close() {
  if (!file_) return;
  if (zstream_) {
    zstream_->next_in = nullptr;
    zstream_->avail_in = 0;
    deflate_into_file(Z_FINISH);
    deflateEnd(zstream_.get());
    zstream_.reset();
  }
  int rc = std::fclose(file_);
  file_ = nullptr;
  if (rc != 0) throw std::runtime_error("cannot finish " + path_.filename().string());
  md5_hex_ = s3::hex(md5_->finish());
}

}  // namespace kbc::emulator::data
