#pragma once
// Where a Storage file's bytes live and the temporary credentials to reach them, as the
// Storage API hands them out (files/prepare uploadParams, file detail with federationToken=1).
// One struct per provider; the copy logic only ever sees FileAccess.
#include <chrono>
#include <string>
#include <variant>

#include "kbc_storage_extract/secret.hpp"

namespace kbc::transfer {

enum class Provider { aws, azure, gcp };
const char* to_string(Provider provider);

struct AwsAccess {
  std::string region;   // e.g. "us-east-1"
  std::string bucket;   // S3 bucket
  std::string access_key_id;
  Secret secret_access_key;
  Secret session_token;
  std::chrono::system_clock::time_point expiration{};
  bool server_side_encryption = false;  // send x-amz-server-side-encryption: AES256 on upload
};

// Azure Blob Storage (absPath/absUploadParams + absCredentials).
struct AzureAccess {
  std::string account;    // absUploadParams.accountName; else taken from the BlobEndpoint
  std::string container;
  Secret sas_connection_string;  // "BlobEndpoint=…;SharedAccessSignature=…"
  std::chrono::system_clock::time_point expiration{};  // absCredentials.expiration
};

// Google Cloud Storage (gcsPath/gcsUploadParams + gcsCredentials): an OAuth bearer token for
// one bucket, lasting about an hour (files/{id}/refresh gives a new one).
struct GcsAccess {
  std::string bucket;
  std::string project_id;
  Secret access_token;
  std::string token_type = "Bearer";
  std::chrono::system_clock::time_point expiration{};  // now + expires_in when parsed
};

using FileAccess = std::variant<AwsAccess, AzureAccess, GcsAccess>;

Provider provider_of(const FileAccess& access);

}  // namespace kbc::transfer
