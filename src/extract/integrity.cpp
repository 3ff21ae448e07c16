#include "kbc_storage_extract/extract/integrity.hpp"

#include <fmt/format.h>

namespace kbc::extract {

namespace {

// What to do about any of these: the data is not what the API said, re-reading it now will
// not change that, and the destination was left alone.
std::string hint_for(const storage_api::FileDetail& file) {
  return fmt::format(
      "nothing was imported into the destination table. Run the table again (a new export is made "
      "when the source changed); if the same file comes back short, report source file {} to Keboola support",
      file.id);
}

std::string file_label(const storage_api::FileDetail& file) {
  return file.name.empty() ? fmt::format("export file {}", file.id) : fmt::format("export file {} ({})", file.id, file.name);
}

// "bytes 0-99 of slice part0000.csv.gz", or the whole slice for a read without a range.
std::string what_was_read(transfer::ByteRange range, const std::string& name) {
  if (range.length == 0) return "slice " + name;
  return fmt::format("bytes {}-{} of slice {}", range.offset, range.offset + range.length - 1, name);
}

Error integrity_error(const storage_api::FileDetail& file, std::string message) {
  return make_error(ErrorKind::integrity, std::move(message), hint_for(file));
}

// The tool always exports gzip: even an empty table's export is a gzip stream (header and
// trailer, about 20 bytes), so an empty .gz object is missing data even where the file detail
// promises nothing (no sizeBytes) or promises the same wrong sum.
Status check_no_empty_gzip(const storage_api::FileDetail& file, const std::vector<StoredSlice>& slices) {
  for (const auto& slice : slices) {
    if (slice.stored != 0 || !slice.url.ends_with(".gz")) continue;
    return integrity_error(file, fmt::format("{} of {} is 0 bytes in the source's file storage ({}), but a gzip object "
                                             "is never empty",
                                             file.is_sliced ? "slice " + slice.name : std::string("the object"),
                                             file_label(file), slice.url));
  }
  return {};
}

}  // namespace

Status check_stored_sizes(const storage_api::FileDetail& file, const std::vector<StoredSlice>& slices) {
  std::uint64_t total = 0;
  for (const auto& slice : slices) {
    if (slice.promised && *slice.promised != slice.stored)
      return integrity_error(file, fmt::format("slice {} of {} is {} bytes in the source's file storage ({}), but its "
                                               "manifest entry promises {} bytes (meta.content_length)",
                                               slice.name, file_label(file), slice.stored, slice.url, *slice.promised));
    total += slice.stored;
  }
  if (!file.size_bytes || *file.size_bytes == total) return check_no_empty_gzip(file, slices);
  if (!file.is_sliced && slices.size() == 1)
    return integrity_error(file, fmt::format("{} is {} bytes in the source's file storage ({}), but its file detail "
                                             "promises {} bytes (sizeBytes)",
                                             file_label(file), total, slices.front().url, *file.size_bytes));
  // Without per-slice promises only the sum says something is missing; empty slices are the
  // likely culprits, so they are named.
  std::string empty;
  int named = 0;
  for (const auto& slice : slices) {
    if (slice.stored != 0) continue;
    if (named++ < 5) empty += (empty.empty() ? "" : ", ") + slice.name;
  }
  if (named > 5) empty += fmt::format(" and {} more", named - 5);
  return integrity_error(file, fmt::format("the {} slice{} of {} hold {} bytes in the source's file storage, but its file "
                                           "detail promises {} bytes (sizeBytes){}",
                                           slices.size(), slices.size() == 1 ? "" : "s", file_label(file), total,
                                           *file.size_bytes, empty.empty() ? "" : "; empty: " + empty));
}

Status check_bytes_read(const storage_api::FileDetail& file, const StoredSlice& slice, std::uint64_t read) {
  if (read == slice.stored) return {};
  return integrity_error(file, fmt::format("{} bytes of slice {} of {} were read, but the source's file storage reported "
                                           "{} bytes ({})",
                                           read, slice.name, file_label(file), slice.stored, slice.url));
}

Result<bool> check_checksum(const storage_api::FileDetail& file, const StoredSlice& slice, const std::string& read_md5) {
  if (slice.md5.empty() || read_md5.empty()) return false;
  if (slice.md5 == read_md5) return true;
  return integrity_error(file, fmt::format("the bytes read of slice {} of {} have MD5 {}, but the source's file storage "
                                           "states {} for it ({}): they changed on the way",
                                           slice.name, file_label(file), transfer::hex_of(read_md5),
                                           transfer::hex_of(slice.md5), slice.url));
}

std::string destination_key(const storage_api::FileDetail& from, const std::string& source_key,
                            const std::string& destination_prefix) {
  // read_manifest refused any entry outside the prefix, so the remainder is never empty.
  if (from.is_sliced && source_key.starts_with(from.key)) return destination_prefix + source_key.substr(from.key.size());
  const auto slash = source_key.rfind('/');
  return destination_prefix + (slash == std::string::npos ? source_key : source_key.substr(slash + 1));
}

ReadCheckingStore::ReadCheckingStore(transfer::ObjectStore& inner, std::string name, bool hash_md5)
    : inner_(inner), name_(std::move(name)), md5_(hash_md5 ? std::make_unique<transfer::Md5>() : nullptr) {}

ReadCheckingStore::~ReadCheckingStore() = default;

void ReadCheckingStore::hash_in_order(std::uint64_t at, const char* data, std::size_t size) {
  std::lock_guard lock(mutex_);
  if (!md5_) return;
  if (at > hashed_) {  // a later part before this one ended: no MD5 of the whole in order
    md5_.reset();
    return;
  }
  const std::uint64_t seen = hashed_ - at;  // the start of a part read again was hashed already
  if (seen >= size) return;
  md5_->update(data + seen, size - static_cast<std::size_t>(seen));
  hashed_ += size - seen;
}

std::string ReadCheckingStore::md5_read() {
  std::lock_guard lock(mutex_);
  if (!md5_ || hashed_ != bytes_read_) return {};
  auto digest = md5_->finish();
  md5_.reset();
  return digest;
}

Status ReadCheckingStore::read(const std::string& key, transfer::ByteRange range, const transfer::ByteSink& sink) {
  std::uint64_t delivered = 0;
  auto status = inner_.read(key, range, [&](const char* data, std::size_t size) {
    hash_in_order(range.offset + delivered, data, size);
    delivered += size;
    return sink(data, size);
  });
  // 416 to a range inside the size the storage reported (a read resumed after a short answer):
  // the object ends before that size. Said as such, not as a bad request of ours.
  if (!status && status.error().http_status == 416)
    return make_error(ErrorKind::integrity,
                      fmt::format("reading {}: the object ends after {} of them, before the size the file storage "
                                  "reported for it",
                                  what_was_read(range, name_), delivered),
                      "nothing was imported into the destination table; run the table again");
  if (!status) return status;
  if (range.length > 0 && delivered != range.length)
    return make_error(ErrorKind::integrity,
                      fmt::format("reading {}: the file storage answered {} of the {} bytes asked for and reported no error",
                                  what_was_read(range, name_), delivered, range.length),
                      "nothing was imported into the destination table; run the table again");
  std::lock_guard lock(mutex_);
  if (ranges_read_.emplace(range.offset, delivered).second) bytes_read_ += delivered;
  return status;
}

std::uint64_t ReadCheckingStore::bytes_read() const {
  std::lock_guard lock(mutex_);
  return bytes_read_;
}

}  // namespace kbc::extract
