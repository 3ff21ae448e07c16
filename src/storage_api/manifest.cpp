// Sliced files' manifests: {"entries":[{"url":"s3://bucket/prefix+slice"},...]}.
#include <nlohmann/json.hpp>

#include "kbc_storage_extract/storage_api/client.hpp"

namespace kbc::storage_api {

namespace {

constexpr std::size_t max_manifest_bytes = 16 << 20;  // ~100k slices; anything bigger is not a manifest

// The object key of an entry URL: s3://bucket/key, gs://bucket/key,
// azure://account.blob.core.windows.net/container/key.
std::optional<std::string> key_of(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  const std::string_view scheme = url.substr(0, scheme_end);
  std::string_view rest = url.substr(scheme_end + 3);
  const int segments_before_key = scheme == "azure" ? 2 : 1;  // host + container, or bucket
  if (scheme != "s3" && scheme != "gs" && scheme != "azure") return std::nullopt;
  for (int i = 0; i < segments_before_key; ++i) {
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    rest.remove_prefix(slash + 1);
  }
  if (rest.empty()) return std::nullopt;
  return std::string(rest);
}

}  // namespace

Result<std::vector<SliceRef>> parse_manifest(std::string_view json_text) {
  const auto body = nlohmann::json::parse(json_text, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("entries") || !body["entries"].is_array())
    return make_error(ErrorKind::protocol, "the sliced file's manifest is not {\"entries\":[...]}");
  std::vector<SliceRef> slices;
  for (const auto& entry : body["entries"]) {
    if (!entry.is_object() || !entry.contains("url") || !entry["url"].is_string())
      return make_error(ErrorKind::protocol, "a manifest entry has no \"url\"");
    const auto url = entry["url"].get<std::string>();
    auto key = key_of(url);
    if (!key) return make_error(ErrorKind::protocol, fmt::format("manifest entry \"{}\" is not an s3://, gs:// or azure:// URL", url));
    slices.push_back({url, std::move(*key)});
  }
  return slices;
}

Result<std::vector<SliceRef>> read_manifest(transfer::ObjectStore& store, const std::string& manifest_key) {
  std::string text;
  auto status = store.read(manifest_key, {}, [&](const char* data, std::size_t size) {
    if (text.size() + size > max_manifest_bytes) return false;
    text.append(data, size);
    return true;
  });
  if (!status) {
    Error error = status.error();
    if (text.size() >= max_manifest_bytes) error = make_error(ErrorKind::protocol, "the sliced file's manifest is larger than 16 MiB");
    error.message = fmt::format("reading the manifest {}: {}", manifest_key, error.message);
    return error;
  }
  return parse_manifest(text);
}

std::string make_manifest(const transfer::FileAccess& access, const std::vector<std::string>& keys) {
  std::string prefix;
  if (const auto* aws = std::get_if<transfer::AwsAccess>(&access)) prefix = "s3://" + aws->bucket + "/";
  else if (const auto* gcs = std::get_if<transfer::GcsAccess>(&access)) prefix = "gs://" + gcs->bucket + "/";
  else if (const auto* azure = std::get_if<transfer::AzureAccess>(&access))
    prefix = "azure://" + azure->account + ".blob.core.windows.net/" + azure->container + "/";
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& key : keys) entries.push_back({{"url", prefix + key}});
  return nlohmann::json{{"entries", entries}}.dump();
}

}  // namespace kbc::storage_api
