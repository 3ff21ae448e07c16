// Injected faults on the emulator's S3 endpoint, each observed by a real HTTP client:
// error statuses (503 SlowDown with Retry-After), delays, dropped connections, truncated
// downloads and credentials that expire under the client.
#include <catch2/catch.hpp>

#include <chrono>

#include "s3_test_server.hpp"

using namespace kbc::test::s3;
using kbc::emulator::Fault;
using namespace std::chrono_literals;

namespace {
struct Fixture {
  S3TestServer s3;
  kbc::emulator::S3Credentials creds = s3.store.issue_credentials("kbc-files", "", 1h);
  std::string body = pattern_bytes(3 * 1024 * 1024);
  std::string url = s3.object_url("kbc-files", "f/data.csv");

  Fixture() {
    Call put;
    put.method = "PUT";
    put.url = url;
    put.credentials = creds;
    put.body = body;
    REQUIRE(perform(put).status == 200);
  }
  Reply get() const {
    Call call;
    call.url = url;
    call.credentials = creds;
    call.timeout_seconds = 20;
    return perform(call);
  }
  void add(Fault::Action action, std::function<void(Fault&)> tweak = {}) {
    Fault fault;
    fault.action = action;
    fault.target = "s3";
    fault.method = "GET";
    fault.path_regex = "^/kbc-files/f/";
    if (tweak) tweak(fault);
    s3.faults.add(fault);
  }
};
}  // namespace

TEST_CASE("an injected 503 is S3's SlowDown with Retry-After, once per count") {
  Fixture f;
  f.add(Fault::Action::status, [](Fault& fault) {
    fault.status = 503;
    fault.retry_after_seconds = 2;
    fault.count = 2;
  });
  for (int i = 0; i < 2; ++i) {
    auto reply = f.get();
    CHECK(reply.status == 503);
    CHECK(reply.error_code() == "SlowDown");
    CHECK(reply.header("retry-after") == "2");
  }
  CHECK(f.get().body == f.body);
  CHECK(f.s3.faults.fired() == 2);
}

TEST_CASE("faults only hit the S3 target, method and path they name") {
  Fixture f;
  f.add(Fault::Action::status, [](Fault& fault) { fault.path_regex = "^/kbc-files/elsewhere/"; });
  f.add(Fault::Action::status, [](Fault& fault) { fault.target = "storage"; });
  f.add(Fault::Action::status, [](Fault& fault) { fault.method = "PUT"; });
  CHECK(f.get().status == 200);
  CHECK(f.s3.faults.fired() == 0);
}

TEST_CASE("an injected delay holds the answer back, then answers normally") {
  Fixture f;
  f.add(Fault::Action::delay, [](Fault& fault) { fault.delay_ms = 600; });
  auto start = std::chrono::steady_clock::now();
  auto reply = f.get();
  CHECK(std::chrono::steady_clock::now() - start >= 600ms);
  CHECK(reply.status == 200);
  CHECK(reply.body == f.body);
}

TEST_CASE("a dropped connection gives the client no answer at all") {
  Fixture f;
  f.add(Fault::Action::drop);
  auto reply = f.get();
  CHECK(reply.curl_code == CURLE_GOT_NOTHING);
  CHECK(reply.status == 0);
  CHECK(f.get().status == 200);  // the next request is served again
}

TEST_CASE("a truncated download announces the full length and sends only the first bytes") {
  Fixture f;
  f.add(Fault::Action::truncate, [](Fault& fault) { fault.truncate_after = 100'000; });
  auto reply = f.get();
  CHECK(reply.status == 200);
  CHECK(reply.header("content-length") == std::to_string(f.body.size()));
  CHECK(reply.curl_code == CURLE_PARTIAL_FILE);
  CHECK(reply.body.size() == 100'000);
  CHECK(reply.body == f.body.substr(0, 100'000));
}

TEST_CASE("expire_credentials makes the request's credentials expired from then on") {
  Fixture f;
  auto other = f.s3.store.issue_credentials("kbc-files", "", 1h);
  f.add(Fault::Action::expire_credentials);
  auto reply = f.get();
  CHECK(reply.status == 400);
  CHECK(reply.error_code() == "ExpiredToken");
  CHECK(f.get().error_code() == "ExpiredToken");
  Call with_other;
  with_other.url = f.url;
  with_other.credentials = other;
  CHECK(perform(with_other).status == 200);
}

TEST_CASE("an injected shrink makes HEAD and GET see a shorter object, ranges included") {
  Fixture f;
  f.add(Fault::Action::shrink, [](Fault& fault) {
    fault.method = "";
    fault.truncate_after = 100;
    fault.count = 3;
  });
  Call head;
  head.method = "HEAD";
  head.url = f.url;
  head.credentials = f.creds;
  const auto headed = perform(head);
  CHECK(headed.status == 200);
  CHECK(headed.header("content-length") == "100");
  CHECK(f.get().body == f.body.substr(0, 100));
  Call ranged;
  ranged.url = f.url;
  ranged.credentials = f.creds;
  ranged.headers = {"Range: bytes=200-299"};
  CHECK(perform(ranged).status == 416);  // beyond the shrunk end
  CHECK(f.get().body == f.body);         // count used up: the object is whole again
}

TEST_CASE("an injected shrink to 0 makes the object empty") {
  Fixture f;
  f.add(Fault::Action::shrink, [](Fault& fault) { fault.truncate_after = 0; });
  const auto reply = f.get();
  CHECK(reply.status == 200);
  CHECK(reply.body.empty());
}

TEST_CASE("an injected replace_body answers the given body, with {bucket} and {prefix} filled in") {
  Fixture f;
  f.add(Fault::Action::replace_body, [](Fault& fault) {
    fault.body = R"({"entries":[{"url":"s3://{bucket}/{prefix}part0"}]})";
  });
  const auto reply = f.get();
  CHECK(reply.status == 200);
  CHECK(reply.body == R"({"entries":[{"url":"s3://kbc-files/f/data.csvpart0"}]})");
  CHECK(f.s3.faults.fired() == 1);
}
