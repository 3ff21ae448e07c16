#pragma once
// What every Storage API route works with: the metadata store, the table rows database, the
// file storage, the job runner, faults and the clock. Owned by Emulator; routes hold a reference.
#include <atomic>
#include <filesystem>
#include <map>
#include <string>

#include "db/database.hpp"
#include "faults.hpp"
#include "jobs/job_runner.hpp"
#include "model/store.hpp"
#include "options.hpp"
#include "azure/azure_blob_store.hpp"
#include "gcs/gcs_store.hpp"
#include "s3/file_store.hpp"
#include "util/clock.hpp"

namespace kbc::emulator {

struct Services {
  const EmulatorOptions& options;
  Clock& clock;
  FaultInjector& faults;
  Store& store;
  db::Database& rows;
  FileStore& files;
  JobRunner& jobs;
  std::filesystem::path staging_dir;            // exports are written here, then moved into the file storage
  std::map<std::string, std::string> region_urls;  // region name -> Storage API base URL
  std::string s3_url;
  std::string files_bucket = "kbc-sapi-files";  // the S3 bucket all project files live in
  // Ids of the SQLite tables holding rows, chosen before a table's metadata is stored.
  std::atomic<std::int64_t> next_storage_id{1};
  // Google Cloud Storage, for projects of regions with provider "gcp".
  GcsStore* gcs = nullptr;
  std::string gcs_url{};
  std::string gcs_bucket = "kbc-gcs-files";       // the GCS bucket all gcp-region project files live in
  std::string gcs_project_id = "kbc-emulator";   // gcsUploadParams.projectId
  std::map<std::string, std::string> region_providers{};  // region name -> "aws" | "gcp" | "azure"
  // Azure Blob Storage (azurite), for projects of regions with provider "azure"; null without
  // --azure-blob-endpoint (then no region is azure).
  azure::AzureBlobStore* azure = nullptr;

  std::string provider_of_region(const std::string& region) const {
    auto it = region_providers.find(region);
    return it == region_providers.end() ? "aws" : it->second;
  }
};

}  // namespace kbc::emulator
