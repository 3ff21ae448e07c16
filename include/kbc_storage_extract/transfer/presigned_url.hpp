#pragma once
// Objects read through a pre-signed (or public) URL, as a Storage file detail's `url` gives
// them, no credentials needed. The `key` given to size()/read() is the URL itself, so
// copy_object(reader, detail.url, destination, key, …) works unchanged. Read-only.
#include <memory>

#include "kbc_storage_extract/transfer/object_store.hpp"

namespace kbc::transfer {

std::unique_ptr<ObjectStore> open_presigned_url_reader(const ObjectStoreOptions& options = {});

}  // namespace kbc::transfer
