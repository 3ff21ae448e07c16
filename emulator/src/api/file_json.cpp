#include "api/file_json.hpp"

#include "api/api_error.hpp"
#include "api/run_id.hpp"
#include "util/time_format.hpp"

namespace kbc::emulator {

using nlohmann::json;

azure::AzureBlobStore& azure_store(Services& services) {
  if (!services.azure) throw ApiError(500, "storage.fileStorageUnavailable", "The emulator has no Azure blob endpoint.");
  return *services.azure;
}

json file_json(Services& services, const FileRecord& file, const FileStorage& storage,
               std::chrono::seconds azure_url_ttl) {
  auto read_key = file.is_sliced ? file.s3_key + "manifest" : file.s3_key;
  const bool gcp = storage.provider == "gcp";
  const bool abs = storage.provider == "azure";
  std::string url;
  if (abs) {
    auto& blobs = azure_store(services);
    auto container = azure_container(file);
    url = blobs.blob_url(container, read_key, blobs.signer().container_sas(container, "rl", azure_url_ttl));
  } else {
    url = gcp ? services.gcs->sign_get_url(storage.bucket, read_key, storage.region, kSignedUrlTtl)
              : services.files.presign_get(storage.bucket, read_key, kSignedUrlTtl);
  }
  // apiary "List Files": creatorToken {id (a number here), description}.
  json creator = nullptr;
  if (file.creator_token_id) {
    if (auto token = services.store.find_token(file.project_id, *file.creator_token_id)) {
      creator = {{"id", token->id}, {"description", token->description}};
    }
  }
  return {{"id", file.id},
          {"created", format_datetime(file.created)},
          {"isPublic", file.is_public},
          {"isSliced", file.is_sliced},
          // Azure always encrypts (apiary.apib, files/prepare isEncrypted).
          {"isEncrypted", abs || file.is_encrypted},
          {"name", file.name},
          {"url", url},
          {"provider", storage.provider},
          // aws: the region clients sign S3 requests with (the file storage's own); gcp: the
          // bucket's region, the project's.
          {"region", gcp || abs ? storage.region : services.files.region()},
          {"sizeBytes", file.size_bytes ? json(*file.size_bytes) : json(nullptr)},
          {"tags", file.tags},
          // A permanent file has none (PHP CommonFileTest testEmptyFileUpload).
          {"maxAgeDays", file.max_age_days == 0 ? json(nullptr) : json(file.max_age_days)},
          {"fileType", "csv"},
          {"runId", file.run_id ? json(*file.run_id) : json(nullptr)},
          // The run id and its parents: the ids the file list's runId filter matches.
          {"runIds", file.run_id ? json(run_id_hierarchy(*file.run_id)) : json::array()},
          // On the emulator clock (apiary.apib lists isExpired with the file fields of event
          // attachments); expired files leave the file list unless showExpired.
          {"isExpired", file.expired(services.clock.now_seconds())},
          {"creatorToken", creator}};
}

}  // namespace kbc::emulator
