// The emulator's GCS JSON API endpoint over HTTP, with tokens from files/prepare in a gcp
// region: auth errors, metadata, downloads (whole, ranged, signed URL), simple, multipart and
// resumable uploads (alignment, status query, resume after a cut chunk, cancel), faults.
#include <catch2/catch.hpp>

#include "gcs_test_support.hpp"

using namespace kbc::test;
using namespace kbc::test::gcs;
using nlohmann::json;

namespace {

struct Fixture {
  TempDir dir;
  EmulatorProcess emulator{{write_seed(dir, gcp_seed()), {"--faults", "--job-delay-ms", "1"}}};
  std::string gcs = gcs_url(emulator);
  StorageTestClient master{emulator.url(kGcpRegion), kMasterGcp};

  void fault(const json& fault) const {
    auto response = http_request("POST", emulator.url(kGcpRegion) + "/_emulator/faults", fault.dump(),
                                 {"Content-Type: application/json"});
    REQUIRE(response.status == 201);
  }
};

}  // namespace

TEST_CASE("gcs: a missing, unknown or expired token is 401 and one outside its prefix 403, with GCS error bodies") {
  Fixture f;
  auto file = prepare(f.master, "a.csv");
  REQUIRE(upload_media(f.gcs, file.token, file.bucket, file.key, "id\n1\n").status == 200);

  auto missing = get_object(f.gcs, "", file.bucket, file.key, false);
  CHECK(missing.status == 401);
  CHECK(reason_of(missing) == "required");
  auto body = json::parse(missing.body);
  CHECK(body["error"]["code"] == 401);
  CHECK(body["error"]["errors"][0]["domain"] == "global");
  CHECK(body["error"]["errors"][0]["locationType"] == "header");

  auto unknown = get_object(f.gcs, "ya29.not-a-token-of-this-emulator", file.bucket, file.key, false);
  CHECK(unknown.status == 401);
  CHECK(reason_of(unknown) == "authError");
  CHECK(json::parse(unknown.body)["error"]["message"] == "Invalid Credentials");

  auto outside = get_object(f.gcs, file.token, file.bucket, "exp-15/5/files/someone-else.csv", false);
  CHECK(outside.status == 403);
  CHECK(reason_of(outside) == "forbidden");
  CHECK(upload_media(f.gcs, file.token, file.bucket, "elsewhere/x.csv", "x").status == 403);
  CHECK(get_object(f.gcs, file.token, "another-bucket", file.key, false).status == 403);

  // The expire_credentials fault on files/prepare: the token it hands out is expired already.
  f.fault({{"action", "expire_credentials"}, {"method", "POST"}, {"pathRegex", "files/prepare"}});
  auto expired = prepare(f.master, "b.csv");
  CHECK(expired.answer["gcsUploadParams"]["expires_in"] == 0);
  auto refused = upload_media(f.gcs, expired.token, expired.bucket, expired.key, "x");
  CHECK(refused.status == 401);
  CHECK(reason_of(refused) == "authError");

  // The admin call expires every file storage credential, GCS tokens included.
  REQUIRE(get_object(f.gcs, file.token, file.bucket, file.key, false).status == 200);
  REQUIRE(http_request("POST", f.emulator.url(kGcpRegion) + "/_emulator/credentials/expire", "").status == 200);
  CHECK(get_object(f.gcs, file.token, file.bucket, file.key, false).status == 401);

  // A gcs-target expire_credentials fault expires the token of the request it hits.
  auto fresh = prepare(f.master, "c.csv");
  REQUIRE(upload_media(f.gcs, fresh.token, fresh.bucket, fresh.key, "x").status == 200);
  f.fault({{"action", "expire_credentials"}, {"target", "gcs"}, {"method", "GET"}});
  CHECK(get_object(f.gcs, fresh.token, fresh.bucket, fresh.key, false).status == 401);
  CHECK(get_object(f.gcs, fresh.token, fresh.bucket, fresh.key, false).status == 401);
}

