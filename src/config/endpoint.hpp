#pragma once
// "source" and "destination": where the Storage API is and where its token comes from.
#include <filesystem>
#include <optional>

#include "config/json_reader.hpp"

namespace kbc::config {

// Reads {"region"|"url", "token"} (and "bucket" for the destination) at `path`. The endpoint is
// nullopt when anything is wrong (the problems are in `issues`); `bucket` gets the bucket id.
struct EndpointSide {
  const char* key;                 // "source" or "destination"
  const char* default_token_env;   // KBC_SOURCE_TOKEN / KBC_DESTINATION_TOKEN
  bool has_bucket;                 // the destination names its bucket
};
std::optional<Endpoint> read_endpoint(const json& value, const EndpointSide& side, const std::filesystem::path& config_dir,
                                      Issues& issues, std::string& bucket);

}  // namespace kbc::config
