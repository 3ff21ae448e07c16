// Our SigV4 signer against the examples AWS publishes in the S3 documentation
// ("Signature Calculations for the Authorization Header", examples for GET, PUT, ?lifecycle, list).
#include <catch2/catch.hpp>

#include "kbc_storage_extract/transfer/s3/sigv4.hpp"

using namespace kbc;
using namespace kbc::transfer::s3;
using kbc::http::Headers;

namespace {

const auto k_example_time = std::chrono::system_clock::from_time_t(1369353600);  // 2013-05-24T00:00:00Z
const std::string k_empty_sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

sigv4::SigningKey example_key() {
  sigv4::SigningKey key;
  key.region = "us-east-1";
  key.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  key.secret_access_key = Secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  return key;
}

std::string authorization_of(const Headers& headers) {
  for (const auto& [name, value] : headers)
    if (name == "authorization") return value;
  return {};
}

std::string signature_of(const Headers& headers) {
  const auto auth = authorization_of(headers);
  const auto at = auth.find("Signature=");
  return at == std::string::npos ? "" : auth.substr(at + 10);
}

}  // namespace

TEST_CASE("sigv4: AWS example GET object with a Range header") {
  sigv4::SigningInput input{"GET", "https://examplebucket.s3.amazonaws.com/test.txt", {{"Range", "bytes=0-9"}}, k_empty_sha256};
  auto headers = sigv4::sign(input, example_key(), k_example_time);
  REQUIRE(headers.ok());
  CHECK(authorization_of(*headers) ==
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST_CASE("sigv4: AWS example PUT object with a '$' in the key and a payload hash") {
  const std::string body = "Welcome to Amazon S3.";
  sigv4::SigningInput input{"PUT", "https://examplebucket.s3.amazonaws.com/test%24file.text",
                            {{"Date", "Fri, 24 May 2013 00:00:00 GMT"}, {"x-amz-storage-class", "REDUCED_REDUNDANCY"}},
                            sigv4::sha256_hex(body)};
  CHECK(input.payload_sha256 == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  auto headers = sigv4::sign(input, example_key(), k_example_time);
  REQUIRE(headers.ok());
  CHECK(signature_of(*headers) == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
  // The same key given unencoded in the URL signs the same.
  input.url = "https://examplebucket.s3.amazonaws.com/test$file.text";
  CHECK(signature_of(*sigv4::sign(input, example_key(), k_example_time)) ==
        "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST_CASE("sigv4: AWS example GET ?lifecycle, a query parameter without a value") {
  sigv4::SigningInput input{"GET", "https://examplebucket.s3.amazonaws.com/?lifecycle", {}, k_empty_sha256};
  auto headers = sigv4::sign(input, example_key(), k_example_time);
  REQUIRE(headers.ok());
  CHECK(signature_of(*headers) == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

TEST_CASE("sigv4: AWS example list objects, query parameters sorted") {
  sigv4::SigningInput input{"GET", "https://examplebucket.s3.amazonaws.com/?prefix=J&max-keys=2", {}, k_empty_sha256};
  auto headers = sigv4::sign(input, example_key(), k_example_time);
  REQUIRE(headers.ok());
  CHECK(signature_of(*headers) == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST_CASE("sigv4: canonical query encodes, sorts and gives valueless parameters an '='") {
  CHECK(sigv4::canonical_query("uploads") == "uploads=");
  CHECK(sigv4::canonical_query("uploadId=a%2Fb+c&partNumber=10") == "partNumber=10&uploadId=a%2Fb%2Bc");
  CHECK(sigv4::canonical_query("b=2&a=1&a=0") == "a=0&a=1&b=2");
  CHECK(sigv4::canonical_query("") == "");
}

TEST_CASE("sigv4: keys keep '/' and encode everything outside the unreserved set") {
  CHECK(sigv4::uri_encode("exp/in.c-main/orders 1+2=€.csv.gz", true) == "exp/in.c-main/orders%201%2B2%3D%E2%82%AC.csv.gz");
  CHECK(sigv4::uri_encode("a/b", false) == "a%2Fb");
  CHECK(sigv4::uri_decode("a%2Fb%20c%zz") == "a/b c%zz");
}

TEST_CASE("sigv4: a session token is sent and signed, the host carries a non-default port") {
  auto key = example_key();
  key.session_token = Secret("session-token-value");
  sigv4::SigningInput input{"HEAD", "http://127.0.0.1:9000/bucket/key", {}, std::string(sigv4::k_unsigned_payload)};
  auto headers = sigv4::sign(input, key, k_example_time);
  REQUIRE(headers.ok());
  CHECK(std::count(headers->begin(), headers->end(), std::pair<std::string, std::string>{"host", "127.0.0.1:9000"}) == 1);
  CHECK(std::count(headers->begin(), headers->end(), std::pair<std::string, std::string>{"x-amz-security-token", "session-token-value"}) == 1);
  CHECK(authorization_of(*headers).find("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,") != std::string::npos);
}
