#pragma once
// What the token commands share: where the Storage API is (--region / --url) and where the
// token is read from (--token-env / --token-file / a default variable).
#include <optional>
#include <string>

#include "cli/invocation.hpp"
#include "kbc_storage_extract/config.hpp"

namespace kbc::cli {

// The Storage API base URL that --region NAME or --url URL names; on a bad value (or neither
// given, when `required`) the problem is printed and nullopt returned (exit 2).
std::optional<std::string> api_url_of(const std::string& region, const std::string& url, const std::string& command);

// --token-env NAME or --token-file PATH, else the environment variable `default_env`.
TokenSpec token_spec_of(const std::string& token_env, const std::filesystem::path& token_file,
                        const std::string& default_env);

}  // namespace kbc::cli
