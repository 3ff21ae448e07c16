#pragma once
// The public Keboola Connection stacks ("regions"), kept in this one place: the config's
// "region" key, `token verify --region` and docs/configuration.md all refer to this table.
#include <span>
#include <string>
#include <string_view>

namespace kbc {

struct Region {
  std::string_view name;      // "eu-central-1": what a config's "region" says
  std::string_view url;       // Storage API base URL, no trailing slash
  std::string_view provider;  // file storage provider: "aws", "azure" or "gcp"
  std::string_view location;  // human description, e.g. "EU Frankfurt"
};

std::span<const Region> known_regions();
// nullptr when `name` is not a known region (exact, case-sensitive match).
const Region* find_region(std::string_view name);
// "us-east-1, eu-central-1, …" for messages.
std::string known_region_names();

}  // namespace kbc
