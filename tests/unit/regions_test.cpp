// The regions table: one place in code, every entry valid and documented.
#include <fstream>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "kbc_storage_extract/config.hpp"
#include "kbc_storage_extract/regions.hpp"

using namespace kbc;

TEST_CASE("the public Keboola stacks are known regions with their Storage API URLs", "[regions]") {
  REQUIRE(find_region("us-east-1") != nullptr);
  CHECK(find_region("us-east-1")->url == "https://connection.keboola.com");
  CHECK(find_region("eu-central-1")->url == "https://connection.eu-central-1.keboola.com");
  CHECK(find_region("north-europe")->url == "https://connection.north-europe.azure.keboola.com");
  CHECK(find_region("north-europe")->provider == "azure");
  CHECK(find_region("europe-west3")->url == "https://connection.europe-west3.gcp.keboola.com");
  CHECK(find_region("us-east4")->provider == "gcp");
  CHECK(find_region("EU-CENTRAL-1") == nullptr);
  CHECK(find_region("mars-1") == nullptr);
}

TEST_CASE("every region has a unique name, a valid base URL and a known provider", "[regions]") {
  std::set<std::string_view> names;
  for (const auto& region : known_regions()) {
    INFO(region.name);
    CHECK(names.insert(region.name).second);
    const auto url = parse_storage_url(region.url);
    REQUIRE(url.ok());
    CHECK(*url == region.url);  // already normalized: https, no trailing slash
    CHECK((region.provider == "aws" || region.provider == "azure" || region.provider == "gcp"));
    CHECK_FALSE(region.location.empty());
  }
}

TEST_CASE("docs/configuration.md lists every region with its URL", "[regions][docs]") {
  std::ifstream in(std::filesystem::path(KBC_SOURCE_DIR) / "docs" / "configuration.md");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  for (const auto& region : known_regions()) {
    INFO(region.name);
    CHECK_THAT(text.str(), Catch::Matchers::Contains("`" + std::string(region.name) + "`"));
    CHECK_THAT(text.str(), Catch::Matchers::Contains(std::string(region.url)));
  }
}
