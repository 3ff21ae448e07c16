// Object stores retry each request themselves (transfer::ObjectStoreOptions::retry) and
// copy_object retries each part: nothing here wraps them in retries again.
#include "kbc_storage_extract/extract/file_transfer.hpp"

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include <spdlog/spdlog.h>

#include "kbc_storage_extract/extract/integrity.hpp"
#include "kbc_storage_extract/extract/row_counter.hpp"
#include "kbc_storage_extract/transfer/copy.hpp"
#include "kbc_storage_extract/transfer/object_store.hpp"

namespace kbc::extract {

namespace {

struct Slice {
  std::string from_key;
  std::string to_key;
  StoredSlice stored;                 // its size in file storage and what was promised
  std::optional<std::uint64_t> rows;  // counted while copying; nullopt when it could not count
  bool checksum_verified = false;     // its MD5 was the provider's
};

// Turns the slices' running totals (from any worker thread) into deltas for the table's
// progress: a part retried from its start reports smaller totals again, counted only once.
class Progress {
 public:
  explicit Progress(const progress::TableProgress* table) : table_(table) {}
  // `slice_done` is one slice's running total; `slice_seen` remembers the largest seen.
  void update(std::atomic<std::uint64_t>& slice_seen, std::uint64_t slice_done) const {
    std::uint64_t seen = slice_seen.load();
    while (slice_done > seen && !slice_seen.compare_exchange_weak(seen, slice_done)) {
    }
    if (slice_done <= seen || !table_) return;
    table_->moved(slice_done - seen);
  }

 private:
  const progress::TableProgress* table_;
};

// One side of the copy: its file's latest credentials and how to renew them. Every store
// opened for the side starts from the latest ones, so a renewal by one is not repeated by the
// stores opened after it.
class Side {
 public:
  Side(transfer::FileAccess access, transfer::RefreshAccess renew) : latest_(std::move(access)), renew_(std::move(renew)) {}

  // Every store of the run retries and times out its requests as --retries and --min-speed say.
  Result<std::unique_ptr<transfer::ObjectStore>> open(const TransferOptions& transfer) {
    transfer::ObjectStoreOptions options;
    options.retry = transfer.retry;
    options.limits = transfer.limits;
    options.part_size = transfer.part_size;
    options.refresh_access = [this]() -> Result<transfer::FileAccess> {
      auto fresh = renew_();
      if (fresh) {
        std::lock_guard lock(mutex_);
        latest_ = *fresh;
      }
      return fresh;
    };
    std::lock_guard lock(mutex_);
    return transfer::open_object_store(latest_, options);
  }

 private:
  std::mutex mutex_;
  transfer::FileAccess latest_;
  transfer::RefreshAccess renew_;
};

// The source file's credentials come again with its detail; the destination's from refresh.
Side source_side(const storage_api::FileDetail& file, storage_api::StorageClient& project) {
  return Side(file.access, [&project, id = file.id]() -> Result<transfer::FileAccess> {
    auto detail = project.get_file(id);
    if (!detail) return detail.error();
    return detail->access;
  });
}

Side destination_side(const storage_api::PreparedFile& file, storage_api::StorageClient& project) {
  return Side(file.access, [&project, id = file.id]() -> Result<transfer::FileAccess> {
    auto prepared = project.refresh_file(id);
    if (!prepared) return prepared.error();
    return prepared->access;
  });
}

struct Stores {
  Side& from;
  Side& to;
};

// Copy every slice, up to `parallel` at once; each worker opens its own stores so no store is
// shared between threads. The first failure stops the workers from starting new slices.
Status copy_slices(const storage_api::FileDetail& file, const Stores& stores, std::vector<Slice>& slices,
                   const TransferOptions& options, const Progress& progress) {
  const int workers = std::max(1, std::min<int>(options.parallel, static_cast<int>(slices.size())));
  transfer::CopyOptions copy;
  copy.buffer_bytes = options.buffer_bytes;
  copy.retry = options.retry;
  copy.parallel_parts = slices.size() == 1 ? std::max(1, options.parallel) : 1;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mutex;
  std::optional<Error> first_error;
  const auto work = [&] {
    auto source = stores.from.open(options);
    auto target = source ? stores.to.open(options) : Result<std::unique_ptr<transfer::ObjectStore>>(source.error());
    if (!source || !target) {
      std::lock_guard lock(mutex);
      if (!first_error) first_error = !source ? source.error() : target.error();
      failed = true;
      return;
    }
    for (std::size_t i = next++; i < slices.size() && !failed; i = next++) {
      spdlog::debug("copying slice {} of {} ({} bytes)", i + 1, slices.size(), slices[i].stored.stored);
      std::atomic<std::uint64_t> slice_seen{0};
      transfer::CopyOptions slice_copy = copy;
      slice_copy.on_progress = [&](std::uint64_t done) { progress.update(slice_seen, done); };
      slice_copy.size = slices[i].stored.stored;  // known already: copy_object asks no HEAD again
      Result<transfer::CopyStats> copied = transfer::CopyStats{};
      ReadCheckingStore checked(**source, slices[i].stored.name, !slices[i].stored.md5.empty());
      if (options.count_rows) {
        RowCountingStore counting(checked, slices[i].from_key);
        copied = transfer::copy_object(counting, slices[i].from_key, **target, slices[i].to_key, slice_copy);
        if (copied) slices[i].rows = counting.rows();
      } else {
        copied = transfer::copy_object(checked, slices[i].from_key, **target, slices[i].to_key, slice_copy);
      }
      // The upload was committed, but the file's manifest (written last) is not: a short read
      // still leaves the destination file unusable and nothing is imported.
      if (copied) {
        if (auto whole = check_bytes_read(file, slices[i].stored, checked.bytes_read()); !whole) {
          copied = whole.error();
        } else if (auto same = check_checksum(file, slices[i].stored, checked.md5_read()); !same) {
          copied = same.error();
        } else {
          slices[i].checksum_verified = *same;
        }
      }
      if (!copied) {
        std::lock_guard lock(mutex);
        if (!first_error) {
          first_error = copied.error();
          first_error->message = fmt::format("copying slice {} of {}: {}", i + 1, slices.size(), first_error->message);
        }
        failed = true;
      }
    }
  };
  std::vector<std::thread> threads;
  for (int i = 1; i < workers; ++i) threads.emplace_back(work);
  work();
  for (auto& thread : threads) thread.join();
  if (first_error) return *first_error;
  return {};
}

}  // namespace

std::string csv_header(const std::vector<std::string>& columns) {
  std::string header;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i) header += ',';
    header += '"';
    for (char c : columns[i]) header += c == '"' ? std::string("\"\"") : std::string(1, c);
    header += '"';
  }
  return header + "\n";
}

