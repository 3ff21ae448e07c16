#pragma once
// The one fixture every test uses to run kbc-storage-emulator: starts it on free loopback
// ports (--port 0), waits (bounded) for its --ready-file, stops it with SIGTERM (SIGKILL after
// a grace period) in the destructor. Never a fixed port.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace kbc::test {

class EmulatorProcess {
 public:
  struct Options {
    std::filesystem::path seed;             // --seed FILE (empty: emulator's built-in empty state)
    std::vector<std::string> extra_args;    // e.g. {"--faults", "--job-delay-ms", "50"}
    // How long to wait for the ready file (a generated GiB seed table takes a while).
    // The environment variable KBC_EMULATOR_START_TIMEOUT (seconds) overrides it when larger.
    int start_timeout_seconds = 60;
  };
  explicit EmulatorProcess(Options options);
  ~EmulatorProcess();
  EmulatorProcess(const EmulatorProcess&) = delete;
  EmulatorProcess& operator=(const EmulatorProcess&) = delete;

  // Storage API base URL of a region from the seed, e.g. "http://127.0.0.1:41234".
  std::string url(const std::string& region) const;
  // The S3-compatible file storage endpoint (what AWS_ENDPOINT_URL_S3 must point at).
  std::string s3_url() const;
  // The GCS JSON API endpoint (what STORAGE_EMULATOR_HOST must point at).
  std::string gcs_url() const { return gcs_url_; }
  const std::map<std::string, std::string>& region_urls() const { return regions_; }
  int pid() const { return pid_; }
  // The emulator's stdout+stderr (request log), for diagnosing a failed test.
  std::filesystem::path log_file() const { return work_dir_ / "emulator.log"; }
  std::string log_tail(std::size_t max_bytes = 4000) const;

 private:
  int pid_ = -1;
  std::filesystem::path work_dir_;
  std::map<std::string, std::string> regions_;
  std::string s3_url_;
  std::string gcs_url_;
};

// A fresh empty directory under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace kbc::test
