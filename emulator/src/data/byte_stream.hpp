#pragma once
// Byte streams over files on disk: reading plain or gzip files (zlib detects which), one file
// after another for sliced files; writing plain or gzip. Never more than a buffer in memory.
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "s3/crypto.hpp"

namespace kbc::emulator::data {

// The input is not what it claims to be (corrupt gzip, unterminated quote, …): the user's file,
// not the emulator, is at fault.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ByteReader {
 public:
  virtual ~ByteReader() = default;
  // Up to `size` bytes; 0 at the end. Throws std::runtime_error on a read/decompress error.
  virtual std::size_t read(char* buffer, std::size_t size) = 0;
};

// Reads the files in order as one stream; gzip files (by content) are decompressed. A newline
// is inserted between files when one does not end with it, so rows never join across slices.
class FilesReader : public ByteReader {
 public:
  explicit FilesReader(std::vector<std::filesystem::path> files);
  ~FilesReader() override;
  std::size_t read(char* buffer, std::size_t size) override;

 private:
  bool open_next();
  std::vector<std::filesystem::path> files_;
  std::size_t next_ = 0;
  gzFile current_ = nullptr;
  char last_ = '\n';
  bool pending_newline_ = false;
};

// Writes a plain or gzip file and the MD5 of the bytes it wrote (an export's ETag, without
// reading the file again).
class ByteWriter {
 public:
  ByteWriter(const std::filesystem::path& path, bool gzip);
  ~ByteWriter();
  ByteWriter(const ByteWriter&) = delete;
  ByteWriter& operator=(const ByteWriter&) = delete;
  void write(const char* data, std::size_t size);
  void write(const std::string& text) { write(text.data(), text.size()); }
  void close();
  // Uncompressed bytes accepted so far.
  std::uint64_t bytes_in() const { return bytes_in_; }
  // Hex MD5 of the file's bytes; after close().
  const std::string& md5_hex() const { return md5_hex_; }

 private:
  void deflate_into_file(int flush);
  void put(const char* data, std::size_t size);
  std::filesystem::path path_;
  std::FILE* file_ = nullptr;
  std::unique_ptr<z_stream> zstream_;
  std::unique_ptr<s3::Digest> md5_;
  std::vector<unsigned char> out_;
  std::uint64_t bytes_in_ = 0;
  std::string md5_hex_;
};

}  // namespace kbc::emulator::data