Result<TransferredFile> transfer_file(const storage_api::FileDetail& from, storage_api::StorageClient& from_project,
                                      storage_api::StorageClient& to, const std::string& name, const TransferOptions& options) {
  Side from_side = source_side(from, from_project);
  auto source = from_side.open(options);
  if (!source) return source.error();

  // The slices, in manifest order, each with the size the manifest promises (if it does).
  std::vector<Slice> slices;
  if (from.is_sliced) {
    auto manifest = storage_api::read_manifest(**source, from.key);
    if (!manifest) return manifest.error();
    for (const auto& entry : *manifest)
      slices.push_back({entry.key, {}, {entry.url, entry.key.substr(from.key.size()), entry.content_length, 0, {}}, std::nullopt});
  } else {
    slices.push_back(
        {from.key, {}, {(*source)->url_of(from.key), destination_key(from, from.key, ""), std::nullopt, 0, {}}, std::nullopt});
  }
  // Every object's size as the file storage reports it (one HEAD each, also for a file that is
  // not sliced: sizeBytes is what is promised, not what is there), checked against the
  // promises before the destination is touched: a short or empty object fails here.
  std::uint64_t total = 0;
  for (auto& slice : slices) {
    auto facts = (*source)->facts(slice.from_key);
    if (!facts) {
      facts.error().message = fmt::format("reading the size of exported slice {}: {}", slice.stored.name, facts.error().message);
      return facts.error();
    }
    slice.stored.stored = facts->size;
    slice.stored.md5 = std::move(facts->md5);
    total += slice.stored.stored;
  }
  {
    std::vector<StoredSlice> stored;
    for (const auto& slice : slices) stored.push_back(slice.stored);
    if (auto promised = check_stored_sizes(from, stored); !promised) return promised.error();
  }

  auto prepared = to.prepare_file({name, total, true});
  if (!prepared) return prepared.error();
  std::vector<std::string> keys;
  for (auto& slice : slices) {
    slice.to_key = destination_key(from, slice.from_key, prepared->key);
    keys.push_back(slice.to_key);
  }
  spdlog::info("copying {} ({} slice{}, {} bytes) into destination file {}", name, slices.size(),
               slices.size() == 1 ? "" : "s", total, prepared->id);
  if (options.progress) options.progress->file(from.id, total);
  const Progress progress(options.progress);
  Side to_side = destination_side(*prepared, to);
  if (auto copied = copy_slices(from, Stores{from_side, to_side}, slices, options, progress); !copied) return copied.error();

  // The manifest last: until it exists the destination file is incomplete and unusable.
  auto target = to_side.open(options);
  if (!target) return target.error();
  const auto manifest = storage_api::make_manifest(**target, keys);
  auto put = (*target)->put_small(prepared->manifest_key(), manifest);
  if (!put) {
    put.error().message = "uploading the manifest of " + name + ": " + put.error().message;
    return put.error();
  }
  TransferredFile transferred{prepared->id, total, slices.size(), std::nullopt, 0};
  if (options.count_rows) transferred.rows = 0;
  for (const auto& slice : slices) {
    if (!slice.rows || !transferred.rows) transferred.rows.reset();
    else *transferred.rows += *slice.rows;
    if (slice.checksum_verified) ++transferred.checksums_verified;
  }
  spdlog::debug("{}: MD5 of {} of {} slices compared with the source's file storage", name, transferred.checksums_verified,
                slices.size());
  return transferred;
}

Result<std::int64_t> upload_header_file(storage_api::StorageClient& to, const std::string& name,
                                        const std::vector<std::string>& columns) {
  const std::string header = csv_header(columns);
  auto prepared = to.prepare_file({name, header.size(), false});
  if (!prepared) return prepared.error();
  auto store = transfer::open_object_store(prepared->access);
  if (!store) return store.error();
  auto put = (*store)->put_small(prepared->key, header);
  if (!put) {
    put.error().message = "uploading the header file " + name + ": " + put.error().message;
    return put.error();
  }
  return prepared->id;
}

}  // namespace kbc::extract
