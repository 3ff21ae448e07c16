// The API index. keboola/storage-api-php-client `src/Keboola/StorageApi/Client.php` indexAction
// requests '' relative to the base URI ".../v2/storage/", so the index must answer with the
// trailing slash exactly as without it (apiary.apib "API Index").
#include <catch2/catch.hpp>

#include "emulator_test_support.hpp"

using namespace kbc::test;

TEST_CASE("the API index answers with and without the trailing slash") {
  TempDir dir;
  EmulatorProcess emulator({write_seed(dir, two_region_seed()), {}});
  StorageTestClient master(emulator.url("eu-central-1"), kMasterEu);
  auto plain = master.get("/v2/storage");
  auto slash = master.get("/v2/storage/");
  REQUIRE(plain.status == 200);
  REQUIRE(slash.status == 200);
  CHECK(slash.json() == plain.json());
  CHECK(slash.json().at("api") == "storage");
  CHECK(slash.json().at("version") == "v2");
  CHECK(slash.json().at("services").is_array());
  CHECK(slash.json().at("components").is_array());
}
