#include "s3/upload_receiver.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "s3/crypto.hpp"

namespace kbc::emulator::s3 {

namespace {

constexpr std::size_t write_buffer_size = 1 << 20;

// Buffered POSIX writer: a few large write(2) calls instead of one per network read.
class FileWriter {
 public:
  explicit FileWriter(const std::filesystem::path& path)
      : fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) {
    buffer_.reserve(write_buffer_size);
  }
  ~FileWriter() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool ok() const { return fd_ >= 0 && !failed_; }
  bool write(const char* data, std::size_t size) {
    if (buffer_.size() + size > write_buffer_size && !flush()) return false;
    if (size >= write_buffer_size) return write_all(data, size);
    buffer_.insert(buffer_.end(), data, data + size);
    return true;
  }
  bool close() {
    bool flushed = flush();
    bool closed = ::close(fd_) == 0;
    fd_ = -1;
    return flushed && closed;
  }

 private:
  bool flush() {
    bool ok = write_all(buffer_.data(), buffer_.size());
    buffer_.clear();
    return ok;
  }
  bool write_all(const char* data, std::size_t size) {
    while (size > 0) {
      auto n = ::write(fd_, data, size);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        failed_ = true;
        return false;
      }
      data += n;
      size -= static_cast<std::size_t>(n);
    }
    return true;
  }
  int fd_;
  bool failed_ = false;
  std::vector<char> buffer_;
};

// The x-amz-checksum-* algorithms S3 accepts that we can compute.
class ChecksumComputer {
 public:
  explicit ChecksumComputer(const std::string& algorithm) : algorithm_(algorithm) {
    if (algorithm == "crc32") crc_.emplace(false);
    if (algorithm == "crc32c") crc_.emplace(true);
    if (algorithm == "sha1") digest_.emplace("SHA1");
    if (algorithm == "sha256") digest_.emplace("SHA256");
  }
  bool supported() const { return crc_ || digest_; }
  void update(const char* data, std::size_t size) {
    if (crc_) crc_->update(data, size);
    if (digest_) digest_->update(data, size);
  }
  std::string finish_base64() {
    if (crc_) return base64(crc_->finish());
    if (digest_) return base64(digest_->finish());
    return "";
  }

 private:
  std::string algorithm_;
  std::optional<Crc32> crc_;
  std::optional<Digest> digest_;
};

std::string upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

bool is_streaming_payload(const std::string& payload_hash) { return payload_hash.rfind("STREAMING-", 0) == 0; }

std::variant<ReceivedUpload, S3Error> receive_upload(const BodySource& source, const UploadExpectations& expect,
                                                     const std::filesystem::path& target) {
  auto fail = [&](S3Error error) -> std::variant<ReceivedUpload, S3Error> {
    std::error_code ec;
    std::filesystem::remove(target, ec);
    return error;
  };
  const bool streaming = is_streaming_payload(expect.payload_hash);
  const bool signed_hex = !streaming && expect.payload_hash.size() == 64;

  FileWriter writer(target);
  if (!writer.ok()) return fail(errors::internal_error("cannot create the object's file"));
  Digest md5("MD5");
  std::optional<Digest> sha256;
  if (signed_hex) sha256.emplace("SHA256");
  ChecksumComputer checksum(expect.checksum_algorithm);
  ReceivedUpload result;

  auto store = [&](const char* data, std::size_t size) {
    md5.update(data, size);
    if (sha256) sha256->update(data, size);
    checksum.update(data, size);
    result.size += size;
    return writer.write(data, size);
  };
  std::optional<AwsChunkedDecoder> decoder;
  if (streaming) decoder.emplace(store, expect.chunk_signing);

  bool complete = source([&](const char* data, std::size_t size) {
    return decoder ? decoder->feed(data, size) : store(data, size);
  });
  bool closed = writer.close();
  if (decoder && decoder->signature_failed()) return fail(errors::signature_does_not_match());
  if (decoder && !decoder->error().empty()) return fail(errors::invalid_request(decoder->error()));
  if (!closed) return fail(errors::internal_error("cannot write the object's file"));
  if (!complete || (decoder && !decoder->finished())) return fail(errors::incomplete_body());
  if (expect.decoded_length && *expect.decoded_length != result.size) return fail(errors::incomplete_body());

  result.md5 = md5.finish();
  if (sha256) {
    auto computed = hex(sha256->finish());
    if (computed != expect.payload_hash) return fail(errors::content_sha256_mismatch(expect.payload_hash, computed));
  }
  if (expect.content_md5 && *expect.content_md5 != base64(result.md5)) {
    return fail(errors::bad_digest("The Content-MD5 you specified did not match what we received."));
  }
  if (!expect.checksum_algorithm.empty() && checksum.supported()) {
    std::optional<std::string> claimed = expect.checksum_value;
    if (!claimed && decoder) {
      auto it = decoder->trailers().find("x-amz-checksum-" + expect.checksum_algorithm);
      if (it != decoder->trailers().end()) claimed = it->second;
    }
    result.checksum_algorithm = expect.checksum_algorithm;
    result.checksum_value = checksum.finish_base64();
    if (claimed && *claimed != result.checksum_value) {
      return fail(errors::bad_digest("The " + upper(expect.checksum_algorithm) +
                                     " you specified did not match the calculated checksum."));
    }
  }
  return result;
}

}  // namespace kbc::emulator::s3
