#pragma once
// RFC 4180 CSV, streamed: the reader parses rows incrementally from a ByteReader (quoted
// fields, embedded newlines and delimiters, doubled enclosures, optional escape character,
// CRLF, UTF-8 BOM); the writer formats rows the way Storage exports them (every value
// enclosed in double quotes).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "data/byte_stream.hpp"

namespace kbc::emulator::data {

struct CsvDialect {
  char delimiter = ',';
  char enclosure = '"';  // '\0' = none
  char escaped_by = '\0';  // '\0' = none
};

class CsvReader {
 public:
  CsvReader(ByteReader& input, CsvDialect dialect);
  // The next row into `row`; false at the end of input. Throws std::runtime_error for an
  // unterminated quoted field.
  bool next(std::vector<std::string>& row);
  // 1-based number of the row last returned.
  std::int64_t row_number() const { return rows_; }

 private:
  bool fill();
  ByteReader& input_;
  CsvDialect dialect_;
  std::string buffer_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
  bool first_ = true;
  std::int64_t rows_ = 0;
};

// Appends one exported row ("v1","v2"\n) to `out`.
void append_csv_row(std::string& out, const std::vector<std::string_view>& values);

}  // namespace kbc::emulator::data
