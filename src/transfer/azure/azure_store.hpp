#pragma once
#include <memory>

#include "kbc_storage_extract/transfer/object_store.hpp"

namespace kbc::transfer::azure {

// The Azure Blob implementation of ObjectStore (open_object_store picks it for AzureAccess).
Result<std::unique_ptr<ObjectStore>> make_store(const AzureAccess& access, const ObjectStoreOptions& options);

}  // namespace kbc::transfer::azure
