#include "command_line.hpp"

#include <cstdint>
#include <string>

namespace kbc::emulator {

void define_command_line(CLI::App& app, EmulatorOptions& options) {
  app.description(
      "kbc-storage-emulator: a local Keboola Storage API (subset) with S3- and GCS-compatible file storage and "
      "Azure Blob Storage (azurite)");
  app.set_version_flag("--version", std::string("kbc-storage-emulator ") + KBC_VERSION);
  // No CLI::ExistingFile: a missing seed is reported by Seed::read like any other bad seed.
  app.add_option("--seed", options.seed, "Seed JSON: regions, projects, tokens, buckets, tables")->type_name("FILE");
  app.add_option("--port", options.port, "First port (region i on port+i, S3 after the regions, GCS after S3); 0 = free ports")
      ->check(CLI::Range(0, 65535));
  app.add_option("--host", options.host, "Address to listen on (loopback by default)");
  app.add_option("--data", options.data_dir, "Keep the database and files in DIR (default: a temp dir removed on exit)")
      ->type_name("DIR");
  app.add_option("--ready-file", options.ready_file, "Write the listener URLs as JSON to FILE once all accept")
      ->type_name("FILE");
  app.add_option("--manage-token", options.manage_token, "Enable the Manage API with this X-KBC-ManageApiToken");
  app.add_flag("--faults", options.faults, "Enable the /_emulator/* fault injection and clock endpoints");
  app.add_option("--job-delay-ms", options.job_delay_ms, "Time a job spends waiting and processing (each)")
      ->check(CLI::Range(0, 600000));
  app.add_option("--slice-size", options.slice_size, "Exports larger than this many bytes come sliced")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40));
  app.add_option("--job-workers", options.job_workers, "Jobs run in parallel on this many workers")->check(CLI::Range(1, 64));
  app.add_option("--log-level", options.log_level, "trace, debug, info, warn, error, off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
  app.add_option("--azure-blob-endpoint", options.azure_blob_endpoint,
                 "Blob service of azure regions (azurite), e.g. http://127.0.0.1:10000/devstoreaccount1");
  app.add_option("--azure-account", options.azure_account, "Storage account of --azure-blob-endpoint")
      ->capture_default_str();
  app.add_option("--azure-account-key", options.azure_account_key,
                 "Base64 key of --azure-account (default: azurite's well-known development key)");
  app.add_option("--azure-block-size", options.azure_block_size,
                 "Exports to azure put blobs up to this size at once, larger ones in blocks of it")
      ->check(CLI::Range(std::uint64_t{1024}, std::uint64_t{4000} * 1024 * 1024));
}

}  // namespace kbc::emulator
