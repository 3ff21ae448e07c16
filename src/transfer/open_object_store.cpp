#include "kbc_storage_extract/transfer/object_store.hpp"

#include "s3/s3_store.hpp"

namespace kbc::transfer {

Result<std::unique_ptr<ObjectStore>> open_object_store(const FileAccess& access, const ObjectStoreOptions& options) {
  if (const auto* aws = std::get_if<AwsAccess>(&access)) return s3::make_store(*aws, options);
  return make_error(ErrorKind::invalid_input,
                    std::string("the project's file storage is on ") + to_string(provider_of(access)) +
                        ", which this version cannot read or write yet",
                    "use projects whose file storage is AWS S3 for now");
}

Result<std::unique_ptr<ObjectStore>> open_object_store(const FileAccess& access) {
  return open_object_store(access, ObjectStoreOptions{});
}

}  // namespace kbc::transfer
