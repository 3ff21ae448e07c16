// http::Client against a real HTTP server on loopback (cpp-httplib in a thread): streamed
// bodies both ways, byte-exact gzip, truncated answers and refused connections as transient
// errors, a refusing sink as cancelled.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "kbc_storage_extract/http/client.hpp"

using namespace kbc;
using namespace kbc::http;

namespace {

// An httplib server on a free loopback port, listening in its own thread for the test's lifetime.
class LoopbackServer {
 public:
  LoopbackServer() {
    port_ = server.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~LoopbackServer() {
    server.stop();
    thread_.join();
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  httplib::Server server;

 private:
  int port_ = 0;
  std::thread thread_;
};

Request request_to(std::string method, std::string url) {
  Request request;
  request.method = std::move(method);
  request.url = std::move(url);
  return request;
}

std::string pattern(std::size_t size) {
  std::string data(size, '\0');
  for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<char>((i * 131 + i / 7) & 0xFF);
  return data;
}

}  // namespace

TEST_CASE("http client: GET returns status, lower-cased headers and the body") {
  LoopbackServer peer;
  peer.server.Get("/hello", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Request-Id", "abc");
    res.set_content("{\"ok\":true}", "application/json");
  });
  Client client;
  auto response = client.send(request_to("GET", peer.url("/hello")));
  REQUIRE(response.ok());
  CHECK(response->status == 200);
  CHECK(response->body == "{\"ok\":true}");
  CHECK(response->header("x-request-id") == "abc");
  CHECK(response->header("Content-Type") == "application/json");
}

TEST_CASE("http client: a streamed PUT sends exactly upload_length bytes from the source") {
  LoopbackServer peer;
  std::string received;
  std::string content_length;
  peer.server.Put("/object", [&](const httplib::Request& req, httplib::Response& res) {
    received = req.body;
    content_length = req.get_header_value("Content-Length");
    res.status = 200;
  });
  const auto data = pattern(3 * 1024 * 1024 + 17);
  std::size_t offset = 0;
  auto request = request_to("PUT", peer.url("/object"));
  request.upload_length = data.size();
  request.upload_source = [&](char* buffer, std::size_t capacity) {
    const auto n = std::min(capacity, data.size() - offset);
    std::copy_n(data.data() + offset, n, buffer);
    offset += n;
    return n;
  };
  Client client;
  auto response = client.send(request);
  REQUIRE(response.ok());
  CHECK(response->status == 200);
  CHECK(content_length == std::to_string(data.size()));
  CHECK(received == data);
}

TEST_CASE("http client: a POST sends its small body") {
  LoopbackServer peer;
  peer.server.Post("/form", [](const httplib::Request& req, httplib::Response& res) { res.set_content("got " + req.body, "text/plain"); });
  Client client;
  auto request = request_to("POST", peer.url("/form"));
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  request.body = "a=1&b=2";
  auto response = client.send(request);
  REQUIRE(response.ok());
  CHECK(response->body == "got a=1&b=2");
}

TEST_CASE("http client: a 2xx body streams to the sink byte-exact, gzip not decoded") {
  LoopbackServer peer;
  const auto data = pattern(5 * 1024 * 1024);
  peer.server.Get("/data.csv.gz", [&](const httplib::Request&, httplib::Response& res) {
    res.set_header("Content-Encoding", "gzip");  // the bytes are not gzip: a decoder would fail
    res.set_content(data, "application/octet-stream");
  });
  std::string received;
  auto request = request_to("GET", peer.url("/data.csv.gz"));
  request.download_sink = [&](const char* bytes, std::size_t size) {
    received.append(bytes, size);
    return true;
  };
  Client client;
  auto response = client.send(request);
  REQUIRE(response.ok());
  CHECK(response->status == 200);
  CHECK(response->body.empty());
  CHECK(received == data);
}

TEST_CASE("http client: an error answer goes to Response::body, capped, never to the sink") {
  LoopbackServer peer;
  peer.server.Get("/missing", [](const httplib::Request&, httplib::Response& res) {
    res.status = 404;
    res.set_content(std::string(200 * 1024, 'x'), "text/plain");
  });
  bool sink_called = false;
  auto request = request_to("GET", peer.url("/missing"));
  request.download_sink = [&](const char*, std::size_t) { return sink_called = true; };
  Client client;
  auto response = client.send(request);
  REQUIRE(response.ok());
  CHECK(response->status == 404);
  CHECK_FALSE(sink_called);
  CHECK(response->body.size() == 64 * 1024);
}

TEST_CASE("http client: a body cut short is a transient error with the URL redacted") {
  LoopbackServer peer;
  peer.server.Get("/cut", [](const httplib::Request&, httplib::Response& res) {
    res.set_content_provider(1000, "text/plain", [](std::size_t offset, std::size_t, httplib::DataSink& sink) {
      if (offset > 0) return false;  // close the connection after 100 of 1000 bytes
      sink.write(std::string(100, 'a').data(), 100);
      return true;
    });
  });
  auto request = request_to("GET", peer.url("/cut?X-Amz-Signature=topsecret"));
  request.download_sink = [](const char*, std::size_t) { return true; };
  Client client;
  auto response = client.send(request);
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().kind == ErrorKind::transient);
  CHECK(response.error().retryable());
  CHECK(response.error().message.find("topsecret") == std::string::npos);
  CHECK(response.error().message.find("X-Amz-Signature=***") != std::string::npos);
}

