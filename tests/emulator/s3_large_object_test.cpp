// A 200 MiB object streamed through the S3 endpoint in both directions: the server must
// never hold a body in memory (peak RSS grows far less than the object) and the bytes and
// ETag must come back exact.
#include <catch2/catch.hpp>

#include <openssl/evp.h>

#include <fstream>
#include <memory>

#include "s3_test_server.hpp"

using namespace kbc::test::s3;
using namespace std::chrono_literals;

namespace {
// Peak resident set of this process (client and server share it), in KiB.
long peak_rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

struct Md5 {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), EVP_MD_CTX_free};
  Md5() { EVP_DigestInit_ex(ctx.get(), EVP_md5(), nullptr); }
  void update(const char* data, std::size_t size) { EVP_DigestUpdate(ctx.get(), data, size); }
  std::string hex() {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_DigestFinal_ex(ctx.get(), out, &size);
    static constexpr char digits[] = "0123456789abcdef";
    std::string text;
    for (unsigned int i = 0; i < size; ++i) {
      text.push_back(digits[out[i] >> 4]);
      text.push_back(digits[out[i] & 0xF]);
    }
    return text;
  }
};
}  // namespace

TEST_CASE("a 200 MiB object streams through without being buffered") {
  constexpr std::uint64_t size = 200ull * 1024 * 1024;
  const std::string block = pattern_bytes(1 << 16, 7);
  S3TestServer s3;
  auto creds = s3.store.issue_credentials("kbc-files", "", 1h);
  auto url = s3.object_url("kbc-files", "big/table.csv.gz");
  long rss_before = peak_rss_kib();

  std::uint64_t sent = 0;
  Md5 sent_md5;
  Call put;
  put.method = "PUT";
  put.url = url;
  put.credentials = creds;
  put.upload_size = size;
  put.upload = [&](char* buffer, std::size_t room) {
    auto n = static_cast<std::size_t>(std::min<std::uint64_t>({room, size - sent, block.size() - sent % block.size()}));
    std::copy_n(block.data() + sent % block.size(), n, buffer);
    sent_md5.update(buffer, n);
    sent += n;
    return n;
  };
  put.timeout_seconds = 240;
  auto stored = perform(put);
  REQUIRE(stored.status == 200);
  auto expected_etag = "\"" + sent_md5.hex() + "\"";
  CHECK(stored.header("etag") == expected_etag);
  CHECK(s3.store.size_of("kbc-files", "big/table.csv.gz") == size);

  std::uint64_t received = 0;
  Md5 received_md5;
  Call get;
  get.url = url;
  get.credentials = creds;
  get.timeout_seconds = 240;
  get.download = [&](const char* data, std::size_t n) {
    received_md5.update(data, n);
    received += n;
    return true;
  };
  auto fetched = perform(get);
  REQUIRE(fetched.status == 200);
  CHECK(received == size);
  CHECK("\"" + received_md5.hex() + "\"" == expected_etag);

  long growth_kib = peak_rss_kib() - rss_before;
  INFO("peak RSS grew by " << growth_kib << " KiB");
  CHECK(growth_kib < 40 * 1024);  // far below the 200 MiB object
}
