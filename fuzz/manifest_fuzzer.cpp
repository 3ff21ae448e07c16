// A sliced file's manifest, as read_manifest reads it from the file storage: the bytes are the
// manifest object, streamed in small chunks. The promise: the slices of this file (distinct
// keys under its prefix, in order), or ErrorKind::protocol (not a manifest) or ::integrity (a
// manifest naming objects outside the file, or one twice); and what make_manifest writes
// for those slices reads back as the same slices.
#include <algorithm>

#include "fuzz_check.hpp"
#include "kbc_storage_extract/storage_api/client.hpp"

namespace {

using kbc::fuzz::check;
namespace sapi = kbc::storage_api;

constexpr std::string_view kBucketUrl = "s3://kbc-files/";
const std::string kPrefix = "exp-2/77/orders.csv.gz";  // a sliced file's key prefix

// A store holding one object, the manifest, and naming objects as the S3 backend does
// (s3_store.cpp: "s3://<bucket>/<key>"), so no network or credentials are involved.
class ManifestStore final : public kbc::transfer::ObjectStore {
 public:
  explicit ManifestStore(std::string_view manifest) : manifest_(manifest) {}

  kbc::Result<std::uint64_t> size(const std::string&) override { return manifest_.size(); }
  kbc::Status read(const std::string& key, kbc::ByteRange, const kbc::ByteSink& sink) override {
    check(key == kPrefix + "manifest", "the manifest is read from <prefix>manifest");
    // Chunks of 7 bytes: read_manifest must join them (and stop at its size cap) itself.
    for (std::size_t at = 0; at < manifest_.size(); at += 7)
      if (!sink(manifest_.data() + at, std::min<std::size_t>(7, manifest_.size() - at)))
        return kbc::make_error(kbc::ErrorKind::protocol, "the reader stopped");
    return {};
  }
  kbc::Result<std::unique_ptr<kbc::transfer::ObjectUpload>> begin_upload(const std::string&, std::uint64_t) override {
    return kbc::make_error(kbc::ErrorKind::internal, "not used");
  }
  kbc::Status put_small(const std::string&, std::string_view) override { return kbc::make_error(kbc::ErrorKind::internal, "not used"); }
  std::string url_of(const std::string& key) const override { return std::string(kBucketUrl) + key; }
  std::optional<std::string> key_of(std::string_view url) const override {
    if (!url.starts_with(kBucketUrl) || url.size() == kBucketUrl.size()) return std::nullopt;
    return std::string(url.substr(kBucketUrl.size()));
  }

 private:
  std::string_view manifest_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ManifestStore store(kbc::fuzz::text_of(data, size));
  const auto slices = sapi::read_manifest(store, kPrefix);
  if (!slices) {
    const auto kind = slices.error().kind;
    check(kind == kbc::ErrorKind::protocol || kind == kbc::ErrorKind::integrity,
          "a bad manifest is a protocol or integrity error");
    return 0;
  }
  std::vector<std::string> keys;
  for (const auto& slice : *slices) {
    check(slice.key.starts_with(kPrefix) && slice.key.size() > kPrefix.size(), "a slice lies under the file's prefix");
    check(std::find(keys.begin(), keys.end(), slice.key) == keys.end(), "no slice is listed twice");
    keys.push_back(slice.key);
  }
  const std::string text = sapi::make_manifest(store, keys);
  ManifestStore again(text);
  const auto reread = sapi::read_manifest(again, kPrefix);
  check(reread.ok() && reread->size() == keys.size(), "a written manifest reads back");
  for (std::size_t i = 0; i < keys.size(); ++i) check((*reread)[i].key == keys[i], "in the same order");
  return 0;
}
