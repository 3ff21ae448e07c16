// Object metadata, media download (Range), delete and list on the GCS JSON API.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include "gcs/gcs_internal.hpp"
#include "s3/byte_range.hpp"

namespace kbc::emulator::gcs {

using nlohmann::json;

namespace {

constexpr std::size_t read_chunk_size = 1 << 20;

struct OpenFile {
  int fd = -1;
  std::vector<char> buffer;
  ~OpenFile() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

void stream_object(State&, Request& r, const ObjectDescription& object) {
  auto& res = r.response;
  const auto size = object.info.size;
  auto range = s3::parse_range(r.header("Range"), size);
  if (range.kind == s3::RangeRequest::Kind::unsatisfiable) {
    res.set_header("Content-Range", "bytes */" + std::to_string(size));
    return send_error(res, GcsError{416, "requestedRangeNotSatisfiable", "Request range not satisfiable", "", ""});
  }
  res.set_header("x-goog-hash", "crc32c=" + object.crc32c + ",md5=" + object.md5);
  res.set_header("x-goog-generation", std::to_string(object.generation));
  res.set_header("x-goog-metageneration", "1");
  res.set_header("x-goog-stored-content-encoding", object.content_encoding.empty() ? "identity" : object.content_encoding);
  res.set_header("x-goog-stored-content-length", std::to_string(size));
  res.set_header("x-goog-storage-class", "STANDARD");
  res.set_header("ETag", "\"" + object.md5 + "\"");
  res.set_header("Last-Modified", s3::http_date(object.info.last_modified));
  res.set_header("Accept-Ranges", "bytes");
  if (!object.content_encoding.empty()) res.set_header("Content-Encoding", object.content_encoding);
  for (const auto& [name, value] : object.metadata) res.set_header("x-goog-meta-" + name, value);

  std::uint64_t first = 0;
  std::uint64_t length = size;
  res.status = 200;
  if (range.kind == s3::RangeRequest::Kind::range) {
    first = range.range.first;
    length = range.range.length();
    res.status = 206;
    res.set_header("Content-Range", "bytes " + std::to_string(range.range.first) + "-" +
                                        std::to_string(range.range.last) + "/" + std::to_string(size));
  }
  if (length == 0) {
    res.set_header("Content-Type", object.content_type);
    res.set_header("Content-Length", "0");
    return;
  }
  if (r.http.method == "HEAD") {
    res.set_content_provider(length, object.content_type, [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
    return;
  }
  auto file = std::make_shared<OpenFile>();
  file->fd = ::open(object.info.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file->fd < 0) return send_error(res, no_such_object("", ""));
  ::posix_fadvise(file->fd, static_cast<off_t>(first), static_cast<off_t>(length), POSIX_FADV_SEQUENTIAL);
  file->buffer.resize(static_cast<std::size_t>(std::min<std::uint64_t>(read_chunk_size, length)));
  const std::uint64_t limit = r.truncate_after ? std::min(*r.truncate_after, length) : length;
  res.set_content_provider(length, object.content_type,
                           [file, first, limit](std::size_t offset, std::size_t want, httplib::DataSink& sink) {
                             if (offset >= limit) return false;
                             auto n_want = static_cast<std::size_t>(
                                 std::min<std::uint64_t>({want, file->buffer.size(), limit - offset}));
                             auto n = ::pread(file->fd, file->buffer.data(), n_want, static_cast<off_t>(first + offset));
                             if (n <= 0) return false;
                             return sink.write(file->buffer.data(), static_cast<std::size_t>(n));
                           });
}

void get_object(State& state, Request& r, const std::string& bucket, const std::string& key, bool media) {
  auto object = state.describe(bucket, key);
  if (!object) return send_error(r.response, no_such_object(bucket, key));
  if (media) return stream_object(state, r, *object);
  send_json(r.response, 200, state.resource(*object, bucket, key));
}

void delete_object(State& state, Request& r, const std::string& bucket, const std::string& key) {
  bool removed = false;
  try {
    removed = state.objects.remove(bucket, key);
  } catch (const std::invalid_argument&) {
    removed = false;
  }
  if (!removed) return send_error(r.response, no_such_object(bucket, key));
  r.response.status = 204;
}

void list_objects(State& state, Request& r, const std::string& bucket, const IssuedToken& token) {
  auto prefix = r.param("prefix");
  if (bucket != token.bucket || prefix.compare(0, token.key_prefix.size(), token.key_prefix) != 0) {
    return send_error(r.response, forbidden("storage.objects.list", bucket, ""));
  }
  auto delimiter = r.param("delimiter");
  std::size_t max_results = 1000;
  if (auto text = r.param("maxResults"); !text.empty()) {
    max_results = std::clamp<std::size_t>(std::strtoull(text.c_str(), nullptr, 10), 1, 1000);
  }
  // The page token is the last name of the previous page (opaque to clients).
  auto after = r.param("pageToken");
  json items = json::array();
  json prefixes = json::array();
  std::string last_prefix;
  std::string last_name;
  bool more = false;
  std::size_t count = 0;
  for (const auto& key : state.objects.keys(bucket, prefix)) {
    if (!after.empty() && key <= after) continue;
    if (count >= max_results) {
      more = true;
      break;
    }
    if (!delimiter.empty()) {
      auto at = key.find(delimiter, prefix.size());
      if (at != std::string::npos) {
        auto common = key.substr(0, at + delimiter.size());
        if (common != last_prefix) {
          prefixes.push_back(common);
          last_prefix = common;
          ++count;
        }
        last_name = key;
        continue;
      }
    }
    auto object = state.describe(bucket, key);
    if (!object) continue;
    items.push_back(state.resource(*object, bucket, key));
    last_name = key;
    ++count;
  }
  json out = {{"kind", "storage#objects"}};
  if (!items.empty()) out["items"] = items;
  if (!prefixes.empty()) out["prefixes"] = prefixes;
  if (more) out["nextPageToken"] = last_name;
  send_json(r.response, 200, out);
}

}  // namespace kbc::emulator::gcs
