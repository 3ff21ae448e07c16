#pragma once
// Decoder for the aws-chunked body encoding the AWS SDKs use for streaming uploads
// (x-amz-content-sha256: STREAMING-*): "<hex size>[;chunk-signature=<sig>]\r\n<data>\r\n" …,
// a final zero-size chunk, then optional trailer lines (e.g. x-amz-checksum-crc32) and "\r\n".
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "s3/crypto.hpp"

namespace kbc::emulator::s3 {

class AwsChunkedDecoder {
 public:
  using Sink = std::function<bool(const char* data, std::size_t size)>;
  // Present for STREAMING-AWS4-HMAC-SHA256-PAYLOAD*: every chunk's signature is checked,
  // chained from the request's own signature (the seed).
  struct ChunkSigning {
    std::string signing_key;
    std::string amz_date;
    std::string scope;
    std::string seed_signature;
  };

  AwsChunkedDecoder(Sink sink, std::optional<ChunkSigning> signing);
  // Feeds raw body bytes; false on a framing error, a bad chunk signature or a sink failure.
  bool feed(const char* data, std::size_t size);
  bool finished() const { return state_ == State::done; }
  bool signature_failed() const { return signature_failed_; }
  const std::string& error() const { return error_; }
  // Trailer headers, names lower-cased.
  const std::map<std::string, std::string>& trailers() const { return trailers_; }

 private:
  enum class State { chunk_header, chunk_data, chunk_data_end, trailer, done };
  bool fail(std::string message);
  bool take_line(const char*& data, std::size_t& size, std::string& line);
  bool start_chunk(const std::string& header);
  bool end_chunk();

  Sink sink_;
  std::optional<ChunkSigning> signing_;
  std::string previous_signature_;
  std::string chunk_signature_;
  std::optional<Digest> chunk_digest_;
  State state_ = State::chunk_header;
  std::string line_;
  std::uint64_t remaining_ = 0;
  bool last_chunk_ = false;
  bool signature_failed_ = false;
  std::string error_;
  std::map<std::string, std::string> trailers_;
};

}  // namespace kbc::emulator::s3
