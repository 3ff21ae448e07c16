// The verifier's SigV4 building blocks against the examples AWS publishes in the S3 docs
// ("Signature Calculations for the Authorization Header", "Query String Auth",
// "Signature Calculations for streaming uploads").
#include <catch2/catch.hpp>

#include <string>

#include "s3/aws_chunked.hpp"
#include "s3/sigv4.hpp"

using namespace kbc::emulator::s3;

namespace {
const std::string secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const std::string amz_date = "20130524T000000Z";
}  // namespace

TEST_CASE("SigV4 reproduces AWS's GET object example signature") {
  sigv4::CanonicalRequest canonical{"GET",
                                    sigv4::canonical_uri("/test.txt"),
                                    sigv4::canonical_query(""),
                                    {{"host", "examplebucket.s3.amazonaws.com"},
                                     {"range", "bytes=0-9"},
                                     {"x-amz-content-sha256", std::string(sigv4::empty_sha256)},
                                     {"x-amz-date", amz_date}},
                                    std::string(sigv4::empty_sha256)};
  auto scope = sigv4::scope("20130524", "us-east-1", "s3");
  auto to_sign = sigv4::string_to_sign(amz_date, scope, canonical.text());
  CHECK(to_sign ==
        "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
        "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  auto key = sigv4::signing_key(secret, "20130524", "us-east-1", "s3");
  CHECK(sigv4::signature(key, to_sign) == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST_CASE("SigV4 reproduces AWS's pre-signed URL example signature") {
  std::string raw_query =
      "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
      "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
      "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
  sigv4::CanonicalRequest canonical{"GET", sigv4::canonical_uri("/test.txt"), sigv4::canonical_query(raw_query),
                                    {{"host", "examplebucket.s3.amazonaws.com"}}, std::string(sigv4::unsigned_payload)};
  auto scope = sigv4::scope("20130524", "us-east-1", "s3");
  auto key = sigv4::signing_key(secret, "20130524", "us-east-1", "s3");
  CHECK(sigv4::signature(key, sigv4::string_to_sign(amz_date, scope, canonical.text())) ==
        "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

TEST_CASE("canonical URI and query encode once, as S3 expects") {
  CHECK(sigv4::canonical_uri("/bucket/a%20b/c+d~e") == "/bucket/a%20b/c%2Bd~e");
  CHECK(sigv4::canonical_uri("/bucket/%E2%82%AC.csv") == "/bucket/%E2%82%AC.csv");
  CHECK(sigv4::canonical_query("prefix=a/b&list-type=2&max-keys") == "list-type=2&max-keys=&prefix=a%2Fb");
  CHECK(sigv4::canonical_header_value("  a   b \t c  ") == "a b c");
}

TEST_CASE("aws-chunked decoder checks AWS's streaming upload example chunk signatures") {
  // 64 KiB + 1 KiB of 'a', signed as in the S3 docs' STREAMING-AWS4-HMAC-SHA256-PAYLOAD example.
  auto key = sigv4::signing_key(secret, "20130524", "us-east-1", "s3");
  auto scope = sigv4::scope("20130524", "us-east-1", "s3");
  std::string body = "10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n" +
                     std::string(65536, 'a') +
                     "\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n" +
                     std::string(1024, 'a') +
                     "\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n";
  auto decode = [&](const std::string& input, std::size_t piece) {
    std::string out;
    AwsChunkedDecoder decoder([&](const char* d, std::size_t n) { out.append(d, n); return true; },
                              AwsChunkedDecoder::ChunkSigning{
                                  key, amz_date, scope, "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"});
    bool ok = true;
    for (std::size_t i = 0; i < input.size() && ok; i += piece) {
      ok = decoder.feed(input.data() + i, std::min(piece, input.size() - i));
    }
    return std::make_tuple(ok && decoder.finished(), decoder.signature_failed(), out);
  };
  for (std::size_t piece : {std::size_t{1}, std::size_t{7}, std::size_t{4096}, body.size()}) {
    auto [ok, bad_signature, out] = decode(body, piece);
    CHECK(ok);
    CHECK_FALSE(bad_signature);
    CHECK(out == std::string(66560, 'a'));
  }
  auto tampered = body;
  tampered[200] = 'b';
  auto [ok, bad_signature, out] = decode(tampered, 4096);
  CHECK_FALSE(ok);
  CHECK(bad_signature);
}

TEST_CASE("aws-chunked decoder reads unsigned chunks and checksum trailers") {
  std::string body = "5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n";
  std::string out;
  AwsChunkedDecoder decoder([&](const char* d, std::size_t n) { out.append(d, n); return true; }, std::nullopt);
  REQUIRE(decoder.feed(body.data(), body.size()));
  CHECK(decoder.finished());
  CHECK(out == "hello world");
  CHECK(decoder.trailers().at("x-amz-checksum-crc32") == "DUoRhQ==");
  AwsChunkedDecoder broken([](const char*, std::size_t) { return true; }, std::nullopt);
  std::string garbage = "zz\r\nhello";
  CHECK_FALSE(broken.feed(garbage.data(), garbage.size()));
}
