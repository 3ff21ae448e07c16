#include "s3/s3_request.hpp"

#include <cstdlib>

#include "s3/crypto.hpp"
#include "s3/sigv4.hpp"

namespace kbc::emulator::s3 {

namespace {
constexpr std::uint64_t max_drained_body = 64ull * 1024 * 1024;
}

S3Request::S3Request(const httplib::Request& http_request, httplib::Response& http_response,
                     const httplib::ContentReader* body)
    : http(http_request), response(http_response), body_(body) {
  request_id = random_string(16, "0123456789ABCDEF");
  const auto& target = http.target;
  auto question = target.find('?');
  raw_path = target.substr(0, question);
  raw_query = question == std::string::npos ? "" : target.substr(question + 1);
  query = sigv4::parse_query(raw_query);
  // Path-style: /bucket/key (the key may contain '/').
  auto path = sigv4::uri_decode(raw_path);
  if (!path.empty() && path.front() == '/') path.erase(0, 1);
  auto slash = path.find('/');
  bucket = path.substr(0, slash);
  key = slash == std::string::npos ? "" : path.substr(slash + 1);
}

bool S3Request::has_param(const std::string& name) const {
  for (const auto& [n, v] : query) {
    if (n == name) return true;
  }
  return false;
}

std::string S3Request::param(const std::string& name, const std::string& fallback) const {
  for (const auto& [n, v] : query) {
    if (n == name) return v;
  }
  return fallback;
}

bool S3Request::has_body() const {
  return http.has_header("Transfer-Encoding") ||
         std::strtoull(http.get_header_value("Content-Length").c_str(), nullptr, 10) > 0;
}

BodySource S3Request::body_source() {
  body_consumed_ = true;
  // httplib treats a bodyless POST/PUT as a failed read; there is simply nothing to read.
  if (body_ == nullptr || !has_body()) {
    // httplib already read a (small or absent) body into the request.
    return [this](const std::function<bool(const char*, std::size_t)>& sink) {
      return http.body.empty() || sink(http.body.data(), http.body.size());
    };
  }
  return [this](const std::function<bool(const char*, std::size_t)>& sink) {
    return (*body_)([&](const char* data, std::size_t size) { return sink(data, size); });
  };
}

void S3Request::finish_body() {
  if (body_consumed_ || body_ == nullptr || !has_body()) return;
  body_consumed_ = true;
  auto length = std::strtoull(http.get_header_value("Content-Length").c_str(), nullptr, 10);
  if (length > max_drained_body || http.get_header_value("Transfer-Encoding") == "chunked") {
    response.set_header("Connection", "close");
    return;
  }
  (*body_)([](const char*, std::size_t) { return true; });
}

void S3Request::send_error(const S3Error& error) {
  response.status = error.status;
  if (error.retry_after_seconds > 0) response.set_header("Retry-After", std::to_string(error.retry_after_seconds));
  if (http.method == "HEAD") {
    // S3 answers HEAD errors with the status alone.
    response.body.clear();
    return;
  }
  response.set_content(error_xml(error, request_id), "application/xml");
}

void S3Request::send_xml(int status, const std::string& xml) {
  response.status = status;
  response.set_content(std::string(xml_declaration) + xml, "application/xml");
}

}  // namespace kbc::emulator::s3
