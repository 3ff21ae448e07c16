#include "s3/aws_chunked.hpp"

#include <algorithm>
#include <cctype>

#include "s3/sigv4.hpp"

namespace kbc::emulator::s3 {

namespace {
constexpr std::size_t max_line = 8192;  // chunk headers and trailers are short; bound hostile input
}

AwsChunkedDecoder::AwsChunkedDecoder(Sink sink, std::optional<ChunkSigning> signing)
    : sink_(std::move(sink)), signing_(std::move(signing)) {
  if (signing_) previous_signature_ = signing_->seed_signature;
}

bool AwsChunkedDecoder::fail(std::string message) {
  if (error_.empty()) error_ = std::move(message);
  return false;
}

// Accumulates bytes up to CRLF; true when `line` holds a complete line (without CRLF).
bool AwsChunkedDecoder::take_line(const char*& data, std::size_t& size, std::string& line) {
  while (size > 0) {
    char c = *data++;
    --size;
    if (c == '\n') {
      if (!line_.empty() && line_.back() == '\r') line_.pop_back();
      line = std::move(line_);
      line_.clear();
      return true;
    }
    line_.push_back(c);
    if (line_.size() > max_line) return false;
  }
  return false;
}

bool AwsChunkedDecoder::start_chunk(const std::string& header) {
  auto semicolon = header.find(';');
  auto size_text = header.substr(0, semicolon);
  if (size_text.empty() || size_text.size() > 16 ||
      !std::all_of(size_text.begin(), size_text.end(), [](unsigned char c) { return std::isxdigit(c); })) {
    return fail("malformed aws-chunked chunk header");
  }
  remaining_ = std::stoull(size_text, nullptr, 16);
  chunk_signature_.clear();
  if (semicolon != std::string::npos) {
    auto extension = header.substr(semicolon + 1);
    constexpr std::string_view name = "chunk-signature=";
    if (extension.rfind(name, 0) == 0) chunk_signature_ = extension.substr(name.size());
  }
  if (signing_) {
    if (chunk_signature_.empty()) return fail("aws-chunked chunk without chunk-signature");
    chunk_digest_.emplace("SHA256");
  }
  last_chunk_ = remaining_ == 0;
  state_ = remaining_ == 0 ? State::chunk_data_end : State::chunk_data;
  if (last_chunk_) return end_chunk();
  return true;
}

bool AwsChunkedDecoder::end_chunk() {
  if (signing_) {
    auto expected = sigv4::chunk_signature(signing_->signing_key, signing_->amz_date, signing_->scope,
                                           previous_signature_, hex(chunk_digest_->finish()));
    if (!sigv4::constant_time_equal(expected, chunk_signature_)) {
      signature_failed_ = true;
      return fail("aws-chunked chunk signature does not match");
    }
    previous_signature_ = chunk_signature_;
  }
  if (last_chunk_) state_ = State::trailer;
  return true;
}

bool AwsChunkedDecoder::feed(const char* data, std::size_t size) {
  std::string line;
  while (size > 0) {
    switch (state_) {
      case State::chunk_header:
        if (!take_line(data, size, line)) {
          if (line_.size() > max_line) return fail("aws-chunked chunk header too long");
          return true;  // need more bytes
        }
        if (!start_chunk(line)) return false;
        break;
      case State::chunk_data: {
        auto n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, size));
        if (chunk_digest_) chunk_digest_->update(data, n);
        if (!sink_(data, n)) return fail("cannot store the upload");
        data += n;
        size -= n;
        remaining_ -= n;
        if (remaining_ == 0) state_ = State::chunk_data_end;
        break;
      }
      case State::chunk_data_end:
        if (!take_line(data, size, line)) {
          if (!line_.empty() && line_ != "\r") return fail("aws-chunked chunk not followed by CRLF");
          return true;
        }
        if (!line.empty()) return fail("aws-chunked chunk not followed by CRLF");
        if (!end_chunk()) return false;
        state_ = State::chunk_header;
        break;
      case State::trailer:
        if (!take_line(data, size, line)) {
          if (line_.size() > max_line) return fail("aws-chunked trailer too long");
          return true;
        }
        if (line.empty()) {
          state_ = State::done;
          break;
        }
        if (auto colon = line.find(':'); colon != std::string::npos) {
          auto name = line.substr(0, colon);
          std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
          trailers_[name] = sigv4::canonical_header_value(line.substr(colon + 1));
        } else {
          return fail("malformed aws-chunked trailer");
        }
        break;
      case State::done:
        return fail("data after the end of the aws-chunked body");
    }
  }
  return true;
}

}  // namespace kbc::emulator::s3
