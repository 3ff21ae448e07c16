// CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload, ListParts.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

#include "s3/complete_request.hpp"
#include "s3/crypto.hpp"
#include "s3/handlers.hpp"
#include "s3/sigv4.hpp"

namespace kbc::emulator::s3 {

namespace {

constexpr std::size_t max_complete_body = 1 << 20;

std::string element(const std::string& name, const std::string& value) {
  return "<" + name + ">" + xml_escape(value) + "</" + name + ">";
}

std::string unquoted(std::string etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
  return etag;
}

// The upload named by ?uploadId, if it exists and belongs to this bucket/key.
std::optional<MultipartUpload> upload_of(StoreState& state, const S3Request& r) {
  auto upload = state.uploads.find(r.param("uploadId"));
  if (!upload || upload->bucket != r.bucket || upload->key != r.key) return std::nullopt;
  return upload;
}

// Appends `from` to the open file `to_fd`; copy_file_range keeps the bytes in the kernel.
bool append_file(int to_fd, const std::filesystem::path& from) {
  int from_fd = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (from_fd < 0) return false;
  bool ok = true;
  while (true) {
    auto n = ::copy_file_range(from_fd, nullptr, to_fd, nullptr, 1 << 30, 0);
    if (n == 0) break;
    if (n > 0) continue;
    // Not supported across these file systems: copy through a buffer.
    std::vector<char> buffer(1 << 20);
    ssize_t got = 0;
    while ((got = ::read(from_fd, buffer.data(), buffer.size())) > 0) {
      for (ssize_t done = 0; done < got;) {
        auto written = ::write(to_fd, buffer.data() + done, static_cast<std::size_t>(got - done));
        if (written <= 0) {
          ok = false;
          break;
        }
        done += written;
      }
      if (!ok) break;
    }
    ok = ok && got == 0;
    break;
  }
  ::close(from_fd);
  return ok;
}

}  // namespace

void create_multipart_upload(StoreState& state, S3Request& r) {
  auto meta = object_meta_from_headers(r);
  auto algorithm = r.header("X-Amz-Checksum-Algorithm");
  auto upload_id = state.uploads.create(r.bucket, r.key, std::move(meta));
  if (!algorithm.empty()) r.response.set_header("x-amz-checksum-algorithm", algorithm);
  r.send_xml(200, "<InitiateMultipartUploadResult xmlns=\"" + std::string(s3_xmlns) + "\">" + element("Bucket", r.bucket) +
                      element("Key", r.key) + element("UploadId", upload_id) + "</InitiateMultipartUploadResult>");
}

void upload_part(StoreState& state, S3Request& r) {
  const auto number_text = r.param("partNumber");
  if (number_text.empty() || number_text.size() > 5 ||
      !std::all_of(number_text.begin(), number_text.end(), [](unsigned char c) { return std::isdigit(c); }) ||
      std::stoi(number_text) < 1 || std::stoi(number_text) > max_part_number) {
    return r.send_error(errors::invalid_argument("Part number must be an integer between 1 and 10000, inclusive"));
  }
  if (!upload_of(state, r)) return r.send_error(errors::no_such_upload(r.param("uploadId")));

  auto temp = state.objects.temp_path();
  auto outcome = receive_upload(r.body_source(), upload_expectations(r), temp);
  if (auto* error = std::get_if<S3Error>(&outcome)) return r.send_error(*error);
  const auto& received = std::get<ReceivedUpload>(outcome);

  UploadedPart part;
  part.size = received.size;
  part.md5 = received.md5;
  part.etag = "\"" + hex(received.md5) + "\"";
  part.checksum_algorithm = received.checksum_algorithm;
  part.checksum_value = received.checksum_value;
  part.last_modified = std::chrono::system_clock::now();
  auto etag = part.etag;
  if (!state.uploads.add_part(r.param("uploadId"), std::stoi(number_text), std::move(part), temp)) {
    std::error_code ec;
    std::filesystem::remove(temp, ec);
    return r.send_error(errors::no_such_upload(r.param("uploadId")));
  }
  r.response.status = 200;
  r.response.set_header("ETag", etag);
  if (!received.checksum_algorithm.empty()) {
    r.response.set_header("x-amz-checksum-" + received.checksum_algorithm, received.checksum_value);
  }
  r.response.set_header("Content-Length", "0");
}

void complete_multipart_upload(StoreState& state, S3Request& r) {
  std::string body;
  bool too_large = false;
  bool read = r.body_source()([&](const char* data, std::size_t size) {
    if (body.size() + size > max_complete_body) {
      too_large = true;
      return false;
    }
    body.append(data, size);
    return true;
  });
  auto upload = upload_of(state, r);
  if (!upload) return r.send_error(errors::no_such_upload(r.param("uploadId")));
  if (!read || too_large) return r.send_error(errors::malformed_xml());
  auto requested = parse_complete_request(body);
  if (!requested) return r.send_error(errors::malformed_xml());

  for (std::size_t i = 1; i < requested->size(); ++i) {
    if ((*requested)[i].number <= (*requested)[i - 1].number) return r.send_error(errors::invalid_part_order());
  }
  Digest md5_of_md5s("MD5");
  for (std::size_t i = 0; i < requested->size(); ++i) {
    const auto& wanted = (*requested)[i];
    auto part = upload->parts.find(wanted.number);
    if (part == upload->parts.end() || unquoted(wanted.etag) != unquoted(part->second.etag)) {
      auto error = errors::invalid_part(
          "One or more of the specified parts could not be found.  The part may not have been uploaded, or the "
          "specified entity tag may not match the part's entity tag.");
      error.details.emplace_back("UploadId", upload->upload_id);
      error.details.emplace_back("PartNumber", std::to_string(wanted.number));
      error.details.emplace_back("ETag", wanted.etag);
      return r.send_error(error);
    }
    if (i + 1 < requested->size() && part->second.size < min_part_size) {
      auto error = errors::entity_too_small();
      error.details.emplace_back("ProposedSize", std::to_string(part->second.size));
      error.details.emplace_back("MinSizeAllowed", std::to_string(min_part_size));
      error.details.emplace_back("PartNumber", std::to_string(wanted.number));
      error.details.emplace_back("ETag", part->second.etag);
      return r.send_error(error);
    }
    md5_of_md5s.update(part->second.md5.data(), part->second.md5.size());
  }

  auto temp = state.objects.temp_path();
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  bool ok = fd >= 0;
  for (const auto& wanted : *requested) {
    if (!ok) break;
    ok = append_file(fd, upload->parts.at(wanted.number).file);
  }
  if (fd >= 0 && ::close(fd) != 0) ok = false;
  auto meta = upload->meta;
  meta.etag = "\"" + hex(md5_of_md5s.finish()) + "-" + std::to_string(requested->size()) + "\"";
  try {
    if (!ok) throw std::runtime_error("cannot assemble the parts");
    state.objects.commit(temp, r.bucket, r.key, meta);
  } catch (const std::exception& e) {
    std::error_code ec;
    std::filesystem::remove(temp, ec);
    return r.send_error(errors::internal_error(std::string("cannot store the object: ") + e.what()));
  }
  state.uploads.remove(upload->upload_id);
  auto location = state.public_url + "/" + sigv4::uri_encode(r.bucket, true) + "/" + sigv4::uri_encode(r.key, false);
  r.send_xml(200, "<CompleteMultipartUploadResult xmlns=\"" + std::string(s3_xmlns) + "\">" + element("Location", location) +
                      element("Bucket", r.bucket) + element("Key", r.key) + element("ETag", meta.etag) +
                      "</CompleteMultipartUploadResult>");
}

void abort_multipart_upload(StoreState& state, S3Request& r) {
  if (!upload_of(state, r) || !state.uploads.remove(r.param("uploadId"))) {
    return r.send_error(errors::no_such_upload(r.param("uploadId")));
  }
  r.response.status = 204;
}

void list_parts(StoreState& state, S3Request& r) {
  auto upload = upload_of(state, r);
  if (!upload) return r.send_error(errors::no_such_upload(r.param("uploadId")));
  int marker = std::atoi(r.param("part-number-marker", "0").c_str());
  int max_parts = std::clamp(std::atoi(r.param("max-parts", "1000").c_str()), 0, 1000);
  std::string parts_xml;
  int count = 0;
  int last = marker;
  bool truncated = false;
  for (const auto& [number, part] : upload->parts) {
    if (number <= marker) continue;
    if (count == max_parts) {
      truncated = true;
      break;
    }
    parts_xml += "<Part>" + element("PartNumber", std::to_string(number)) +
                 element("LastModified", iso8601(part.last_modified)) + element("ETag", part.etag) +
                 element("Size", std::to_string(part.size)) + "</Part>";
    last = number;
    ++count;
  }
  r.send_xml(200, "<ListPartsResult xmlns=\"" + std::string(s3_xmlns) + "\">" + element("Bucket", r.bucket) +
                      element("Key", r.key) + element("UploadId", upload->upload_id) +
                      element("PartNumberMarker", std::to_string(marker)) +
                      element("NextPartNumberMarker", std::to_string(last)) +
                      element("MaxParts", std::to_string(max_parts)) +
                      element("IsTruncated", truncated ? "true" : "false") + element("StorageClass", "STANDARD") +
                      parts_xml + "</ListPartsResult>");
}

}  // namespace kbc::emulator::s3
