#pragma once
// Shared pieces of the emulator suite: a seed written to a temp dir, the fixed test tokens,
// and small row helpers.
#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator_process.hpp"
#include "storage_test_client.hpp"

namespace kbc::test {

inline constexpr const char* kMasterEu = "1-101-MasterTokenOfSalesEuForTests00000000000001";
inline constexpr const char* kReadSalesEu = "1-102-ReadOnlySalesTokenForTests0000000000000002";
inline constexpr const char* kWriteSalesEu = "1-103-WriteSalesTokenForTests00000000000000000003";
inline constexpr const char* kMasterUs = "2-201-MasterTokenOfAnalyticsUsForTests0000000001";

// Two regions; project 1 (eu-central-1) with buckets in.c-sales and in.c-other, project 2
// (us-east-1) empty.
inline nlohmann::json two_region_seed() {
  using nlohmann::json;
  return json::parse(R"({
    "regions": [{"name": "eu-central-1", "provider": "aws"}, {"name": "us-east-1", "provider": "aws"}],
    "projects": [
      {"id": 1, "name": "Sales EU", "region": "eu-central-1", "organizationId": 10,
       "tokens": [
         {"token": "1-101-MasterTokenOfSalesEuForTests00000000000001", "description": "admin@example.com", "isMasterToken": true},
         {"token": "1-102-ReadOnlySalesTokenForTests0000000000000002", "description": "read sales", "bucketPermissions": {"in.c-sales": "read"}},
         {"token": "1-103-WriteSalesTokenForTests00000000000000000003", "description": "write sales", "bucketPermissions": {"in.c-sales": "write"}}
       ],
       "buckets": [
         {"id": "in.c-sales", "tables": [
           {"name": "orders", "primaryKey": ["id"], "columns": ["id", "customer", "amount"],
            "rows": [["1", "alice", "10.50"], ["2", "bob", "20.00"], ["3", "carol, \"c\"", "30"]]}]},
         {"id": "in.c-other", "tables": [{"name": "secret", "csv": "id,value\n1,hidden\n"}]}
       ]},
      {"id": 2, "name": "Analytics US", "region": "us-east-1", "organizationId": 20,
       "tokens": [{"token": "2-201-MasterTokenOfAnalyticsUsForTests0000000001", "description": "us@example.com", "isMasterToken": true}]}
    ]})");
}

// Writes `seed` as seed.json into `dir`; returns its path.
inline std::filesystem::path write_seed(const TempDir& dir, const nlohmann::json& seed) {
  auto path = dir.path() / "seed.json";
  std::ofstream(path) << seed.dump(2);
  return path;
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

inline std::vector<std::string> sorted_lines(const std::string& text) {
  auto lines = lines_of(text);
  std::sort(lines.begin(), lines.end());
  return lines;
}

}  // namespace kbc::test
