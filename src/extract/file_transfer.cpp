#include "kbc_storage_extract/extract/file_transfer.hpp"

#include <atomic>
#include <mutex>
#include <thread>

#include <spdlog/spdlog.h>

#include "kbc_storage_extract/extract/row_counter.hpp"
#include "kbc_storage_extract/transfer/copy.hpp"
#include "kbc_storage_extract/transfer/object_store.hpp"

namespace kbc::extract {

namespace {

struct Slice {
  std::string from_key;
  std::string to_key;
  std::uint64_t size = 0;
  std::optional<std::uint64_t> rows;  // counted while copying; nullopt when it could not count
};

std::string base_name(const std::string& key) {
  const auto slash = key.rfind('/');
  return slash == std::string::npos ? key : key.substr(slash + 1);
}

// Copy every slice, up to `parallel` at once; each worker opens its own stores so no store is
// shared between threads. The first failure stops the workers from starting new slices.
Status copy_slices(const storage_api::FileDetail& from, const transfer::FileAccess& to_access,
                   std::vector<Slice>& slices, const TransferOptions& options) {
  const int workers = std::max(1, std::min<int>(options.parallel, static_cast<int>(slices.size())));
  transfer::CopyOptions copy;
  copy.buffer_bytes = options.buffer_bytes;
  copy.parallel_parts = slices.size() == 1 ? std::max(1, options.parallel) : 1;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mutex;
  std::optional<Error> first_error;
  const auto work = [&] {
    auto source = transfer::open_object_store(from.access);
    auto target = source ? transfer::open_object_store(to_access) : Result<std::unique_ptr<transfer::ObjectStore>>(source.error());
    if (!source || !target) {
      std::lock_guard lock(mutex);
      if (!first_error) first_error = !source ? source.error() : target.error();
      failed = true;
      return;
    }
    for (std::size_t i = next++; i < slices.size() && !failed; i = next++) {
      spdlog::debug("copying slice {} of {} ({} bytes)", i + 1, slices.size(), slices[i].size);
      RowCountingStore counting(**source, slices[i].from_key);
      auto copied = transfer::copy_object(counting, slices[i].from_key, **target, slices[i].to_key, copy);
      if (copied) slices[i].rows = counting.rows();
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

Result<TransferredFile> transfer_file(const storage_api::FileDetail& from, storage_api::StorageClient& to,
                                      const std::string& name, const TransferOptions& options) {
  auto source = transfer::open_object_store(from.access);
  if (!source) return source.error();

  // The slices, in manifest order, and their sizes (prepare wants the total).
  std::vector<Slice> slices;
  if (from.is_sliced) {
    auto manifest = with_retries(RetryPolicy{}, "reading the export's manifest",
                                 [&] { return storage_api::read_manifest(**source, from.manifest_key()); });
    if (!manifest) return manifest.error();
    for (const auto& entry : *manifest) slices.push_back({entry.key, {}, 0, std::nullopt});
  } else {
    slices.push_back({from.key, {}, 0, std::nullopt});
  }
  std::uint64_t total = 0;
  for (auto& slice : slices) {
    auto size = with_retries(RetryPolicy{}, "reading an exported slice's size", [&] { return (*source)->size(slice.from_key); });
    if (!size) {
      size.error().message = fmt::format("reading the size of exported slice {}: {}", base_name(slice.from_key), size.error().message);
      return size.error();
    }
    slice.size = *size;
    total += *size;
  }

  auto prepared = to.prepare_file({name, total, true});
  if (!prepared) return prepared.error();
  std::vector<std::string> keys;
  for (auto& slice : slices) {
    slice.to_key = prepared->key + base_name(slice.from_key);
    keys.push_back(slice.to_key);
  }
  spdlog::info("copying {} ({} slice{}, {} bytes) into destination file {}", name, slices.size(),
               slices.size() == 1 ? "" : "s", total, prepared->id);
  if (auto copied = copy_slices(from, prepared->access, slices, options); !copied) return copied.error();

  // The manifest last: until it exists the destination file is incomplete and unusable.
  auto target = transfer::open_object_store(prepared->access);
  if (!target) return target.error();
  const auto manifest = storage_api::make_manifest(prepared->access, keys);
  auto put = with_retries(RetryPolicy{}, "uploading the manifest", [&] { return (*target)->put_small(prepared->manifest_key(), manifest); });
  if (!put) {
    put.error().message = "uploading the manifest of " + name + ": " + put.error().message;
    return put.error();
  }
  TransferredFile transferred{prepared->id, total, slices.size(), std::uint64_t{0}};
  for (const auto& slice : slices) {
    if (!slice.rows || !transferred.rows) transferred.rows.reset();
    else *transferred.rows += *slice.rows;
  }
  return transferred;
}

Result<std::int64_t> upload_header_file(storage_api::StorageClient& to, const std::string& name,
                                        const std::vector<std::string>& columns) {
  const std::string header = csv_header(columns);
  auto prepared = to.prepare_file({name, header.size(), false});
  if (!prepared) return prepared.error();
  auto store = transfer::open_object_store(prepared->access);
  if (!store) return store.error();
  auto put = with_retries(RetryPolicy{}, "uploading the header file", [&] { return (*store)->put_small(prepared->key, header); });
  if (!put) {
    put.error().message = "uploading the header file " + name + ": " + put.error().message;
    return put.error();
  }
  return prepared->id;
}

}  // namespace kbc::extract
