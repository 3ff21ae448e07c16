#include "cli/token_source.hpp"

#include "cli/config_loading.hpp"
#include "kbc_storage_extract/regions.hpp"

namespace kbc::cli {

std::optional<std::string> api_url_of(const std::string& region, const std::string& url, const std::string& command) {
  if (!region.empty()) {
    const Region* known = find_region(region);
    if (known == nullptr) {
      print_error("unknown region \"" + region + "\"; known regions: " + known_region_names() + " (or give --url)");
      return std::nullopt;
    }
    return std::string(known->url);
  }
  if (!url.empty()) {
    auto parsed = parse_storage_url(url);
    if (!parsed) {
      print_error("--url: " + parsed.error().describe());
      return std::nullopt;
    }
    return *parsed;
  }
  print_error(command + " needs --region NAME or --url URL; run with --help for details");
  return std::nullopt;
}

TokenSpec token_spec_of(const std::string& token_env, const std::filesystem::path& token_file,
                        const std::string& default_env) {
  if (!token_file.empty()) return TokenSpec{TokenSpec::Kind::file, token_file.string(), {}, "--token-file", false};
  if (!token_env.empty()) return TokenSpec{TokenSpec::Kind::env, token_env, {}, "--token-env", false};
  return TokenSpec{TokenSpec::Kind::env, default_env, {}, "--token-env", false};
}

}  // namespace kbc::cli
