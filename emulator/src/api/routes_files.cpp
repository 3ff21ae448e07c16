// Storage API files: prepare an upload (temporary S3 credentials, a GCS bearer token in a gcp
// region, or a container SAS in an azure region, for the file's key), refresh them, and the
// file detail (read credentials and a signed URL), on the emulator's S3 or GCS endpoint or the
// Azure blob service (azurite) the emulator is pointed at.
#include <httplib.h>

#include <algorithm>

#include "api/api_error.hpp"
#include "api/auth.hpp"
#include "api/file_json.hpp"
#include "api/http_util.hpp"
#include "api/lookup.hpp"
#include "api/params.hpp"
#include "api/routes.hpp"
#include "api/run_id.hpp"
#include "api/serialize.hpp"
#include "api/table_operations.hpp"
#include "util/time_format.hpp"

namespace kbc::emulator {

using nlohmann::json;

namespace {

constexpr std::chrono::seconds kUploadCredentialsTtl{3600};
constexpr std::chrono::seconds kDownloadCredentialsTtl{12 * 3600};
constexpr std::chrono::seconds kGcsDownloadTokenTtl{3600};  // Google access tokens last 1 h
constexpr std::chrono::seconds kRefreshWindow{12 * 3600};

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

json abs_credentials_json(Services& services, const azure::Sas& sas) {
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(sas.expiry.time_since_epoch()).count();
  return {{"SASConnectionString", azure_store(services).connection_string(sas)}, {"expiration", format_datetime(seconds)}};
}

// Bearer token answers as gcsUploadParams / gcsCredentials carry them.
json gcs_token_json(Services& services, const GcsToken& token) {
  auto left = std::chrono::duration_cast<std::chrono::seconds>(token.expiration - std::chrono::system_clock::now()).count();
  return {{"access_token", token.access_token},
          {"expires_in", std::max<std::int64_t>(0, left)},
          {"token_type", "Bearer"},
          {"projectId", services.gcs_project_id}};
}

// The upload block of files/prepare (and of files/{id}/refresh): fresh credentials for the key.
void add_upload_params(Services& services, const FileRecord& file, const FileStorage& storage, json& out) {
  if (storage.provider == "azure") {
    auto& blobs = azure_store(services);
    auto container = azure_container(file);
    blobs.create_container(container);  // one container per file; the SAS is scoped to it
    out["absUploadParams"] = {
        {"blobName", file.s3_key},
        {"accountName", blobs.account()},
        {"container", container},
        {"absCredentials",
         abs_credentials_json(services, blobs.signer().container_sas(container, "rwl", credentials_ttl(kAzureSasTtl)))}};
    return;
  }
  if (storage.provider == "gcp") {
    auto params = gcs_token_json(services, services.gcs->issue_token(storage.bucket, file.s3_key,
                                                                     credentials_ttl(kUploadCredentialsTtl)));
    params["bucket"] = storage.bucket;
    params["key"] = file.s3_key;
    out["gcsUploadParams"] = params;
    return;
  }
  auto credentials = services.files.issue_credentials(storage.bucket, file.s3_key, credentials_ttl(kUploadCredentialsTtl));
  out["uploadParams"] = {{"bucket", storage.bucket},
                         {"key", file.s3_key},
                         {"acl", "private"},
                         {"x-amz-server-side-encryption", file.is_encrypted ? json("AES256") : json(nullptr)},
                         {"credentials", credentials_json(credentials)}};
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
    // Repeated tags are kept once, in order (PHP CommonFileTest testsDuplicateTagsShouldBeDeduped).
    for (auto& tag : params.list("tags")) {
      if (std::find(file.tags.begin(), file.tags.end(), tag) == file.tags.end()) file.tags.push_back(std::move(tag));
    }
    file.max_age_days = params.boolean("isPermanent") ? 0 : 15;
    file.created = services.clock.now_seconds();
    file.creator_token_id = caller.token.id;
    file.run_id = request_run_id();
    file.s3_key = "pending";
    file = services.store.insert_file(file);
    auto storage = file_storage_of(services, file.project_id);
    file.s3_key = object_key(storage, file, file.is_sliced);
    services.store.update_file(file);

    auto out = file_json(services, file, storage);
    add_upload_params(services, file, storage, out);
    record_event(services, caller.token, "storage.fileUploadPrepared", "File " + file.name + " prepared", "file",
                 std::to_string(file.id));
    send_json(res, 201, out);
  }));

  server.Get(R"(/v2/storage/files/(\d+))", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    auto file = require_file(services, caller, std::stoll(req.matches[1].str()));
    auto params = Params::from(req);
    auto storage = file_storage_of(services, file.project_id);
    if (storage.provider == "azure") {
      // The fault (if any) makes both the url's SAS and absCredentials expired.
      auto ttl = credentials_ttl(kAzureSasTtl);
      auto out = file_json(services, file, storage, ttl);
      auto& blobs = azure_store(services);
      auto container = azure_container(file);
      out["absPath"] = {{"container", container}, {"name", file.s3_key}};
      if (params.boolean("federationToken")) {
        out["absCredentials"] = abs_credentials_json(services, blobs.signer().container_sas(container, "rl", ttl));
      }
      send_json(res, 200, out);
      return;
    }
    auto out = file_json(services, file, storage);
    if (storage.provider == "gcp") {
      out["gcsPath"] = {{"bucket", storage.bucket}, {"key", file.s3_key}};
      if (params.boolean("federationToken")) {
        out["gcsCredentials"] = gcs_token_json(
            services, services.gcs->issue_token(storage.bucket, file.s3_key, credentials_ttl(kGcsDownloadTokenTtl)));
      }
    } else {
      out["s3Path"] = {{"bucket", storage.bucket}, {"key", file.s3_key}};
      if (params.boolean("federationToken")) {
        out["credentials"] = credentials_json(services.files.issue_credentials(
            storage.bucket, file.s3_key, credentials_ttl(kDownloadCredentialsTtl)));
      }
    }
    send_json(res, 200, out);
  }));

  // Fresh upload credentials for a prepared file (PHP RefreshFileCredentialsWrapper reads
  // gcsUploadParams of the answer), for up to 12 h after the file was prepared.
  server.Put(R"(/v2/storage/files/(\d+)/refresh)", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    auto id = std::stoll(req.matches[1].str());
    auto file = services.store.find_file(caller.project.id, id);
    if (!file) throw not_found("File " + std::to_string(id) + " not found", "storage.files.notFound");
    if (!caller.token.is_master && file->creator_token_id != caller.token.id) {
      throw access_denied("You don't have access to the resource. File " + std::to_string(id) + ".");
    }
    if (services.clock.now_seconds() - file->created > kRefreshWindow.count()) {
      throw ApiError(422, "storage.files.credentialsRefreshExpired",
                     "Credentials of file " + std::to_string(id) + " can be refreshed for 12 hours after it was prepared.");
    }
    auto storage = file_storage_of(services, file->project_id);
    auto out = file_json(services, *file, storage);
    add_upload_params(services, *file, storage, out);
    send_json(res, 200, out);
  }));
}

}  // namespace kbc::emulator
