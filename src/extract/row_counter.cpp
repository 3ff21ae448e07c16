#include "kbc_storage_extract/extract/row_counter.hpp"

#include <cstring>

#include <zlib.h>

namespace kbc::extract {

struct CsvRowCounter::Inflater {
  z_stream stream{};
  bool ready = false;
  Inflater() { ready = inflateInit2(&stream, 15 + 32) == Z_OK; }  // 15+32: gzip or zlib header
  ~Inflater() {
    if (ready) inflateEnd(&stream);
  }
};

CsvRowCounter::CsvRowCounter() = default;
CsvRowCounter::~CsvRowCounter() = default;

void CsvRowCounter::count_plain(const char* data, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    const char c = data[i];
    if (c == '"') {
      in_quotes_ = !in_quotes_;  // a doubled quote toggles twice: still inside
      row_open_ = true;
    } else if (c == '\n' && !in_quotes_) {
      ++rows_;
      row_open_ = false;
    } else if (c != '\r') {
      row_open_ = true;
    }
  }
}

bool CsvRowCounter::feed(const char* data, std::size_t size) {
  if (broken_ || size == 0) return !broken_;
  if (!decided_) {
    // Two bytes decide: 1f 8b is gzip. Hold a lone first byte until the second arrives.
    if (!have_first_byte_) {
      first_byte_ = static_cast<unsigned char>(data[0]);
      have_first_byte_ = true;
      if (size == 1) return true;
      ++data, --size;
    }
    decided_ = true;
    gzip_ = first_byte_ == 0x1f && static_cast<unsigned char>(data[0]) == 0x8b;
    const char first = static_cast<char>(first_byte_);
    if (!feed_decided(&first, 1)) return false;
  }
  return feed_decided(data, size);
}

bool CsvRowCounter::feed_decided(const char* data, std::size_t size) {
  if (!gzip_) {
    count_plain(data, size);
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
    count_plain(out, sizeof out - z.avail_out);
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

std::optional<std::uint64_t> CsvRowCounter::finish() {
  if (broken_) return std::nullopt;
  if (have_first_byte_ && !decided_) {  // a one-byte object
    decided_ = true;
    const char first = static_cast<char>(first_byte_);
    count_plain(&first, 1);
  }
  return rows_ + (row_open_ ? 1 : 0);
}

RowCountingStore::RowCountingStore(transfer::ObjectStore& inner, std::string key) : inner_(inner), key_(std::move(key)) {}

Result<std::uint64_t> RowCountingStore::size(const std::string& key) { return inner_.size(key); }

Status RowCountingStore::read(const std::string& key, transfer::ByteRange range, const transfer::ByteSink& sink) {
  if (key != key_) return inner_.read(key, range, sink);
  std::uint64_t position = range.offset;
  return inner_.read(key, range, [&](const char* data, std::size_t size) {
    {
      std::lock_guard lock(mutex_);
      if (!lost_) {
        if (position > counted_upto_) {
          lost_ = true;  // a gap: parts read out of order
        } else if (position + size > counted_upto_) {
          const std::size_t skip = static_cast<std::size_t>(counted_upto_ - position);
          if (!counter_.feed(data + skip, size - skip)) lost_ = true;
          counted_upto_ = position + size;
        }
      }
    }
    position += size;
    return sink(data, size);
  });
}

Result<std::unique_ptr<transfer::ObjectUpload>> RowCountingStore::begin_upload(const std::string& key, std::uint64_t size) {
  return inner_.begin_upload(key, size);
}

Status RowCountingStore::put_small(const std::string& key, std::string_view body) { return inner_.put_small(key, body); }

std::string RowCountingStore::url_of(const std::string& key) const { return inner_.url_of(key); }

std::optional<std::string> RowCountingStore::key_of(std::string_view url) const { return inner_.key_of(url); }

transfer::StoreCapabilities RowCountingStore::capabilities() const { return inner_.capabilities(); }

std::optional<std::uint64_t> RowCountingStore::rows() {
  std::lock_guard lock(mutex_);
  if (lost_) return std::nullopt;
  return counter_.finish();
}

}  // namespace kbc::extract
