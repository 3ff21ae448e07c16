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
};

}  // namespace kbc::emulator
