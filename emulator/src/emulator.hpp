#pragma once
// The whole emulator: one Storage API listener per region, one shared S3 listener, the
// databases and job workers behind them. start() returns once every listener accepts.
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "options.hpp"

namespace kbc::emulator {

class Emulator {
 public:
  explicit Emulator(EmulatorOptions options);
  ~Emulator();
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  // Loads the seed, binds and starts every listener, writes --ready-file. Returns the ready
  // JSON {"regions":{name:url},"s3":url,"gcs":url}. Throws std::runtime_error on a bad seed or port.
  nlohmann::json start();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kbc::emulator
