#pragma once
// An order-independent digest of a headerless CSV export (plain or gzip, detected from the
// first bytes), computed while its bytes stream past: each parsed row is hashed to 64 bits
// (fields and their lengths, so "a,bc" and "ab,c" differ), and the row hashes are combined by
// sum and by xor, which no row order changes. Memory: zlib's window, one row's fields.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace kbc::extract {

struct RowDigest {
  std::uint64_t rows = 0;
  std::uint64_t sum = 0;    // of the row hashes, mod 2^64
  std::uint64_t xored = 0;  // of the row hashes
  bool operator==(const RowDigest&) const = default;
  std::string hex() const;  // "<sum><xor>" as 32 hex digits
};

class CsvRowDigester {
 public:
  CsvRowDigester();
  ~CsvRowDigester();
  CsvRowDigester(const CsvRowDigester&) = delete;
  CsvRowDigester& operator=(const CsvRowDigester&) = delete;
  // Feed one object's bytes in order; false once they cannot be read (bad gzip).
  bool feed(const char* data, std::size_t size);
  // End of one object (a slice): a last row without a newline counts, the gzip state resets.
  bool end_object();
  std::optional<RowDigest> digest() const;

 private:
  void parse(const char* data, std::size_t size);
  void end_field();
  void end_row();
  struct Inflater;
  std::unique_ptr<Inflater> inflater_;
  bool decided_ = false;
  bool gzip_ = false;
  bool broken_ = false;
  bool in_quotes_ = false;
  bool quote_pending_ = false;  // a '"' inside quotes: the end, or the first of a doubled one
  bool row_open_ = false;
  std::uint64_t row_hash_ = 0;
  std::uint64_t field_hash_ = 0;
  std::uint64_t field_length_ = 0;
  RowDigest digest_;
};

}  // namespace kbc::extract
