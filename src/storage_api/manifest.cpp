// Sliced files' manifests: {"entries":[{"url":"<provider URL of a slice>"},...]}. Which URL
// names which object is the file storage backend's business (ObjectStore::url_of / key_of),
// so nothing here knows a provider.
#include <set>

#include <nlohmann/json.hpp>

#include "kbc_storage_extract/storage_api/client.hpp"

namespace kbc::storage_api {

namespace {

constexpr std::size_t max_manifest_bytes = 16 << 20;  // ~100k slices; anything bigger is not a manifest

}  // namespace

Result<std::vector<ManifestEntry>> parse_manifest(std::string_view json_text) {
  const auto body = nlohmann::json::parse(json_text, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("entries") || !body["entries"].is_array())
    return make_error(ErrorKind::protocol, "the sliced file's manifest is not {\"entries\":[...]}");
  std::vector<ManifestEntry> entries;
  for (const auto& entry : body["entries"]) {
    if (!entry.is_object() || !entry.contains("url") || !entry["url"].is_string())
      return make_error(ErrorKind::protocol, "a manifest entry has no \"url\"");
    ManifestEntry parsed{entry["url"].get<std::string>(), std::nullopt};
    // meta.content_length (Redshift's verbose form) is a promise about the slice's size: one
    // that is there but not a byte count is refused rather than ignored.
    if (const auto meta = entry.find("meta"); meta != entry.end() && meta->is_object() && meta->contains("content_length")) {
      const auto& length = (*meta)["content_length"];
      if (!length.is_number_unsigned() && !(length.is_number_integer() && length.get<std::int64_t>() >= 0))
        return make_error(ErrorKind::protocol,
                          fmt::format("manifest entry \"{}\" has a meta.content_length that is not a byte count: {}", parsed.url,
                                      length.dump()));
      parsed.content_length = length.get<std::uint64_t>();
    }
    entries.push_back(std::move(parsed));
  }
  return entries;
}

Result<std::vector<SliceRef>> slices_of_manifest(const transfer::ObjectStore& store, const std::string& prefix,
                                                 const std::vector<ManifestEntry>& entries) {
  std::vector<SliceRef> slices;
  std::set<std::string> seen;
  for (const auto& entry : entries) {
    const auto& url = entry.url;
    auto key = store.key_of(url);
    // A manifest may only name slices of its own file: never another bucket, file or project.
    if (!key || !key->starts_with(prefix) || key->size() == prefix.size())
      return make_error(ErrorKind::integrity,
                        fmt::format("manifest entry \"{}\" is not a slice of this file (expected {}…)", url, store.url_of(prefix)),
                        "the Storage API answered a manifest that names objects outside the exported file; nothing was copied");
    // Two entries for one object would copy it twice (and collide at the destination).
    if (!seen.insert(*key).second)
      return make_error(ErrorKind::integrity, fmt::format("manifest entry \"{}\" is listed twice", url),
                        "the Storage API answered a manifest that repeats a slice; nothing was copied");
    slices.push_back({url, std::move(*key), entry.content_length});
  }
  return slices;
}

Result<std::vector<SliceRef>> read_manifest(transfer::ObjectStore& store, const std::string& prefix) {
  const std::string manifest_key = prefix + "manifest";
  std::string text;
  auto status = store.read(manifest_key, {}, [&](const char* data, std::size_t size) {
    if (text.size() + size > max_manifest_bytes) return false;
    text.append(data, size);
    return true;
  });
  if (!status) {
    Error error = status.error();
    if (text.size() >= max_manifest_bytes) error = make_error(ErrorKind::protocol, "the sliced file's manifest is larger than 16 MiB");
    error.message = fmt::format("reading the manifest {}: {}", store.url_of(manifest_key), error.message);
    return error;
  }
  auto entries = parse_manifest(text);
  if (!entries) return entries.error();
  return slices_of_manifest(store, prefix, *entries);
}

std::string make_manifest(const transfer::ObjectStore& store, const std::vector<std::string>& keys) {
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& key : keys) entries.push_back({{"url", store.url_of(key)}});
  return nlohmann::json{{"entries", entries}}.dump();
}

}  // namespace kbc::storage_api
