#pragma once
// In-process harness for the S3 endpoint tests: a FileStore on a fresh temp dir, served by an
// httplib::Server on a free loopback port in a thread, and a libcurl client that signs with
// CURLOPT_AWS_SIGV4 (an independent SigV4 implementation) using issued credentials.
// libcurl 7.88 puts the query into the canonical request exactly as written (no sorting or
// encoding), so URLs in these tests spell their queries canonically: sorted, "name=" for
// flags, values percent-encoded.
#include <curl/curl.h>
#include <httplib.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "faults.hpp"
#include "s3/file_store.hpp"

namespace kbc::test::s3 {

inline constexpr const char* test_region = "eu-central-1";

class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class S3TestServer {
 public:
  S3TestServer();
  ~S3TestServer();
  std::string url() const { return url_; }
  // "http://127.0.0.1:port/bucket/key" with the key's segments percent-encoded.
  std::string object_url(const std::string& bucket, const std::string& key) const;

  emulator::FaultInjector faults;
  ScratchDir dir;
  emulator::FileStore store;

 private:
  httplib::Server server_;
  std::thread thread_;
  std::string url_;
};

struct Reply {
  CURLcode curl_code = CURLE_OK;
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::uint64_t body_bytes = 0;                // counted even when a sink consumed them

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  // The <Code> of an S3 XML error body.
  std::string error_code() const;
};

struct Call {
  std::string method = "GET";
  std::string url;
  std::optional<emulator::S3Credentials> credentials;
  std::string region = test_region;
  std::vector<std::string> headers;
  std::optional<std::string> body;
  // Streamed upload of `upload_size` bytes produced by `upload` (fills the buffer, returns bytes).
  std::function<std::size_t(char*, std::size_t)> upload;
  std::uint64_t upload_size = 0;
  // Streamed download: bytes go here instead of Reply::body.
  std::function<bool(const char*, std::size_t)> download;
  // x-amz-content-sha256 to send; empty = hex SHA-256 of `body`, or UNSIGNED-PAYLOAD for streams.
  std::string payload_hash;
  bool send_token = true;
  long timeout_seconds = 60;
};

Reply perform(const Call& call);

// Headers (Authorization, x-amz-*) for a request signed by hand with the documented algorithm,
// for what libcurl cannot do (a chosen X-Amz-Date, aws-chunked). `signed_extra` are further
// (lower-case name, value) headers to send and sign. Returns the headers and the signature.
std::pair<std::vector<std::string>, std::string> sign_by_hand(
    const S3TestServer& s3, const emulator::S3Credentials& creds, const std::string& method, const std::string& path,
    const std::string& amz_date, const std::string& payload_hash,
    const std::vector<std::pair<std::string, std::string>>& signed_extra = {});

std::string sha256_hex(const std::string& data);
std::string md5_hex(const std::string& data);
// Deterministic bytes for object bodies.
std::string pattern_bytes(std::size_t size, unsigned seed = 1);

}  // namespace kbc::test::s3
