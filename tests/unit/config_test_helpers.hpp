#pragma once
// Shared by the config_*_test.cpp files: a valid config to vary, and issue lookups.
#include <algorithm>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "kbc_storage_extract/config.hpp"

namespace kbc::test {

// A minimal valid configuration; tests change one thing and look at what is reported.
inline nlohmann::json valid_config_json() {
  return nlohmann::json::parse(R"({
    "source": { "region": "eu-central-1", "token": { "env": "KBC_SOURCE_TOKEN" } },
    "destination": { "url": "https://connection.keboola.com", "token": { "env": "KBC_DESTINATION_TOKEN" },
                     "bucket": "in.c-from-eu" },
    "tables": [ { "name": "orders" } ]
  })");
}

inline ConfigLoad parse(const nlohmann::json& document) { return parse_config(document.dump(2), "config.json"); }
inline ConfigLoad parse(std::string_view text) { return parse_config(text, "config.json"); }

// The issue at `path`, or nullptr.
inline const ConfigIssue* issue_at(const ConfigLoad& load, const std::string& path) {
  const auto it = std::find_if(load.issues.begin(), load.issues.end(), [&](const auto& i) { return i.json_path == path; });
  return it == load.issues.end() ? nullptr : &*it;
}

// The message of the issue at `path`, or "" when there is none.
inline std::string message_at(const ConfigLoad& load, const std::string& path) {
  const ConfigIssue* issue = issue_at(load, path);
  return issue ? issue->message : std::string();
}

// Asserts that the only issue is at `path` and its message mentions `text`.
inline void require_single_issue(const ConfigLoad& load, const std::string& path, const std::string& text) {
  INFO("issues: " << [&] {
    std::string all;
    for (const auto& i : load.issues) all += "\n  " + i.json_path + ": " + i.message;
    return all;
  }());
  REQUIRE(load.issues.size() == 1);
  CHECK(load.issues[0].json_path == path);
  CHECK_THAT(load.issues[0].message, Catch::Matchers::Contains(text));
  CHECK_FALSE(load.config.has_value());
}

}  // namespace kbc::test
