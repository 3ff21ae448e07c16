#pragma once
#include <memory>

#include "kbc_storage_extract/transfer/object_store.hpp"

namespace kbc::transfer::gcs {

// The GCS implementation of ObjectStore (open_object_store picks it for GcsAccess).
std::unique_ptr<ObjectStore> make_store(const GcsAccess& access, const ObjectStoreOptions& options);

}  // namespace kbc::transfer::gcs
