// STREAMING-AWS4-HMAC-SHA256-PAYLOAD uploads (aws-chunked with a signature per chunk, chained
// from the request's own signature), as the Java and Go SDKs send them. No client here speaks
// it, so the test signs with the documented algorithm (sigv4.hpp is itself checked against
// AWS's published vectors in s3_sigv4_test.cpp).
#include <catch2/catch.hpp>

#include "s3/crypto.hpp"
#include "s3/request_auth.hpp"
#include "s3/sigv4.hpp"
#include "s3_test_server.hpp"

using namespace kbc::test::s3;
namespace sigv4 = kbc::emulator::s3::sigv4;
using namespace std::chrono_literals;

namespace {
struct SignedUpload {
  std::vector<std::string> headers;
  std::string body;
};

SignedUpload sign_streaming_put(const S3TestServer& s3, const kbc::emulator::S3Credentials& creds,
                                const std::string& path, const std::vector<std::string>& chunks) {
  auto amz_date = kbc::emulator::s3::format_amz_date(std::chrono::system_clock::now());
  auto date = amz_date.substr(0, 8);
  std::size_t decoded = 0;
  for (const auto& chunk : chunks) decoded += chunk.size();
  auto [headers, seed] = sign_by_hand(s3, creds, "PUT", path, amz_date, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
                                      {{"content-encoding", "aws-chunked"},
                                       {"x-amz-decoded-content-length", std::to_string(decoded)}});
  SignedUpload upload{headers, ""};
  auto scope = sigv4::scope(date, test_region, "s3");
  auto key = sigv4::signing_key(creds.secret_access_key, date, test_region, "s3");
  auto previous = seed;
  auto all = chunks;
  all.emplace_back();  // the final zero-length chunk
  for (const auto& chunk : all) {
    auto signature = sigv4::chunk_signature(key, amz_date, scope, previous, sha256_hex(chunk));
    char size[32];
    std::snprintf(size, sizeof size, "%zx", chunk.size());
    upload.body += std::string(size) + ";chunk-signature=" + signature + "\r\n" + chunk + "\r\n";
    previous = signature;
  }
  return upload;
}
}  // namespace

TEST_CASE("signed aws-chunked uploads are verified chunk by chunk") {
  S3TestServer s3;
  auto creds = s3.store.issue_credentials("kbc-files", "", 1h);
  std::vector<std::string> chunks = {pattern_bytes(65536, 1), pattern_bytes(65536, 2), pattern_bytes(1000, 3)};
  auto upload = sign_streaming_put(s3, creds, "/kbc-files/signed.bin", chunks);

  Call call;
  call.method = "PUT";
  call.url = s3.object_url("kbc-files", "signed.bin");
  call.headers = upload.headers;
  call.body = upload.body;
  auto stored = perform(call);
  INFO(stored.body);
  CHECK(stored.status == 200);
  CHECK(stored.header("etag") == "\"" + md5_hex(chunks[0] + chunks[1] + chunks[2]) + "\"");
  CHECK(s3.store.size_of("kbc-files", "signed.bin") == 65536 * 2 + 1000);

  // One byte changed inside the second chunk: its signature no longer holds.
  auto tampered = sign_streaming_put(s3, creds, "/kbc-files/tampered.bin", chunks);
  tampered.body[tampered.body.size() / 2] ^= 1;
  call.url = s3.object_url("kbc-files", "tampered.bin");
  call.headers = tampered.headers;
  call.body = tampered.body;
  auto refused = perform(call);
  CHECK(refused.status == 403);
  CHECK(refused.error_code() == "SignatureDoesNotMatch");
  CHECK_FALSE(s3.store.exists("kbc-files", "tampered.bin"));
}
