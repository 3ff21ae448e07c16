#include "s3/file_store.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "faults.hpp"
#include "s3/request_auth.hpp"
#include "s3/router.hpp"
#include "s3/sigv4.hpp"
#include "s3/store_state.hpp"

namespace kbc::emulator {

namespace {
// Enough workers for many parallel transfers plus idle keep-alive connections (each holds one).
constexpr std::size_t server_threads = 64;
}  // namespace

struct FileStore::Impl {
  Impl(std::filesystem::path root, std::string region, FaultInjector& faults)
      : state(std::move(root), std::move(region), faults) {}
  s3::StoreState state;
};

FileStore::FileStore(std::filesystem::path root, std::string region, FaultInjector& faults)
    : impl_(std::make_unique<Impl>(std::move(root), std::move(region), faults)) {}

FileStore::~FileStore() = default;

void FileStore::mount(httplib::Server& server, std::string public_url) {
  while (!public_url.empty() && public_url.back() == '/') public_url.pop_back();
  impl_->state.public_url = std::move(public_url);
  server.new_task_queue = [] { return new httplib::ThreadPool(server_threads); };
  server.set_keep_alive_max_count(1000);
  // Uploads are streamed to disk, so no size limit applies to them (S3's own: 5 GiB per PUT).
  server.set_payload_max_length(std::numeric_limits<std::size_t>::max());
  auto& state = impl_->state;
  auto plain = [&state](const httplib::Request& request, httplib::Response& response) {
    s3::serve(state, request, response, nullptr);
  };
  auto streamed = [&state](const httplib::Request& request, httplib::Response& response,
                           const httplib::ContentReader& body) { s3::serve(state, request, response, &body); };
  // Any path: keys may hold any character, and the router parses the raw target itself.
  const std::string any = R"([\s\S]*)";
  server.Get(any, plain);
  server.Put(any, streamed);
  server.Put(any, plain);
  server.Post(any, streamed);
  server.Post(any, plain);
  server.Delete(any, streamed);
  server.Delete(any, plain);
  server.set_expect_100_continue_handler([&state](const httplib::Request& request, httplib::Response& response) {
    return s3::check_before_body(state, request, response);
  });
  server.set_logger([](const httplib::Request& request, const httplib::Response& response) {
    // The path only: query strings of pre-signed URLs carry credentials.
    spdlog::info("s3 {} {} {}", request.method, request.path, response.status);
  });
}

S3Credentials FileStore::issue_credentials(const std::string& bucket, const std::string& key_prefix,
                                           std::chrono::seconds ttl) {
  return impl_->state.credentials.issue(bucket, key_prefix, ttl);
}

void FileStore::expire_all_credentials() { impl_->state.credentials.expire_all(); }

std::vector<std::string> FileStore::issued_secrets() const { return impl_->state.credentials.issued_secrets(); }

std::size_t FileStore::open_multipart_uploads() const { return impl_->state.uploads.count(); }

std::string FileStore::presign_get(const std::string& bucket, const std::string& key, std::chrono::seconds ttl) {
  using namespace s3;
  const auto& state = impl_->state;
  ttl = std::clamp(ttl, std::chrono::seconds(1), std::chrono::seconds(max_presigned_expires_seconds));
  // A credential of its own, good for this one object only, living as long as the URL.
  auto credential = impl_->state.credentials.issue(bucket, key, ttl, true);
  auto now = std::chrono::system_clock::now();
  auto amz_date = format_amz_date(now);
  auto date = amz_date.substr(0, 8);
  auto scope = sigv4::scope(date, state.region, "s3");
  auto path = "/" + sigv4::uri_encode(bucket, true) + "/" + sigv4::uri_encode(key, false);
  auto authority = state.public_url.substr(state.public_url.find("://") + 3);
  authority = authority.substr(0, authority.find('/'));
  std::string query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" +
                      sigv4::uri_encode(credential.access_key_id + "/" + scope, true) + "&X-Amz-Date=" + amz_date +
                      "&X-Amz-Expires=" + std::to_string(ttl.count()) +
                      "&X-Amz-Security-Token=" + sigv4::uri_encode(credential.session_token, true) +
                      "&X-Amz-SignedHeaders=host";
  sigv4::CanonicalRequest canonical{"GET", sigv4::canonical_uri(path), sigv4::canonical_query(query),
                                    {{"host", authority}}, std::string(sigv4::unsigned_payload)};
  auto key_bytes = sigv4::signing_key(credential.secret_access_key, date, state.region, "s3");
  auto signature = sigv4::signature(key_bytes, sigv4::string_to_sign(amz_date, scope, canonical.text()));
  return state.public_url + path + "?" + query + "&X-Amz-Signature=" + signature;
}

std::filesystem::path FileStore::path_of(const std::string& bucket, const std::string& key) const {
  return impl_->state.objects.object_path(bucket, key);
}

bool FileStore::exists(const std::string& bucket, const std::string& key) const {
  return impl_->state.objects.stat(bucket, key).has_value();
}

std::optional<std::uint64_t> FileStore::size_of(const std::string& bucket, const std::string& key) const {
  auto info = impl_->state.objects.stat(bucket, key);
  if (!info) return std::nullopt;
  return info->size;
}

std::vector<std::string> FileStore::list(const std::string& bucket, const std::string& prefix) const {
  return impl_->state.objects.keys(bucket, prefix);
}

std::filesystem::path FileStore::prepare_write(const std::string& bucket, const std::string& key) {
  auto path = path_of(bucket, key);
  std::filesystem::create_directories(path.parent_path());
  return path;
}

const std::string& FileStore::region() const { return impl_->state.region; }

s3::ObjectFiles& FileStore::objects() { return impl_->state.objects; }

}  // namespace kbc::emulator
