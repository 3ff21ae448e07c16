#pragma once
#include <memory>

#include "kbc_storage_extract/transfer/object_store.hpp"

namespace kbc::transfer::s3 {

// The S3 implementation of ObjectStore (open_object_store picks it for AwsAccess).
std::unique_ptr<ObjectStore> make_store(const AwsAccess& access, const ObjectStoreOptions& options);

}  // namespace kbc::transfer::s3
