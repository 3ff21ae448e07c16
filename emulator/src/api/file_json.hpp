#pragma once
// The Storage API file object (apiary.apib "File detail", "List Files"): shared by files/prepare,
// the file detail, refresh and the file list, so that every answer names a file the same way.
#include <chrono>

#include <nlohmann/json.hpp>

#include "api/table_operations.hpp"
#include "azure/azure_blob_store.hpp"
#include "services.hpp"

namespace kbc::emulator {

inline constexpr std::chrono::seconds kSignedUrlTtl{3600};
// Azure SAS tokens (upload rwl, download rl, the url's rl) last 12 h, as in apiary.apib's
// files/prepare example for the Azure provider (st … se twelve hours apart).
inline constexpr std::chrono::seconds kAzureSasTtl{12 * 3600};

// 500 storage.fileStorageUnavailable when the emulator runs without an Azure blob endpoint.
azure::AzureBlobStore& azure_store(Services& services);

// The common fields with a signed `url` (of the manifest when sliced); no credentials.
// `azure_url_ttl`: how long the azure url's SAS lasts (an expire_credentials fault on the
// file detail makes it expired too).
nlohmann::json file_json(Services& services, const FileRecord& file, const FileStorage& storage,
                         std::chrono::seconds azure_url_ttl = kAzureSasTtl);

}  // namespace kbc::emulator
