#pragma once
// Counting the rows of an export while its bytes stream past, for the one case where no API
// reports how many rows a run moved: an incremental load of changed rows (changedSince). It
// costs about a core at wire speed, so it is off otherwise (TransferOptions::count_rows). Gzip slices are
// inflated on the fly (the bytes sent on are untouched); newlines inside quoted values do not
// count. Memory: zlib's window and one small buffer.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "kbc_storage_extract/transfer/object_store.hpp"

namespace kbc::extract {

// Rows of one headerless CSV object, plain or gzip (detected from the first bytes).
class CsvRowCounter {
 public:
  CsvRowCounter();
  ~CsvRowCounter();
  CsvRowCounter(const CsvRowCounter&) = delete;
  CsvRowCounter& operator=(const CsvRowCounter&) = delete;
  // Feed the object's bytes in order; false once the data is not countable (bad gzip).
  bool feed(const char* data, std::size_t size);
  // The row count (a last row without a newline counts), or nullopt when it could not count.
  std::optional<std::uint64_t> finish();

 private:
  void count_plain(const char* data, std::size_t size);
  bool feed_decided(const char* data, std::size_t size);
  struct Inflater;
  std::unique_ptr<Inflater> inflater_;
  bool decided_ = false;
  bool gzip_ = false;
  bool broken_ = false;
  bool in_quotes_ = false;
  bool row_open_ = false;  // bytes seen since the last row end
  std::uint64_t rows_ = 0;
  unsigned char first_byte_ = 0;
  bool have_first_byte_ = false;
};

// An ObjectStore whose reads of `key` also feed a CsvRowCounter. Reads must come in order;
// a byte range read again (a retried part) is counted once; a gap (parts read out of order)
// makes the count unknown. Writes are passed through.
class RowCountingStore : public transfer::ObjectStore {
 public:
  RowCountingStore(transfer::ObjectStore& inner, std::string key);
  Result<std::uint64_t> size(const std::string& key) override;
  Status read(const std::string& key, transfer::ByteRange range, const transfer::ByteSink& sink) override;
  Result<std::unique_ptr<transfer::ObjectUpload>> begin_upload(const std::string& key, std::uint64_t size) override;
  Status put_small(const std::string& key, std::string_view body) override;
  std::string url_of(const std::string& key) const override;
  std::optional<std::string> key_of(std::string_view url) const override;
  transfer::StoreCapabilities capabilities() const override;
  std::optional<std::uint64_t> rows();

 private:
  transfer::ObjectStore& inner_;
  std::string key_;
  std::mutex mutex_;
  CsvRowCounter counter_;
  std::uint64_t counted_upto_ = 0;
  bool lost_ = false;
};

}  // namespace kbc::extract