TEST_CASE("http client: a refused connection is a transient error") {
  // A port the kernel just handed out and that was closed again: nobody listens there.
  const int sock = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  REQUIRE(::bind(sock, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(::getsockname(sock, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  const int free_port = ntohs(address.sin_port);
  ::close(sock);
  Client client;
  auto response = client.send(request_to("GET", "http://127.0.0.1:" + std::to_string(free_port) + "/"));
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().kind == ErrorKind::transient);
}

TEST_CASE("http client: a sink returning false cancels the download") {
  LoopbackServer peer;
  peer.server.Get("/big", [](const httplib::Request&, httplib::Response& res) { res.set_content(std::string(4 << 20, 'z'), "text/plain"); });
  auto request = request_to("GET", peer.url("/big"));
  request.download_sink = [](const char*, std::size_t) { return false; };
  Client client;
  auto response = client.send(request);
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().kind == ErrorKind::cancelled);
  // The handle stays usable for the next request.
  peer.server.Get("/small", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
  auto next = client.send(request_to("GET", peer.url("/small")));
  REQUIRE(next.ok());
  CHECK(next->body == "ok");
}

TEST_CASE("http client: HEAD answers without a body and requests from several threads share the client") {
  LoopbackServer peer;
  std::atomic<int> served{0};
  peer.server.Get("/n", [&](const httplib::Request& req, httplib::Response& res) {
    ++served;
    res.set_content(req.get_param_value("i"), "text/plain");
  });
  Client client;
  auto head = client.send(request_to("HEAD", peer.url("/n?i=1")));
  REQUIRE(head.ok());
  CHECK(head->status == 200);
  CHECK(head->body.empty());
  std::atomic<int> correct{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const auto value = std::to_string(t * 100 + i);
        auto r = client.send(request_to("GET", peer.url("/n?i=" + value)));
        if (r.ok() && r->body == value) ++correct;
      }
    });
  for (auto& thread : threads) thread.join();
  CHECK(correct == 100);
}

TEST_CASE("http client: sequential requests reuse one kept-alive connection") {
  LoopbackServer peer;
  peer.server.set_keep_alive_max_count(100);  // httplib closes after 5 requests by default
  std::mutex mutex;
  std::set<int> client_ports;
  peer.server.Get("/ping", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex);
    client_ports.insert(req.remote_port);
    res.set_content("pong", "text/plain");
  });
  Client client;
  for (int i = 0; i < 10; ++i) {
    auto response = client.send(request_to("GET", peer.url("/ping")));
    REQUIRE(response.ok());
    CHECK(response->body == "pong");
  }
  CHECK(client_ports.size() == 1);
}

TEST_CASE("http client: an answer kept in memory larger than its bound stops the request, not the machine") {
  LoopbackServer server;
  server.server.Get("/huge", [](const httplib::Request&, httplib::Response& res) {
    // 8 MiB in 64 KiB pieces, never held whole by the server either.
    res.set_content_provider(8 << 20, "application/json", [](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
      const std::string chunk(std::min<std::size_t>(length, 64 * 1024), offset == 0 ? '[' : ' ');
      return sink.write(chunk.data(), chunk.size());
    });
  });
  Client client;
  auto request = request_to("GET", server.url("/huge"));
  request.max_body_bytes = 1 << 20;
  const auto response = client.send(request);
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().kind == ErrorKind::protocol);
  CHECK(response.error().message.find("larger than 1 MiB") != std::string::npos);
  request.max_body_bytes = 16 << 20;  // the same answer within a larger bound arrives whole
  const auto whole = client.send(request);
  REQUIRE(whole.ok());
  CHECK(whole->body.size() == (8u << 20));
}
