// Storage API files: prepare an upload (temporary S3 credentials for the file's key) and the
// file detail (read credentials and a pre-signed URL), both on the emulator's S3 endpoint.
#include <httplib.h>

#include "api/api_error.hpp"
#include "api/auth.hpp"
#include "api/http_util.hpp"
#include "api/params.hpp"
#include "api/routes.hpp"
#include "api/serialize.hpp"
#include "api/table_operations.hpp"
#include "util/time_format.hpp"

namespace kbc::emulator {

using nlohmann::json;

namespace {

constexpr std::chrono::seconds kUploadCredentialsTtl{3600};
constexpr std::chrono::seconds kDownloadCredentialsTtl{12 * 3600};
constexpr std::chrono::seconds kSignedUrlTtl{3600};

json credentials_json(const S3Credentials& credentials) {
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(credentials.expiration.time_since_epoch()).count();
  return {{"AccessKeyId", credentials.access_key_id},
          {"SecretAccessKey", credentials.secret_access_key},
          {"SessionToken", credentials.session_token},
          {"Expiration", format_datetime(seconds)}};
}

// A fault can make the credentials this request issues expired from the start.
std::chrono::seconds credentials_ttl(std::chrono::seconds normal) {
  auto& faults = current_request_faults();
  if (faults.expire_credentials) {
    faults.expire_credentials.reset();
    return std::chrono::seconds(-60);
  }
  return normal;
}

json file_json(Services& services, const FileRecord& file) {
  auto read_key = file.is_sliced ? file.s3_key + "manifest" : file.s3_key;
  return {{"id", file.id},
          {"created", format_datetime(file.created)},
          {"isPublic", file.is_public},
          {"isSliced", file.is_sliced},
          {"isEncrypted", file.is_encrypted},
          {"name", file.name},
          {"url", services.files.presign_get(services.files_bucket, read_key, kSignedUrlTtl)},
          {"provider", "aws"},
          // The region clients sign S3 requests with: the file storage's own.
          {"region", services.files.region()},
          {"sizeBytes", file.size_bytes ? json(*file.size_bytes) : json(nullptr)},
          {"tags", file.tags},
          {"maxAgeDays", file.max_age_days},
          {"fileType", "csv"},
          {"runId", nullptr},
          {"runIds", json::array()},
          {"creatorToken", nullptr}};
}

}  // namespace

void mount_files(httplib::Server& server, Services& services, const std::string& region) {
  server.Post("/v2/storage/files/prepare", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    auto params = Params::from(req);
    FileRecord file;
    file.project_id = caller.project.id;
    file.name = params.required_string("name");
    file.is_sliced = params.boolean("isSliced");
    file.is_encrypted = params.boolean("isEncrypted");
    file.is_public = params.boolean("isPublic");
    file.size_bytes = params.integer("sizeBytes");
    file.tags = params.list("tags");
    file.max_age_days = params.boolean("isPermanent") ? 0 : 15;
    file.created = services.clock.now_seconds();
    file.creator_token_id = caller.token.id;
    file.s3_key = "pending";
    file = services.store.insert_file(file);
    file.s3_key = file_key(file, file.is_sliced);
    services.store.update_file(file);

    auto credentials = services.files.issue_credentials(services.files_bucket, file.s3_key,
                                                        credentials_ttl(kUploadCredentialsTtl));
    auto out = file_json(services, file);
    out["uploadParams"] = {{"bucket", services.files_bucket},
                           {"key", file.s3_key},
                           {"acl", "private"},
                           {"x-amz-server-side-encryption", file.is_encrypted ? json("AES256") : json(nullptr)},
                           {"credentials", credentials_json(credentials)}};
    if (file.max_age_days == 0) out["maxAgeDays"] = nullptr;
    record_event(services, caller.token, "storage.fileUploadPrepared", "File " + file.name + " prepared", "file",
                 std::to_string(file.id));
    send_json(res, 201, out);
  }));

  server.Get(R"(/v2/storage/files/(\d+))", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    auto id = std::stoll(req.matches[1].str());
    auto file = services.store.find_file(caller.project.id, id);
    if (!file) throw not_found("File " + std::to_string(id) + " not found", "storage.files.notFound");
    bool readable = caller.token.is_master || caller.token.can_read_all_file_uploads ||
                    file->creator_token_id == caller.token.id;
    if (!readable) throw access_denied("You don't have access to the resource. File " + std::to_string(id) + ".");
    auto params = Params::from(req);
    auto out = file_json(services, *file);
    out["s3Path"] = {{"bucket", services.files_bucket}, {"key", file->s3_key}};
    if (params.boolean("federationToken")) {
      out["credentials"] = credentials_json(services.files.issue_credentials(
          services.files_bucket, file->s3_key, credentials_ttl(kDownloadCredentialsTtl)));
    }
    send_json(res, 200, out);
  }));
}

}  // namespace kbc::emulator