TEST_CASE("gcs: metadata, whole and ranged download, 416, list and delete") {
  Fixture f;
  auto file = prepare(f.master, "data.csv", true);  // a prefix: several objects under it
  auto content = pattern(300 * 1024);
  auto stored = upload_media(f.gcs, file.token, file.bucket, file.key + "part1.csv", content);
  REQUIRE(stored.status == 200);
  REQUIRE(upload_media(f.gcs, file.token, file.bucket, file.key + "part2.csv", "x").status == 200);

  auto meta = get_object(f.gcs, file.token, file.bucket, file.key + "part1.csv", false);
  REQUIRE(meta.status == 200);
  auto resource = meta.json();
  CHECK(resource == stored.json());
  CHECK(resource["kind"] == "storage#object");
  CHECK(resource["name"] == file.key + "part1.csv");
  CHECK(resource["bucket"] == kBucket);
  CHECK(resource["size"] == std::to_string(content.size()));
  CHECK(resource["contentType"] == "text/csv");
  CHECK(resource["md5Hash"].get<std::string>().size() == 24);
  CHECK(resource["crc32c"].get<std::string>().size() == 8);
  CHECK(resource["generation"].is_string());
  CHECK(resource.contains("updated"));

  auto whole = get_object(f.gcs, file.token, file.bucket, file.key + "part1.csv", true);
  CHECK(whole.status == 200);
  CHECK(whole.body == content);
  CHECK(whole.headers["x-goog-hash"] == "crc32c=" + resource["crc32c"].get<std::string>() + ",md5=" +
                                            resource["md5Hash"].get<std::string>());
  // The official client's download path (/download/storage/v1/...) serves the same.
  auto download = http_request("GET", f.gcs + "/download/storage/v1/b/" + file.bucket + "/o/" +
                                          encode(file.key + "part1.csv") + "?alt=media", {}, bearer(file.token));
  CHECK(download.body == content);

  auto ranged = get_object(f.gcs, file.token, file.bucket, file.key + "part1.csv", true, {"Range: bytes=1000-1999"});
  CHECK(ranged.status == 206);
  CHECK(ranged.headers["content-range"] == "bytes 1000-1999/" + std::to_string(content.size()));
  CHECK(ranged.body == content.substr(1000, 1000));
  auto tail = get_object(f.gcs, file.token, file.bucket, file.key + "part1.csv", true, {"Range: bytes=-10"});
  CHECK(tail.body == content.substr(content.size() - 10));
  auto beyond = get_object(f.gcs, file.token, file.bucket, file.key + "part1.csv", true, {"Range: bytes=999999-"});
  CHECK(beyond.status == 416);
  CHECK(reason_of(beyond) == "requestedRangeNotSatisfiable");

  auto list = http_request("GET", f.gcs + "/storage/v1/b/" + file.bucket + "/o?prefix=" + encode(file.key), {},
                           bearer(file.token));
  REQUIRE(list.status == 200);
  auto items = list.json()["items"];
  REQUIRE(items.size() == 2);
  CHECK(items[0]["name"] == file.key + "part1.csv");
  auto page = http_request("GET", f.gcs + "/storage/v1/b/" + file.bucket + "/o?maxResults=1&prefix=" + encode(file.key),
                           {}, bearer(file.token)).json();
  REQUIRE(page.contains("nextPageToken"));
  auto next = http_request("GET", f.gcs + "/storage/v1/b/" + file.bucket + "/o?maxResults=1&prefix=" + encode(file.key) +
                                      "&pageToken=" + encode(page["nextPageToken"]), {}, bearer(file.token)).json();
  CHECK(next["items"][0]["name"] == file.key + "part2.csv");
  CHECK_FALSE(next.contains("nextPageToken"));
  CHECK(http_request("GET", f.gcs + "/storage/v1/b/" + file.bucket + "/o?prefix=exp-15/", {}, bearer(file.token)).status == 403);

  auto del = http_request("DELETE", f.gcs + "/storage/v1/b/" + file.bucket + "/o/" + encode(file.key + "part2.csv"), {},
                          bearer(file.token));
  CHECK(del.status == 204);
  auto gone = get_object(f.gcs, file.token, file.bucket, file.key + "part2.csv", false);
  CHECK(gone.status == 404);
  CHECK(reason_of(gone) == "notFound");
  CHECK(json::parse(gone.body)["error"]["message"] == "No such object: " + file.bucket + "/" + file.key + "part2.csv");
}

TEST_CASE("gcs: multipart upload keeps the metadata part, and checks md5Hash") {
  Fixture f;
  auto file = prepare(f.master, "m.csv");
  std::string media = "id,name\n1,\"a, b\"\n";
  auto multipart = [&](const json& metadata) {
    std::string body = "--b0undary\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n" + metadata.dump() +
                       "\r\n--b0undary\r\nContent-Type: text/csv\r\n\r\n" + media + "\r\n--b0undary--\r\n";
    return http_request("POST", f.gcs + "/upload/storage/v1/b/" + file.bucket + "/o?uploadType=multipart", body,
                        bearer(file.token, {"Content-Type: multipart/related; boundary=b0undary"}));
  };
  auto stored = multipart({{"name", file.key}, {"metadata", {{"origin", "test"}}}});
  REQUIRE(stored.status == 200);
  CHECK(stored.json()["metadata"]["origin"] == "test");
  CHECK(stored.json()["contentType"] == "text/csv");
  CHECK(get_object(f.gcs, file.token, file.bucket, file.key, true).body == media);

  auto wrong = multipart({{"name", file.key}, {"md5Hash", "AAAAAAAAAAAAAAAAAAAAAA=="}});
  CHECK(wrong.status == 400);
  CHECK(reason_of(wrong) == "invalid");
  CHECK(multipart({{"name", "outside.csv"}}).status == 403);
}

