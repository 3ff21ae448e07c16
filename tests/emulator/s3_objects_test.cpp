// PutObject, GetObject (whole and ranged), HeadObject, DeleteObject and ListObjectsV2 on the
// emulator's S3 endpoint, signed by libcurl's own SigV4 implementation.
#include <catch2/catch.hpp>

#include <algorithm>
#include <thread>

#include "s3_test_server.hpp"

using namespace kbc::test::s3;
using namespace std::chrono_literals;

namespace {
Reply put(S3TestServer& s3, const kbc::emulator::S3Credentials& creds, const std::string& key, const std::string& body,
          std::vector<std::string> headers = {}) {
  Call call;
  call.method = "PUT";
  call.url = s3.object_url("kbc-files", key);
  call.credentials = creds;
  call.body = body;
  call.headers = std::move(headers);
  return perform(call);
}

Reply get(const kbc::emulator::S3Credentials& creds, const std::string& url,
          std::vector<std::string> headers = {}, const std::string& method = "GET") {
  Call call;
  call.method = method;
  call.url = url;
  call.credentials = creds;
  call.headers = std::move(headers);
  return perform(call);
}
}  // namespace

TEST_CASE("put then get returns the exact bytes with an MD5 ETag") {
  S3TestServer s3;
  auto creds = s3.store.issue_credentials("kbc-files", "exports/", 1h);
  auto body = pattern_bytes(300'000);
  // text/csv is a type httplib would gzip for a client that accepts it; objects must come back as stored.
  auto stored = put(s3, creds, "exports/123/data.csv.gz", body, {"Content-Type: text/csv"});
  REQUIRE(stored.status == 200);
  CHECK(stored.header("etag") == "\"" + md5_hex(body) + "\"");
  CHECK(s3.store.exists("kbc-files", "exports/123/data.csv.gz"));
  CHECK(s3.store.size_of("kbc-files", "exports/123/data.csv.gz") == body.size());

  auto fetched = get(creds, s3.object_url("kbc-files", "exports/123/data.csv.gz"), {"Accept-Encoding: gzip"});
  REQUIRE(fetched.status == 200);
  CHECK(fetched.body == body);
  CHECK(fetched.header("etag") == stored.header("etag"));
  CHECK(fetched.header("content-encoding").empty());  // never re-compressed
  CHECK(fetched.header("content-type") == "text/csv");
  CHECK(fetched.header("content-length") == std::to_string(body.size()));
}

TEST_CASE("ranged gets answer 206 with Content-Range, and 416 beyond the end") {
  S3TestServer s3;
  auto creds = s3.store.issue_credentials("kbc-files", "", 1h);
  auto body = pattern_bytes(1000);
  REQUIRE(put(s3, creds, "r.bin", body).status == 200);
  auto url = s3.object_url("kbc-files", "r.bin");

  auto middle = get(creds, url, {"Range: bytes=10-19"});
  CHECK(middle.status == 206);
  CHECK(middle.body == body.substr(10, 10));
  CHECK(middle.header("content-range") == "bytes 10-19/1000");

  auto open_end = get(creds, url, {"Range: bytes=990-"});
  CHECK(open_end.status == 206);
  CHECK(open_end.body == body.substr(990));

  auto suffix = get(creds, url, {"Range: bytes=-5"});
  CHECK(suffix.status == 206);
  CHECK(suffix.body == body.substr(995));
  CHECK(suffix.header("content-range") == "bytes 995-999/1000");

  auto clamped = get(creds, url, {"Range: bytes=900-5000"});
  CHECK(clamped.status == 206);
  CHECK(clamped.body == body.substr(900));

  auto beyond = get(creds, url, {"Range: bytes=1000-1010"});
  CHECK(beyond.status == 416);
  CHECK(beyond.error_code() == "InvalidRange");
}

TEST_CASE("head reports size and ETag without a body, missing keys are NoSuchKey") {
  S3TestServer s3;
  auto creds = s3.store.issue_credentials("kbc-files", "", 1h);
  auto body = pattern_bytes(4321);
  REQUIRE(put(s3, creds, "h.bin", body).status == 200);
  auto head = get(creds, s3.object_url("kbc-files", "h.bin"), {}, "HEAD");
  CHECK(head.status == 200);
  CHECK(head.header("content-length") == "4321");
  CHECK(head.header("etag") == "\"" + md5_hex(body) + "\"");
  CHECK(head.body_bytes == 0);

  auto missing = get(creds, s3.object_url("kbc-files", "nope.bin"));
  CHECK(missing.status == 404);
  CHECK(missing.error_code() == "NoSuchKey");
  CHECK(get(creds, s3.object_url("kbc-files", "nope.bin"), {}, "HEAD").status == 404);
}

TEST_CASE("delete removes the object and answers 204 even when it is gone") {
  S3TestServer s3;
  auto creds = s3.store.issue_credentials("kbc-files", "", 1h);
  REQUIRE(put(s3, creds, "d/x.csv", "a,b\n").status == 200);
  auto url = s3.object_url("kbc-files", "d/x.csv");
  CHECK(get(creds, url, {}, "DELETE").status == 204);
  CHECK_FALSE(s3.store.exists("kbc-files", "d/x.csv"));
  CHECK(get(creds, url).status == 404);
  CHECK(get(creds, url, {}, "DELETE").status == 204);
}

TEST_CASE("ListObjectsV2 lists a prefix in pages with continuation tokens") {
  S3TestServer s3;
  auto creds = s3.store.issue_credentials("kbc-files", "", 1h);
  for (const auto* key : {"slices/a/part001", "slices/a/part002", "slices/a/part003", "slices/a/manifest", "slices/b/x",
                          "other.csv"}) {
    REQUIRE(put(s3, creds, key, std::string("data of ") + key).status == 200);
  }
  // libcurl 7.88 signs the query as written, so tests write it canonical (sorted, encoded).
  auto list_url = [&](const std::string& token) {
    return s3.url() + "/kbc-files?" + (token.empty() ? "" : "continuation-token=" + token + "&") +
           "list-type=2&max-keys=2&prefix=slices%2Fa%2F";
  };
  auto page1 = get(creds, list_url(""));
  INFO(page1.body);
  REQUIRE(page1.status == 200);
  CHECK(page1.body.find("<Key>slices/a/manifest</Key>") != std::string::npos);
  CHECK(page1.body.find("<Key>slices/a/part001</Key>") != std::string::npos);
  CHECK(page1.body.find("<KeyCount>2</KeyCount>") != std::string::npos);
  CHECK(page1.body.find("<IsTruncated>true</IsTruncated>") != std::string::npos);
  auto open = page1.body.find("<NextContinuationToken>") + 23;
  auto token = page1.body.substr(open, page1.body.find("</NextContinuationToken>") - open);

  auto page2 = get(creds, list_url(token));
  REQUIRE(page2.status == 200);
  CHECK(page2.body.find("<Key>slices/a/part002</Key>") != std::string::npos);
  CHECK(page2.body.find("<Key>slices/a/part003</Key>") != std::string::npos);
  CHECK(page2.body.find("<IsTruncated>false</IsTruncated>") != std::string::npos);
  CHECK(page2.body.find("slices/b/x") == std::string::npos);
  CHECK(page2.body.find("<Size>") != std::string::npos);

  auto folders = get(creds, s3.url() + "/kbc-files?delimiter=%2F&list-type=2&prefix=slices%2F");
  CHECK(folders.body.find("<CommonPrefixes><Prefix>slices/a/</Prefix></CommonPrefixes>") != std::string::npos);
  CHECK(folders.body.find("<CommonPrefixes><Prefix>slices/b/</Prefix></CommonPrefixes>") != std::string::npos);
}

TEST_CASE("keys that would leave the bucket's folder are refused") {
  S3TestServer s3;
  auto creds = s3.store.issue_credentials("kbc-files", "", 1h);
  Call call;
  call.method = "PUT";
  call.url = s3.url() + "/kbc-files/a/%2E%2E/%2E%2E/escape";
  call.credentials = creds;
  call.body = "x";
  auto reply = perform(call);
  CHECK(reply.status >= 400);
  CHECK_FALSE(std::filesystem::exists(s3.dir.path() / "escape"));
  CHECK_THROWS(s3.store.path_of("kbc-files", "../x"));
}

TEST_CASE("parallel uploads and downloads of many objects all come back intact") {
  S3TestServer s3;
  auto creds = s3.store.issue_credentials("kbc-files", "", 1h);
  constexpr int transfers = 24;
  std::vector<int> statuses(transfers * 2, 0);
  std::vector<char> intact(transfers, 0);  // not vector<bool>: threads write neighbouring elements
  std::vector<std::thread> threads;
  for (int i = 0; i < transfers; ++i) {
    threads.emplace_back([&, i] {
      auto key = "parallel/" + std::to_string(i) + ".bin";
      auto body = pattern_bytes(1024 * 1024 + static_cast<std::size_t>(i), static_cast<unsigned>(i + 1));
      const auto stored = put(s3, creds, key, body);
      statuses[static_cast<std::size_t>(2 * i)] = stored.status != 0 ? static_cast<int>(stored.status) : -static_cast<int>(stored.curl_code);
      auto back = get(creds, s3.object_url("kbc-files", key));
      statuses[static_cast<std::size_t>(2 * i + 1)] = static_cast<int>(back.status);
      intact[static_cast<std::size_t>(i)] = back.body == body;
    });
  }
  for (auto& thread : threads) thread.join();
  std::string seen;
  for (int status : statuses) seen += std::to_string(status) + " ";
  INFO("statuses (PUT GET per transfer): " << seen);
  CHECK(std::all_of(statuses.begin(), statuses.end(), [](int status) { return status == 200; }));
  CHECK(std::all_of(intact.begin(), intact.end(), [](char ok) { return ok != 0; }));
  CHECK(s3.store.list("kbc-files", "parallel/").size() == transfers);
}
