// ListObjectsV2 (list-type=2) and the original ListObjects, with prefix, delimiter,
// max-keys, continuation and encoding-type=url, answered in S3's XML.
#include <algorithm>
#include <cctype>

#include "s3/crypto.hpp"
#include "s3/handlers.hpp"
#include "s3/sigv4.hpp"

namespace kbc::emulator::s3 {

namespace {

constexpr int max_keys_limit = 1000;

struct Listing {
  std::vector<ObjectInfo> contents;
  std::vector<std::string> keys;  // parallel to contents
  std::vector<std::string> common_prefixes;
  bool truncated = false;
  std::string last;  // last key or common prefix returned: where the next page starts
};

Listing collect(const StoreState& state, const std::string& bucket, const std::string& prefix,
                const std::string& delimiter, const std::string& start_after, int max_keys) {
  Listing listing;
  int count = 0;
  for (const auto& key : state.objects.keys(bucket, prefix)) {
    if (!start_after.empty() && key <= start_after) continue;
    std::string entry = key;
    bool is_prefix = false;
    if (!delimiter.empty()) {
      auto at = key.find(delimiter, prefix.size());
      if (at != std::string::npos) {
        entry = key.substr(0, at + delimiter.size());
        is_prefix = true;
        // Keys under a common prefix already returned (on this page or an earlier one).
        if (entry == start_after || (!listing.common_prefixes.empty() && listing.common_prefixes.back() == entry)) {
          continue;
        }
      }
    }
    if (count == max_keys) {
      listing.truncated = true;
      break;
    }
    if (is_prefix) {
      listing.common_prefixes.push_back(entry);
    } else {
      auto info = state.objects.stat(bucket, key);
      if (!info) continue;  // deleted meanwhile
      listing.contents.push_back(std::move(*info));
      listing.keys.push_back(key);
    }
    listing.last = entry;
    ++count;
  }
  return listing;
}

std::string element(const std::string& name, const std::string& value) {
  return "<" + name + ">" + xml_escape(value) + "</" + name + ">";
}

// Continuation tokens are opaque to clients; ours is the hex of the last entry returned.
std::optional<std::string> decode_token(const std::string& token) {
  if (token.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < token.size(); i += 2) {
    if (!std::isxdigit(static_cast<unsigned char>(token[i])) || !std::isxdigit(static_cast<unsigned char>(token[i + 1]))) {
      return std::nullopt;
    }
    out.push_back(static_cast<char>(std::stoi(token.substr(i, 2), nullptr, 16)));
  }
  return out;
}

}  // namespace

void list_objects(StoreState& state, S3Request& r) {
  const bool v2 = r.param("list-type") == "2";
  const auto prefix = r.param("prefix");
  const auto delimiter = r.param("delimiter");
  const auto encoding = r.param("encoding-type");
  if (!encoding.empty() && encoding != "url") return r.send_error(errors::invalid_argument("Invalid Encoding Method specified in Request"));
  if (!r.principal->credential.allows_listing(r.bucket, prefix)) return r.send_error(errors::access_denied());

  int max_keys = max_keys_limit;
  if (r.has_param("max-keys")) {
    const auto text = r.param("max-keys");
    if (text.empty() || text.size() > 9 || !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
      return r.send_error(errors::invalid_argument("Provided max-keys not an integer or within integer range"));
    }
    max_keys = std::min(std::stoi(text), max_keys_limit);
  }

  std::string start;
  const auto token = r.param("continuation-token");
  if (v2 && r.has_param("continuation-token")) {
    auto decoded = decode_token(token);
    if (!decoded || token.empty()) return r.send_error(errors::invalid_argument("The continuation token provided is incorrect"));
    start = *decoded;
  } else if (v2) {
    start = r.param("start-after");
  } else {
    start = r.param("marker");
  }

  auto listing = collect(state, r.bucket, prefix, delimiter, start, max_keys);
  auto encode = [&](const std::string& value) { return encoding == "url" ? sigv4::uri_encode(value, false) : value; };

  std::string xml = "<ListBucketResult xmlns=\"" + std::string(s3_xmlns) + "\">";
  xml += element("Name", r.bucket) + element("Prefix", encode(prefix));
  if (v2) {
    if (r.has_param("start-after")) xml += element("StartAfter", encode(r.param("start-after")));
    if (r.has_param("continuation-token")) xml += element("ContinuationToken", token);
    xml += element("KeyCount", std::to_string(listing.contents.size() + listing.common_prefixes.size()));
  } else {
    xml += element("Marker", encode(r.param("marker")));
  }
  xml += element("MaxKeys", std::to_string(max_keys));
  if (!delimiter.empty()) xml += element("Delimiter", encode(delimiter));
  if (!encoding.empty()) xml += element("EncodingType", encoding);
  xml += element("IsTruncated", listing.truncated ? "true" : "false");
  if (listing.truncated) {
    xml += v2 ? element("NextContinuationToken", hex(listing.last))
              : (!delimiter.empty() ? element("NextMarker", encode(listing.last)) : "");
  }
  for (std::size_t i = 0; i < listing.contents.size(); ++i) {
    const auto& info = listing.contents[i];
    xml += "<Contents>" + element("Key", encode(listing.keys[i])) + element("LastModified", iso8601(info.last_modified)) +
           element("ETag", info.meta.etag) + element("Size", std::to_string(info.size)) +
           element("StorageClass", "STANDARD") + "</Contents>";
  }
  for (const auto& common : listing.common_prefixes) {
    xml += "<CommonPrefixes>" + element("Prefix", encode(common)) + "</CommonPrefixes>";
  }
  xml += "</ListBucketResult>";
  r.send_xml(200, xml);
}

}  // namespace kbc::emulator::s3
