#pragma once
// Integrity of a copied file: the bytes read from the source's file storage are exactly what
// the Storage API promised, so that a short or empty object fails its table before anything is
// imported (an empty object "copied" as an empty table would replace the destination's rows).
// An empty ".gz" object is refused outright (a gzip stream is never 0 bytes). Three promises
// are checked: each slice's stored size (HEAD) against its manifest entry's
// meta.content_length, when the manifest has one; the stored sizes' sum against the file
// detail's sizeBytes, when it has one; and the bytes each read delivered against what it asked.
// Where the provider states an object's MD5 (transfer::ObjectFacts) and its bytes were read in
// order (one part at a time), the MD5 of the bytes read is compared with it too.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "kbc_storage_extract/result.hpp"
#include "kbc_storage_extract/storage_api/types.hpp"
#include "kbc_storage_extract/transfer/checksum.hpp"
#include "kbc_storage_extract/transfer/object_store.hpp"

namespace kbc::extract {

// One object of an exported file as the file storage reports it.
struct StoredSlice {
  std::string url;                        // "s3://bucket/key", for messages (no secret in it)
  std::string name;                       // the key below the file's prefix, or its base name
  std::optional<std::uint64_t> promised;  // the manifest's meta.content_length
  std::uint64_t stored = 0;               // ObjectStore::size
  std::string md5;                        // 16 bytes stated by the provider, or empty
};

// Before anything is written at the destination: every stored size matches what the manifest
// and the file detail promise. ErrorKind::integrity naming the file, the slice and both sizes.
Status check_stored_sizes(const storage_api::FileDetail& file, const std::vector<StoredSlice>& slices);

// After a slice was copied: the bytes its reads delivered are its stored size.
Status check_bytes_read(const storage_api::FileDetail& file, const StoredSlice& slice, std::uint64_t read);

// After a slice was copied and its size checked: the MD5 of the bytes read (`read_md5`, empty
// when they could not be hashed in order) is the one the provider stated (`slice.md5`, empty
// when it states none). True when compared, false when there was nothing to compare.
Result<bool> check_checksum(const storage_api::FileDetail& file, const StoredSlice& slice, const std::string& read_md5);

// The destination key of source object `source_key`: its whole key below the source file's
// prefix (sliced) or its base name (not sliced), appended to the destination prefix, so that
// two distinct source slices ("a/part0", "b/part0") never become one destination object.
std::string destination_key(const storage_api::FileDetail& from, const std::string& source_key,
                            const std::string& destination_prefix);

// Passes everything through to `inner`, and refuses a read that the store reported as done
// but that delivered other than the bytes of the range it asked for (a backend or server that
// ends a body early without an error). Counts the bytes of the distinct ranges read, so a
// part read again after a failed upload counts once. Safe for parallel parts. With `hash_md5`
// it also hashes the bytes in object order (a part read again is hashed once); parts read out
// of order (in parallel) leave nothing to compare, since MD5 cannot be combined from pieces.
class ReadCheckingStore : public transfer::ObjectStore {
 public:
  ReadCheckingStore(transfer::ObjectStore& inner, std::string name, bool hash_md5 = false);
  ~ReadCheckingStore() override;
  Result<std::uint64_t> size(const std::string& key) override { return inner_.size(key); }
  Status read(const std::string& key, transfer::ByteRange range, const transfer::ByteSink& sink) override;
  Result<std::unique_ptr<transfer::ObjectUpload>> begin_upload(const std::string& key, std::uint64_t size) override {
    return inner_.begin_upload(key, size);
  }
  Status put_small(const std::string& key, std::string_view body) override { return inner_.put_small(key, body); }
  std::string url_of(const std::string& key) const override { return inner_.url_of(key); }
  std::optional<std::string> key_of(std::string_view url) const override { return inner_.key_of(url); }
  transfer::StoreCapabilities capabilities() const override { return inner_.capabilities(); }
  std::uint64_t bytes_read() const;
  // The MD5 of every byte from offset 0 to the end of what was read, in order; empty when the
  // reads were not in order (or hash_md5 was not asked for). Call once, after the copy.
  std::string md5_read();

 private:
  void hash_in_order(std::uint64_t at, const char* data, std::size_t size);

  transfer::ObjectStore& inner_;
  std::string name_;
  mutable std::mutex mutex_;
  std::set<std::pair<std::uint64_t, std::uint64_t>> ranges_read_;  // (offset, length)
  std::uint64_t bytes_read_ = 0;
  std::unique_ptr<transfer::Md5> md5_;  // null when not asked for, or given up (a gap)
  std::uint64_t hashed_ = 0;            // bytes [0, hashed_) are in md5_
};

}  // namespace kbc::extract
