#include "kbc_storage_extract/extract/row_digest.hpp"

#include <fmt/format.h>
#include <zlib.h>

namespace kbc::extract {

namespace {

constexpr std::uint64_t kFnvOffset = 1469598103934665603ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

std::uint64_t fnv_byte(std::uint64_t hash, unsigned char byte) { return (hash ^ byte) * kFnvPrime; }

std::uint64_t fnv_word(std::uint64_t hash, std::uint64_t word) {
  for (int i = 0; i < 8; ++i) hash = fnv_byte(hash, static_cast<unsigned char>(word >> (8 * i)));
  return hash;
}

// splitmix64's finalizer: spreads FNV's bits so that sums and xors of row hashes do not cancel
// by accident.
std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

std::string RowDigest::hex() const { return fmt::format("{:016x}{:016x}", sum, xored); }

struct CsvRowDigester::Inflater {
  z_stream stream{};
  bool ready = false;
  Inflater() { ready = inflateInit2(&stream, 15 + 32) == Z_OK; }  // 15+32: gzip or zlib header
  ~Inflater() {
    if (ready) inflateEnd(&stream);
  }
};

CsvRowDigester::CsvRowDigester() : row_hash_(kFnvOffset), field_hash_(kFnvOffset) {}
CsvRowDigester::~CsvRowDigester() = default;

void CsvRowDigester::end_field() {
  row_hash_ = fnv_word(row_hash_, mix(field_hash_));
  row_hash_ = fnv_word(row_hash_, field_length_);
  field_hash_ = kFnvOffset;
  field_length_ = 0;
}

void CsvRowDigester::end_row() {
  end_field();
  const std::uint64_t hash = mix(row_hash_);
  ++digest_.rows;
  digest_.sum += hash;
  digest_.xored ^= hash;
  row_hash_ = kFnvOffset;
  row_open_ = false;
}

void CsvRowDigester::parse(const char* data, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    const char c = data[i];
    if (quote_pending_) {
      quote_pending_ = false;
      if (c == '"') {  // a doubled quote: one '"' of the value
        field_hash_ = fnv_byte(field_hash_, '"');
        ++field_length_;
        continue;
      }
      in_quotes_ = false;  // the closing quote; c is read outside quotes below
    }
    if (in_quotes_) {
      if (c == '"') {
        quote_pending_ = true;
      } else {
        field_hash_ = fnv_byte(field_hash_, static_cast<unsigned char>(c));
        ++field_length_;
      }
      continue;
    }
    if (c == '"') {
      in_quotes_ = true;
      row_open_ = true;
    } else if (c == ',') {
      end_field();
      row_open_ = true;
    } else if (c == '\n') {
      if (row_open_) end_row();
    } else if (c != '\r') {
      field_hash_ = fnv_byte(field_hash_, static_cast<unsigned char>(c));
      ++field_length_;
      row_open_ = true;
    }
  }
}

bool CsvRowDigester::feed(const char* data, std::size_t size) {
  if (broken_ || size == 0) return !broken_;
  if (!decided_) {
    decided_ = true;
    // A gzip member starts with 1f 8b; an export's slices are all gzip or all plain, and one
    // byte is enough to tell (CSV never starts with 0x1f).
    gzip_ = static_cast<unsigned char>(data[0]) == 0x1f;
  }
  if (!gzip_) {
    parse(data, size);
    return true;
  }
  if (!inflater_) inflater_ = std::make_unique<Inflater>();
  auto& z = inflater_->stream;
  if (!inflater_->ready) return !(broken_ = true);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
  z.avail_in = static_cast<uInt>(size);
  char out[16384];
  while (z.avail_in > 0) {
    z.next_out = reinterpret_cast<Bytef*>(out);
    z.avail_out = sizeof out;
    const int rc = inflate(&z, Z_NO_FLUSH);
    parse(out, sizeof out - z.avail_out);
    if (rc == Z_STREAM_END) {
      inflateReset(&z);  // concatenated gzip members
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return !(broken_ = true);
    } else if (rc == Z_BUF_ERROR && z.avail_out != 0) {
      break;
    }
  }
  return true;
}

bool CsvRowDigester::end_object() {
  if (broken_) return false;
  if (in_quotes_ && !quote_pending_) return !(broken_ = true);  // cut inside a quoted value
  quote_pending_ = false;
  in_quotes_ = false;
  if (row_open_) end_row();
  decided_ = false;
  if (inflater_) inflateReset(&inflater_->stream);
  return true;
}

std::optional<RowDigest> CsvRowDigester::digest() const {
  if (broken_) return std::nullopt;
  return digest_;
}

}  // namespace kbc::extract
