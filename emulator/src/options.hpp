#pragma once
// The emulator's command-line settings (see docs/emulator.md).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace kbc::emulator {

struct EmulatorOptions {
  std::filesystem::path seed;        // empty: no regions/projects beyond the default region
  int port = 0;                      // 0: free ports; else region i on port+i, S3 on port+regions, GCS after S3
  std::string host = "127.0.0.1";
  std::filesystem::path data_dir;    // empty: a private temp dir removed on exit
  std::filesystem::path ready_file;
  std::string manage_token;          // empty: Manage API disabled
  bool faults = false;               // /_emulator/* admin endpoints
  int job_delay_ms = 20;
  std::uint64_t slice_size = 64ull * 1024 * 1024;
  std::string log_level = "info";
  int job_workers = 4;
  // Azure regions: the blob service (azurite) their files live in, and its account.
  std::string azure_blob_endpoint;  // empty: a seed with an azure region is refused
  std::string azure_account = "devstoreaccount1";
  std::string azure_account_key =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";  // azurite's dev key
  std::uint64_t azure_block_size = 4ull * 1024 * 1024;  // exports: Put Blob up to this, else Put Block of it
};

}  // namespace kbc::emulator
