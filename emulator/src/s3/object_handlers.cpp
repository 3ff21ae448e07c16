// PutObject, GetObject / HeadObject, DeleteObject.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <vector>

#include "s3/byte_range.hpp"
#include "s3/crypto.hpp"
#include "s3/handlers.hpp"

namespace kbc::emulator::s3 {

namespace {

constexpr std::size_t read_chunk_size = 1 << 20;  // large reads: the emulator must not limit throughput

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string unquoted(std::string etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
  return etag;
}

// If-Match / If-None-Match against an ETag list ("*" matches anything).
bool etag_matches(const std::string& header, const std::string& etag) {
  std::size_t start = 0;
  while (start <= header.size()) {
    auto end = std::min(header.find(',', start), header.size());
    auto item = header.substr(start, end - start);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (item.rfind("W/", 0) == 0) item = item.substr(2);
    if (item == "*" || unquoted(item) == unquoted(etag)) return true;
    start = end + 1;
  }
  return false;
}

// An open object file shared by the content provider's calls; closed when httplib is done.
struct OpenFile {
  int fd = -1;
  std::vector<char> buffer;
  ~OpenFile() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

ObjectMeta object_meta_from_headers(const S3Request& r) {
  ObjectMeta meta;
  meta.content_type = r.header("Content-Type");
  if (meta.content_type.empty()) meta.content_type = "binary/octet-stream";
  for (const auto& [name, value] : r.http.headers) {
    auto lname = lower(name);
    if (lname.rfind("x-amz-meta-", 0) == 0 || lname == "x-amz-server-side-encryption" ||
        lname == "content-disposition" || lname == "cache-control" || lname == "content-language" ||
        lname == "expires") {
      meta.headers[lname] = value;
    }
    if (lname == "content-encoding") {
      // aws-chunked only frames this request; S3 does not keep it.
      std::string kept;
      std::size_t start = 0;
      while (start <= value.size()) {
        auto end = std::min(value.find(',', start), value.size());
        auto item = value.substr(start, end - start);
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (!item.empty() && lower(item) != "aws-chunked") kept += (kept.empty() ? "" : ",") + item;
        start = end + 1;
      }
      if (!kept.empty()) meta.headers["content-encoding"] = kept;
    }
  }
  return meta;
}

UploadExpectations upload_expectations(const S3Request& r) {
  UploadExpectations expect;
  expect.payload_hash = r.principal->payload_hash;
  if (expect.payload_hash.rfind("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", 0) == 0) {
    expect.chunk_signing = AwsChunkedDecoder::ChunkSigning{r.principal->signing_key, r.principal->amz_date,
                                                           r.principal->scope, r.principal->signature};
  }
  if (auto decoded = r.header("X-Amz-Decoded-Content-Length"); !decoded.empty()) {
    expect.decoded_length = std::strtoull(decoded.c_str(), nullptr, 10);
  }
  if (r.http.has_header("Content-MD5")) expect.content_md5 = r.header("Content-MD5");
  for (const char* algorithm : {"crc32", "crc32c", "sha1", "sha256", "crc64nvme"}) {
    auto name = std::string("x-amz-checksum-") + algorithm;
    if (r.http.has_header(name)) {
      expect.checksum_algorithm = algorithm;
      expect.checksum_value = r.header(name);
    }
  }
  if (expect.checksum_algorithm.empty()) {
    auto trailer = lower(r.header("X-Amz-Trailer"));
    constexpr std::string_view prefix = "x-amz-checksum-";
    if (trailer.rfind(prefix, 0) == 0) expect.checksum_algorithm = trailer.substr(prefix.size());
  }
  return expect;
}

void put_object(StoreState& state, S3Request& r) {
  if (r.http.has_header("X-Amz-Copy-Source")) return r.send_error(errors::not_implemented("x-amz-copy-source"));
  auto temp = state.objects.temp_path();
  auto outcome = receive_upload(r.body_source(), upload_expectations(r), temp);
  if (auto* error = std::get_if<S3Error>(&outcome)) return r.send_error(*error);
  const auto& upload = std::get<ReceivedUpload>(outcome);

  auto meta = object_meta_from_headers(r);
  meta.etag = "\"" + hex(upload.md5) + "\"";
  if (!upload.checksum_algorithm.empty()) meta.checksums[upload.checksum_algorithm] = upload.checksum_value;
  try {
    state.objects.commit(temp, r.bucket, r.key, meta);
  } catch (const std::exception& e) {
    std::error_code ec;
    std::filesystem::remove(temp, ec);
    return r.send_error(errors::internal_error(std::string("cannot store the object: ") + e.what()));
  }
  r.response.status = 200;
  r.response.set_header("ETag", meta.etag);
  if (!upload.checksum_algorithm.empty()) {
    r.response.set_header("x-amz-checksum-" + upload.checksum_algorithm, upload.checksum_value);
  }
  if (auto sse = meta.headers.find("x-amz-server-side-encryption"); sse != meta.headers.end()) {
    r.response.set_header("x-amz-server-side-encryption", sse->second);
  }
  r.response.set_header("Content-Length", "0");
}

void get_object(StoreState& state, S3Request& r) {
  auto info = state.objects.stat(r.bucket, r.key);
  if (!info) return r.send_error(errors::no_such_key(r.key));
  if (r.shrink_to) info->size = std::min(info->size, *r.shrink_to);
  const auto& etag = info->meta.etag;

  if (r.http.has_header("If-Match") && !etag_matches(r.header("If-Match"), etag)) {
    return r.send_error(errors::precondition_failed());
  }
  if (r.http.has_header("If-None-Match") && etag_matches(r.header("If-None-Match"), etag)) {
    r.response.status = 304;
    r.response.set_header("ETag", etag);
    return;
  }

  auto range = parse_range(r.header("Range"), info->size);
  if (range.kind == RangeRequest::Kind::unsatisfiable) {
    r.response.set_header("Content-Range", "bytes */" + std::to_string(info->size));
    return r.send_error(errors::invalid_range(info->size, r.header("Range")));
  }

  auto& res = r.response;
  res.set_header("ETag", etag);
  res.set_header("Last-Modified", http_date(info->last_modified));
  res.set_header("Accept-Ranges", "bytes");
  for (const auto& [name, value] : info->meta.headers) res.set_header(name, value);
  // Full-object checksums, for SDKs that validate downloads (x-amz-checksum-mode: ENABLED).
  if (range.kind == RangeRequest::Kind::whole && lower(r.header("X-Amz-Checksum-Mode")) == "enabled") {
    for (const auto& [algorithm, value] : info->meta.checksums) res.set_header("x-amz-checksum-" + algorithm, value);
  }

  std::uint64_t first = 0;
  std::uint64_t length = info->size;
  res.status = 200;
  if (range.kind == RangeRequest::Kind::range) {
    first = range.range.first;
    length = range.range.length();
    res.status = 206;
    res.set_header("Content-Range", "bytes " + std::to_string(range.range.first) + "-" +
                                        std::to_string(range.range.last) + "/" + std::to_string(info->size));
  }
  if (length == 0) {
    res.set_header("Content-Type", info->meta.content_type);
    res.set_header("Content-Length", "0");
    return;
  }

  if (r.http.method == "HEAD") {
    // httplib takes Content-Length from the provider's length and never calls it for HEAD.
    res.set_content_provider(length, info->meta.content_type,
                             [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
    return;
  }
  auto file = std::make_shared<OpenFile>();
  file->fd = ::open(info->path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file->fd < 0) return r.send_error(errors::no_such_key(r.key));  // deleted meanwhile
  ::posix_fadvise(file->fd, static_cast<off_t>(first), static_cast<off_t>(length), POSIX_FADV_SEQUENTIAL);
  file->buffer.resize(static_cast<std::size_t>(std::min<std::uint64_t>(read_chunk_size, length)));
  // Injected truncation: announce the full length, send only the first bytes, then close.
  const std::uint64_t limit = r.truncate_after ? std::min(*r.truncate_after, length) : length;
  res.set_content_provider(
      length, info->meta.content_type,
      [file, first, limit, corrupt_at = r.corrupt_at](std::size_t offset, std::size_t size, httplib::DataSink& sink) {
        if (offset >= limit) return false;
        auto want = static_cast<std::size_t>(std::min<std::uint64_t>({size, file->buffer.size(), limit - offset}));
        auto n = ::pread(file->fd, file->buffer.data(), want, static_cast<off_t>(first + offset));
        if (n <= 0) return false;
        const std::uint64_t at = first + offset;
        if (corrupt_at && *corrupt_at >= at && *corrupt_at < at + static_cast<std::uint64_t>(n))
          file->buffer[static_cast<std::size_t>(*corrupt_at - at)] ^= 0x20;
        return sink.write(file->buffer.data(), static_cast<std::size_t>(n));
      });
}

void delete_object(StoreState& state, S3Request& r) {
  state.objects.remove(r.bucket, r.key);  // S3 answers 204 whether or not the key existed
  r.response.status = 204;
}

}  // namespace kbc::emulator::s3
