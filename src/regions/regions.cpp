#include "kbc_storage_extract/regions.hpp"

#include <array>

namespace kbc {

namespace {
// Hosts from Keboola's developer docs (overview/api); providers from keboola-as-code's CI stacks.
constexpr std::array kRegions{
    Region{"us-east-1", "https://connection.keboola.com", "aws", "AWS US Virginia"},
    Region{"eu-central-1", "https://connection.eu-central-1.keboola.com", "aws", "AWS EU Frankfurt"},
    Region{"north-europe", "https://connection.north-europe.azure.keboola.com", "azure", "Azure EU Ireland"},
    Region{"europe-west3", "https://connection.europe-west3.gcp.keboola.com", "gcp", "GCP EU Frankfurt"},
    Region{"us-east4", "https://connection.us-east4.gcp.keboola.com", "gcp", "GCP US Virginia"},
};
}  // namespace

std::span<const Region> known_regions() { return kRegions; }

const Region* find_region(std::string_view name) {
  for (const auto& region : kRegions)
    if (region.name == name) return &region;
  return nullptr;
}

std::string known_region_names() {
  std::string names;
  for (const auto& region : kRegions) {
    if (!names.empty()) names += ", ";
    names += region.name;
  }
  return names;
}

}  // namespace kbc
