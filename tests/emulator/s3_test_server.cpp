#include "s3_test_server.hpp"

#include "listener.hpp"

#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <random>
#include <stdexcept>

#include "s3/sigv4.hpp"

namespace kbc::test::s3 {

ScratchDir::ScratchDir() {
  auto base = std::filesystem::temp_directory_path();
  std::random_device random;
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto candidate = base / ("kbc-s3-test-" + std::to_string(::getpid()) + "-" + std::to_string(random()));
    if (std::filesystem::create_directory(candidate)) {
      path_ = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a scratch dir");
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

S3TestServer::S3TestServer() : store(dir.path() / "s3", test_region, faults) {
  int port = emulator::bind_listener(server_, "127.0.0.1", 0);
  if (port <= 0) throw std::runtime_error("cannot bind a loopback port");
  url_ = "http://127.0.0.1:" + std::to_string(port);
  store.mount(server_, url_);
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

S3TestServer::~S3TestServer() {
  server_.stop();
  thread_.join();
}

std::string S3TestServer::object_url(const std::string& bucket, const std::string& key) const {
  return url_ + "/" + bucket + "/" + emulator::s3::sigv4::uri_encode(key, false);
}

std::string Reply::error_code() const {
  auto open = body.find("<Code>");
  auto close = body.find("</Code>");
  if (open == std::string::npos || close == std::string::npos) return "";
  return body.substr(open + 6, close - open - 6);
}

namespace {
struct Transfer {
  const Call* call;
  Reply* reply;
  std::size_t upload_offset = 0;
};

std::size_t on_write(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  auto n = size * count;
  t->reply->body_bytes += n;
  if (t->call->download && t->reply->status / 100 == 2) return t->call->download(data, n) ? n : 0;
  t->reply->body.append(data, n);
  return n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    t->reply->status = std::stol(line.substr(9, 3));
    t->reply->headers.clear();
  } else if (auto colon = line.find(':'); colon != std::string::npos) {
    auto name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    value.erase(value.find_last_not_of("\r\n ") + 1);
    t->reply->headers[name] = value;
  }
  return size * count;
}

std::size_t on_read(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  auto room = size * count;
  if (t->call->upload) return t->call->upload(buffer, room);
  const auto& body = *t->call->body;
  auto n = std::min(room, body.size() - t->upload_offset);
  std::copy_n(body.data() + t->upload_offset, n, buffer);
  t->upload_offset += n;
  return n;
}
}  // namespace

Reply perform(const Call& call) {
  Reply reply;
  Transfer transfer{&call, &reply};
  CURL* curl = curl_easy_init();
  curl_slist* headers = nullptr;
  for (const auto& h : call.headers) headers = curl_slist_append(headers, h.c_str());
  std::string userpwd;
  std::string provider = "aws:amz:" + call.region + ":s3";
  if (call.credentials) {
    userpwd = call.credentials->access_key_id + ":" + call.credentials->secret_access_key;
    curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, provider.c_str());
    curl_easy_setopt(curl, CURLOPT_USERPWD, userpwd.c_str());
    if (call.send_token) {
      headers = curl_slist_append(headers, ("x-amz-security-token: " + call.credentials->session_token).c_str());
    }
    auto hash = call.payload_hash;
    if (hash.empty()) hash = call.body ? sha256_hex(*call.body) : call.upload ? "UNSIGNED-PAYLOAD" : sha256_hex("");
    headers = curl_slist_append(headers, ("x-amz-content-sha256: " + hash).c_str());
  }
  const bool has_body = call.body.has_value() || static_cast<bool>(call.upload);
  if (has_body) {
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE,
                     static_cast<curl_off_t>(call.upload ? call.upload_size : call.body->size()));
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(curl, CURLOPT_READDATA, &transfer);
    bool expect_given = std::any_of(call.headers.begin(), call.headers.end(),
                                    [](const std::string& h) { return h.rfind("Expect", 0) == 0; });
    if (!expect_given) headers = curl_slist_append(headers, "Expect:");
  }
  if (call.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (call.method != "GET" && !(call.method == "PUT" && has_body)) {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, call.method.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_URL, call.url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, call.timeout_seconds);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  reply.curl_code = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return reply;
}

namespace {
std::string digest_hex(const std::string& data, const EVP_MD* md) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), out, &size, md, nullptr);
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex.push_back(digits[out[i] >> 4]);
    hex.push_back(digits[out[i] & 0xF]);
  }
  return hex;
}
}  // namespace

std::string sha256_hex(const std::string& data) { return digest_hex(data, EVP_sha256()); }

std::pair<std::vector<std::string>, std::string> sign_by_hand(
    const S3TestServer& s3, const emulator::S3Credentials& creds, const std::string& method, const std::string& path,
    const std::string& amz_date, const std::string& payload_hash,
    const std::vector<std::pair<std::string, std::string>>& signed_extra) {
  namespace sigv4 = emulator::s3::sigv4;
  auto date = amz_date.substr(0, 8);
  auto scope = sigv4::scope(date, test_region, "s3");
  auto key = sigv4::signing_key(creds.secret_access_key, date, test_region, "s3");
  sigv4::CanonicalRequest canonical{method, path, "", signed_extra, payload_hash};
  canonical.headers.emplace_back("host", s3.url().substr(std::string("http://").size()));
  canonical.headers.emplace_back("x-amz-content-sha256", payload_hash);
  canonical.headers.emplace_back("x-amz-date", amz_date);
  canonical.headers.emplace_back("x-amz-security-token", creds.session_token);
  std::sort(canonical.headers.begin(), canonical.headers.end());
  auto signature = sigv4::signature(key, sigv4::string_to_sign(amz_date, scope, canonical.text()));
  std::vector<std::string> headers = {"Authorization: AWS4-HMAC-SHA256 Credential=" + creds.access_key_id + "/" + scope +
                                      ", SignedHeaders=" + canonical.signed_headers() + ", Signature=" + signature};
  for (const auto& [name, value] : canonical.headers) {
    if (name != "host") headers.push_back(name + ": " + value);
  }
  return {headers, signature};
}
std::string md5_hex(const std::string& data) { return digest_hex(data, EVP_md5()); }

std::string pattern_bytes(std::size_t size, unsigned seed) {
  std::string out(size, '\0');
  std::uint32_t x = seed * 2654435761u + 1;
  for (auto& c : out) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x & 0xFF);
  }
  return out;
}

}  // namespace kbc::test::s3
