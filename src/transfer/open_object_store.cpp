// The registry of file storage backends: one line per provider. Adding a provider is a folder
// src/transfer/<provider>/ with its ObjectStore, its access struct in file_access.hpp (parsed
// in storage_api/parse.cpp), and its line here.
#include "kbc_storage_extract/transfer/object_store.hpp"

#include "azure/azure_store.hpp"
#include "gcs/gcs_store.hpp"
#include "s3/s3_store.hpp"

namespace kbc::transfer {

Result<std::unique_ptr<ObjectStore>> open_object_store(const FileAccess& access, const ObjectStoreOptions& options) {
  switch (provider_of(access)) {
    case Provider::aws: return s3::make_store(std::get<AwsAccess>(access), options);
    case Provider::azure: return azure::make_store(std::get<AzureAccess>(access), options);
    case Provider::gcp: return gcs::make_store(std::get<GcsAccess>(access), options);
  }
  return make_error(ErrorKind::internal, "unknown file storage provider");
}

Result<std::unique_ptr<ObjectStore>> open_object_store(const FileAccess& access) {
  return open_object_store(access, ObjectStoreOptions{});
}

}  // namespace kbc::transfer
