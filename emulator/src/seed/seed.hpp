#pragma once
// The seed file (docs/emulator.md "Seed format"): regions, and projects with tokens, buckets
// and tables whose rows are inline, CSV (inline or a file next to the seed) or generated.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kbc::emulator {

struct Services;

struct Seed {
  nlohmann::json document;
  std::filesystem::path directory;  // csvFile paths are relative to it
  std::vector<std::string> regions;  // in listener order
  std::map<std::string, std::string> providers;  // region -> "aws" | "gcp" | "azure"
  // Reads and checks the shape; throws std::runtime_error naming the JSON path at fault.
  static Seed read(const std::filesystem::path& file);
  static Seed empty();
};

// Creates the seed's projects, buckets, tables (rows streamed in) and tokens.
void apply_seed(const Seed& seed, Services& services);

}  // namespace kbc::emulator