TEST_CASE("gcs: resumable uploads follow the chunk rules, answer status queries and can be cancelled") {
  Fixture f;
  auto file = prepare(f.master, "r.csv");
  constexpr std::size_t K256 = 256 * 1024;
  auto content = pattern(2 * K256 + 1000);
  auto session = start_resumable(f.gcs, file.token, file.bucket, file.key);
  CHECK(session.rfind(f.gcs + "/upload/storage/v1/b/" + file.bucket + "/o?uploadType=resumable", 0) == 0);

  // Nothing persisted yet: 308 without Range.
  auto query = put_chunk(session, "bytes */*", "");
  CHECK(query.status == 308);
  CHECK(query.headers.count("range") == 0);

  // An intermediate chunk that is not a multiple of 256 KiB is refused.
  auto odd = put_chunk(session, "bytes 0-999/*", content.substr(0, 1000));
  CHECK(odd.status == 400);
  CHECK(json::parse(odd.body)["error"]["message"].get<std::string>().find("262144") != std::string::npos);

  auto first = put_chunk(session, "bytes 0-" + std::to_string(K256 - 1) + "/*", content.substr(0, K256));
  CHECK(first.status == 308);
  CHECK(first.headers["range"] == "bytes=0-" + std::to_string(K256 - 1));

  // A chunk beyond the persisted offset: GCS's 503.
  auto gap = put_chunk(session, "bytes " + std::to_string(2 * K256) + "-" + std::to_string(3 * K256 - 1) + "/*",
                       content.substr(0, K256));
  CHECK(gap.status == 503);
  CHECK(gap.body.find("exceeds already uploaded size of 262144") != std::string::npos);

  // A chunk overlapping what is persisted: the known bytes are skipped.
  auto overlap = put_chunk(session, "bytes 0-" + std::to_string(2 * K256 - 1) + "/*", content.substr(0, 2 * K256));
  CHECK(overlap.status == 308);
  CHECK(overlap.headers["range"] == "bytes=0-" + std::to_string(2 * K256 - 1));

  // Finalizing with a total the session does not hold: still incomplete.
  auto early = put_chunk(session, "bytes */" + std::to_string(content.size()), "");
  CHECK(early.status == 308);

  auto last = put_chunk(session, "bytes " + std::to_string(2 * K256) + "-" + std::to_string(content.size() - 1) + "/" +
                                     std::to_string(content.size()),
                        content.substr(2 * K256));
  REQUIRE(last.status == 200);
  CHECK(last.json()["size"] == std::to_string(content.size()));
  CHECK(last.json()["contentType"] == "text/csv");
  CHECK(get_object(f.gcs, file.token, file.bucket, file.key, true).body == content);
  // A finished session answers with the object again.
  CHECK(put_chunk(session, "bytes */*", "").status == 200);

  // Cancel: 499, then the session is gone and no object appeared.
  auto other = prepare(f.master, "cancelled.csv");
  auto doomed = start_resumable(f.gcs, other.token, other.bucket, other.key);
  REQUIRE(put_chunk(doomed, "bytes 0-" + std::to_string(K256 - 1) + "/*", content.substr(0, K256)).status == 308);
  CHECK(http_request("DELETE", doomed).status == 499);
  CHECK(put_chunk(doomed, "bytes */*", "").status == 404);
  CHECK(get_object(f.gcs, other.token, other.bucket, other.key, false).status == 404);

  // A session for a name outside the token's prefix is refused at start.
  auto refused = http_request("POST", f.gcs + "/upload/storage/v1/b/" + file.bucket + "/o?uploadType=resumable&name=x.csv",
                              "", bearer(file.token));
  CHECK(refused.status == 403);
}

