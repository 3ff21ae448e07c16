// Multipart upload on the emulator's S3 endpoint: create, parts, complete (with AWS's
// validation of ETags, order and the 5 MiB minimum), abort, list parts.
#include <catch2/catch.hpp>

#include <openssl/evp.h>

#include "s3_test_server.hpp"

using namespace kbc::test::s3;
using namespace std::chrono_literals;

namespace {
constexpr std::size_t mib = 1024 * 1024;

struct Uploader {
  S3TestServer& s3;
  kbc::emulator::S3Credentials creds;
  std::string key;

  std::string url(const std::string& query) const { return s3.object_url("kbc-files", key) + query; }

  Reply send(const std::string& method, const std::string& query, std::optional<std::string> body = std::nullopt) const {
    Call call;
    call.method = method;
    call.url = url(query);
    call.credentials = creds;
    call.body = std::move(body);
    return perform(call);
  }
  std::string create() const {
    auto reply = send("POST", "?uploads=");
    INFO(reply.body);
    REQUIRE(reply.status == 200);
    auto open = reply.body.find("<UploadId>") + 10;
    return reply.body.substr(open, reply.body.find("</UploadId>") - open);
  }
  std::string part(const std::string& upload_id, int number, const std::string& body) const {
    auto reply = send("PUT", "?partNumber=" + std::to_string(number) + "&uploadId=" + upload_id, body);
    INFO(reply.body);
    REQUIRE(reply.status == 200);
    return reply.header("etag");
  }
  Reply complete(const std::string& upload_id, const std::vector<std::pair<int, std::string>>& parts) const {
    std::string xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
    for (const auto& [number, etag] : parts) {
      xml += "<Part><ETag>" + etag + "</ETag><PartNumber>" + std::to_string(number) + "</PartNumber></Part>";
    }
    xml += "</CompleteMultipartUpload>";
    return send("POST", "?uploadId=" + upload_id, xml);
  }
};

std::string raw_md5(const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), out, &size, EVP_md5(), nullptr);
  return std::string(reinterpret_cast<char*>(out), size);
}
}  // namespace

TEST_CASE("multipart upload of 3 x 5 MiB + 1 KiB assembles the object with an md5-of-md5s ETag") {
  S3TestServer s3;
  Uploader up{s3, s3.store.issue_credentials("kbc-files", "uploads/", 1h), "uploads/big.csv"};
  std::vector<std::string> bodies = {pattern_bytes(5 * mib, 1), pattern_bytes(5 * mib, 2), pattern_bytes(5 * mib, 3),
                                     pattern_bytes(1024, 4)};
  auto id = up.create();
  std::vector<std::pair<int, std::string>> parts;
  // Out of order on the wire, as parallel uploaders do.
  for (int number : {2, 1, 4, 3}) parts.emplace_back(number, up.part(id, number, bodies[number - 1]));
  std::sort(parts.begin(), parts.end());
  CHECK(parts[0].second == "\"" + md5_hex(bodies[0]) + "\"");

  auto listed = up.send("GET", "?uploadId=" + id);
  CHECK(listed.status == 200);
  CHECK(listed.body.find("<PartNumber>4</PartNumber>") != std::string::npos);

  auto done = up.complete(id, parts);
  REQUIRE(done.status == 200);
  std::string md5s;
  std::string whole;
  for (const auto& body : bodies) {
    md5s += raw_md5(body);
    whole += body;
  }
  auto expected_etag = "\"" + md5_hex(md5s) + "-4\"";
  CHECK(done.body.find("<ETag>&quot;" + md5_hex(md5s) + "-4&quot;</ETag>") != std::string::npos);

  auto fetched = up.send("GET", "");
  REQUIRE(fetched.status == 200);
  CHECK(fetched.body.size() == whole.size());
  CHECK(fetched.body == whole);
  CHECK(fetched.header("etag") == expected_etag);
  // The upload is gone once completed.
  CHECK(up.send("GET", "?uploadId=" + id).error_code() == "NoSuchUpload");
}

TEST_CASE("complete rejects small parts, wrong ETags, bad order and unknown uploads") {
  S3TestServer s3;
  Uploader up{s3, s3.store.issue_credentials("kbc-files", "", 1h), "m.bin"};
  auto id = up.create();
  auto small = up.part(id, 1, pattern_bytes(1024, 1));
  auto last = up.part(id, 2, pattern_bytes(1024, 2));

  auto too_small = up.complete(id, {{1, small}, {2, last}});
  CHECK(too_small.status == 400);
  CHECK(too_small.error_code() == "EntityTooSmall");

  auto wrong_etag = up.complete(id, {{1, "\"00000000000000000000000000000000\""}});
  CHECK(wrong_etag.status == 400);
  CHECK(wrong_etag.error_code() == "InvalidPart");

  auto missing_part = up.complete(id, {{7, small}});
  CHECK(missing_part.error_code() == "InvalidPart");

  auto order = up.complete(id, {{2, last}, {1, small}});
  CHECK(order.status == 400);
  CHECK(order.error_code() == "InvalidPartOrder");

  CHECK(up.send("POST", "?uploadId=" + id, "<nonsense/>").error_code() == "MalformedXML");
  CHECK(up.complete("no-such-upload", {{1, small}}).status == 404);
  CHECK_FALSE(s3.store.exists("kbc-files", "m.bin"));

  // A single small part is a valid (last) part.
  auto one = up.complete(id, {{1, small}});
  CHECK(one.status == 200);
  CHECK(s3.store.size_of("kbc-files", "m.bin") == 1024);
}

TEST_CASE("abort discards the upload and its parts") {
  S3TestServer s3;
  Uploader up{s3, s3.store.issue_credentials("kbc-files", "", 1h), "aborted.bin"};
  auto id = up.create();
  auto etag = up.part(id, 1, pattern_bytes(2048));
  CHECK(up.send("DELETE", "?uploadId=" + id).status == 204);
  auto after = up.complete(id, {{1, etag}});
  CHECK(after.status == 404);
  CHECK(after.error_code() == "NoSuchUpload");
  CHECK(up.send("DELETE", "?uploadId=" + id).status == 404);
  CHECK(std::filesystem::is_empty(s3.dir.path() / "s3" / ".uploads"));
}
