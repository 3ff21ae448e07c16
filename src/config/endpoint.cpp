#include "config/endpoint.hpp"

#include <algorithm>
#include <cctype>

#include "config/keboola_names.hpp"
#include "config/suggest.hpp"
#include "kbc_storage_extract/regions.hpp"

namespace kbc::config {

namespace {

std::optional<std::string> read_url_or_region(const ObjectReader& reader, std::optional<std::string>& region_name) {
  const bool has_region = reader.has("region"), has_url = reader.has("url");
  if (has_region && has_url) {
    reader.issues().error(reader.path(), "give either \"region\" or \"url\", not both");
    return std::nullopt;
  }
  if (!has_region && !has_url) {
    reader.issues().error(reader.path(), "missing \"region\" (one of: " + known_region_names() +
                                             ") or \"url\" (the Storage API base URL)");
    return std::nullopt;
  }
  if (has_region) {
    const auto name = reader.string("region");
    if (!name) return std::nullopt;
    if (const Region* region = find_region(*name)) {
      region_name = *name;
      return std::string(region->url);
    }
    std::vector<std::string_view> names;
    for (const auto& region : known_regions()) names.push_back(region.name);
    std::string message = "unknown region " + quote(*name);
    if (auto suggestion = closest_match(*name, names)) message += "; did you mean \"" + *suggestion + "\"?";
    message += " Known regions: " + known_region_names() + "; for another stack give \"url\" instead";
    reader.issues().error(reader.path_of("region"), message);
    return std::nullopt;
  }
  const auto url = reader.string("url");
  if (!url) return std::nullopt;
  auto normalized = parse_storage_url(*url);
  if (!normalized) {
    reader.issues().error(reader.path_of("url"), normalized.error().describe());
    return std::nullopt;
  }
  return *normalized;
}

// POSIX shell variable names: a letter or '_', then letters, digits and '_'.
bool valid_env_name(const std::string& name) {
  const auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  return !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0])) && std::all_of(name.begin(), name.end(), word);
}

// "token": {"env": NAME} | {"file": PATH} | "literal" | absent (the default variable).
std::optional<TokenSpec> read_token(const ObjectReader& side_reader, const EndpointSide& side,
                                    const std::filesystem::path& config_dir) {
  TokenSpec spec;
  spec.json_path = side_reader.path_of("token");
  Issues& issues = side_reader.issues();
  const json* value = side_reader.find("token");
  if (value == nullptr) {
    spec.kind = TokenSpec::Kind::env;
    spec.reference = side.default_token_env;
    spec.defaulted = true;
    return spec;
  }
  if (value->is_string()) {
    // Never echo the value: it is a secret.
    const auto& text = value->get_ref<const std::string&>();
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
      issues.error(spec.json_path, "must not be empty");
      return std::nullopt;
    }
    spec.kind = TokenSpec::Kind::literal;
    spec.literal = Secret(text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1));
    issues.warn(spec.json_path, std::string("the token is written in the config file, where anyone who can read the file "
                                            "can use it; prefer {\"env\": \"") + side.default_token_env +
                                    "\"} or {\"file\": \"PATH\"}");
    return spec;
  }
  if (!expect_object(*value, spec.json_path, "{\"env\": NAME}, {\"file\": PATH} or a token string", issues))
    return std::nullopt;

  ObjectReader reader(*value, spec.json_path, issues);
  reader.reject_unknown_keys({"env", "file"});
  const bool has_env = reader.has("env"), has_file = reader.has("file");
  if (has_env == has_file) {
    issues.error(spec.json_path, has_env ? "give either \"env\" or \"file\", not both"
                                         : "expected {\"env\": NAME} or {\"file\": PATH}");
    return std::nullopt;
  }
  if (has_env) {
    const auto name = reader.string("env");
    if (!name) return std::nullopt;
    if (!valid_env_name(*name)) {
      // Someone pasted the token itself here? Do not echo it.
      issues.error(reader.path_of("env"), "expected the NAME of an environment variable (letters, digits, '_'), "
                                          "not the token itself");
      return std::nullopt;
    }
    spec.kind = TokenSpec::Kind::env;
    spec.reference = *name;
    return spec;
  }
  const auto file = reader.string("file");
  if (!file) return std::nullopt;
  const std::filesystem::path path(*file);
  spec.kind = TokenSpec::Kind::file;
  spec.reference = (path.is_absolute() ? path : config_dir / path).lexically_normal().string();
  return spec;
}

}  // namespace

std::optional<Endpoint> read_endpoint(const json& value, const EndpointSide& side, const std::filesystem::path& config_dir,
                                      Issues& issues, std::string& bucket) {
  const std::string path = child_path("", side.key);
  if (!expect_object(value, path, "an object with \"region\" or \"url\" and \"token\"", issues)) return std::nullopt;
  ObjectReader reader(value, path, issues);
  reader.reject_unknown_keys({"region", "url", "token", "bucket"});
  if (!side.has_bucket && reader.has("bucket"))
    issues.error(reader.path_of("bucket"), "the source bucket is not configured: it is the one bucket the source token "
                                           "can read; remove \"bucket\"");

  const std::size_t errors_before = issues.errors.size();
  Endpoint endpoint;
  auto url = read_url_or_region(reader, endpoint.region);
  auto token = read_token(reader, side, config_dir);
  if (side.has_bucket && reader.require("bucket", "the destination bucket id, e.g. \"in.c-from-eu\"")) {
    if (auto id = reader.string("bucket")) {
      if (auto problem = bucket_id_problem(*id)) issues.error(reader.path_of("bucket"), *problem);
      else bucket = *id;
    }
  }
  if (!url || !token || issues.errors.size() != errors_before) return std::nullopt;
  endpoint.url = *url;
  endpoint.token = std::move(*token);
  return endpoint;
}

}  // namespace kbc::config