TEST_CASE("gcs: a chunk cut mid-way keeps whole 256 KiB blocks and the client queries and resumes") {
  Fixture f;
  auto file = prepare(f.master, "cut.csv");
  constexpr std::size_t K256 = 256 * 1024;
  auto content = pattern(4 * K256 + 77, 3);
  auto session = start_resumable(f.gcs, file.token, file.bucket, file.key);
  // The connection breaks after 700 KiB of a 1 MiB chunk: 512 KiB stay persisted.
  f.fault({{"action", "truncate"}, {"target", "gcs"}, {"method", "PUT"}, {"truncateAfter", 700 * 1024}});
  auto cut = put_chunk(session, "bytes 0-" + std::to_string(4 * K256 - 1) + "/*", content.substr(0, 4 * K256));
  CHECK(cut.status == 0);

  auto query = put_chunk(session, "bytes */*", "");
  REQUIRE(query.status == 308);
  CHECK(query.headers["range"] == "bytes=0-" + std::to_string(2 * K256 - 1));

  auto rest = put_chunk(session, "bytes " + std::to_string(2 * K256) + "-" + std::to_string(content.size() - 1) + "/" +
                                     std::to_string(content.size()),
                        content.substr(2 * K256));
  REQUIRE(rest.status == 200);
  CHECK(get_object(f.gcs, file.token, file.bucket, file.key, true).body == content);

  // A drop before any byte: nothing persisted, no Range.
  auto other = prepare(f.master, "cut2.csv");
  auto second = start_resumable(f.gcs, other.token, other.bucket, other.key);
  f.fault({{"action", "drop"}, {"target", "gcs"}, {"method", "PUT"}});
  CHECK(put_chunk(second, "bytes 0-" + std::to_string(K256 - 1) + "/*", content.substr(0, K256)).status == 0);
  auto empty = put_chunk(second, "bytes */*", "");
  CHECK(empty.status == 308);
  CHECK(empty.headers.count("range") == 0);
}

TEST_CASE("gcs: status, delay and truncate faults hit the GCS listener") {
  Fixture f;
  auto file = prepare(f.master, "f.csv");
  auto content = pattern(200 * 1024);
  REQUIRE(upload_media(f.gcs, file.token, file.bucket, file.key, content).status == 200);

  f.fault({{"action", "status"}, {"target", "gcs"}, {"status", 503}, {"retryAfterSeconds", 2}});
  auto unavailable = get_object(f.gcs, file.token, file.bucket, file.key, true);
  CHECK(unavailable.status == 503);
  CHECK(unavailable.headers["retry-after"] == "2");
  CHECK(reason_of(unavailable) == "backendError");

  f.fault({{"action", "truncate"}, {"target", "gcs"}, {"method", "GET"}, {"truncateAfter", 1000}});
  auto cut = get_object(f.gcs, file.token, file.bucket, file.key, true);
  CHECK(cut.headers["content-length"] == std::to_string(content.size()));
  CHECK(cut.body == content.substr(0, 1000));
  CHECK_FALSE(cut.transport_error.empty());

  f.fault({{"action", "delay"}, {"target", "gcs"}, {"delayMs", 300}});
  auto start = std::chrono::steady_clock::now();
  CHECK(get_object(f.gcs, file.token, file.bucket, file.key, true).body == content);
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(300));

  // Storage-target faults leave the GCS listener alone.
  f.fault({{"action", "status"}, {"target", "storage"}, {"pathRegex", "^/never$"}});
  CHECK(get_object(f.gcs, file.token, file.bucket, file.key, false).status == 200);
  CHECK(http_request("GET", f.emulator.url(kGcpRegion) + "/_emulator/faults").json()["fired"] == 3);
}

TEST_CASE("gcs: the file detail url is a V4 signed URL that downloads without a token and cannot be altered") {
  Fixture f;
  auto file = prepare(f.master, "signed.csv");
  auto content = pattern(5000);
  REQUIRE(upload_media(f.gcs, file.token, file.bucket, file.key, content).status == 200);
  auto detail = f.master.get("/v2/storage/files/" + std::to_string(file.id)).json();
  auto url = detail["url"].get<std::string>();
  for (const char* part : {"X-Goog-Algorithm=GOOG4-HMAC-SHA256", "X-Goog-Credential=", "X-Goog-Date=", "X-Goog-Expires=3600",
                           "X-Goog-SignedHeaders=host", "X-Goog-Signature="}) {
    CHECK(url.find(part) != std::string::npos);
  }
  CHECK(url.rfind(f.gcs + "/" + file.bucket + "/", 0) == 0);
  CHECK(url.find("%2Feurope-west3%2Fstorage%2Fgoog4_request") != std::string::npos);
  auto signed_get = http_request("GET", url);
  CHECK(signed_get.status == 200);
  CHECK(signed_get.body == content);
  auto ranged = http_request("GET", url, {}, {"Range: bytes=10-19"});
  CHECK(ranged.status == 206);
  CHECK(ranged.body == content.substr(10, 10));

  auto tampered = url;
  tampered.replace(tampered.find("X-Goog-Expires=3600"), 19, "X-Goog-Expires=3601");
  auto refused = http_request("GET", tampered);
  CHECK(refused.status == 403);
  CHECK(refused.body.find("<Code>SignatureDoesNotMatch</Code>") != std::string::npos);
  auto other_object = url;
  other_object.insert(other_object.find('?'), "x");
  CHECK(http_request("GET", other_object).status == 403);
}
