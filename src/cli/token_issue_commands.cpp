// token create / token refresh: flags into options, checked before anything is contacted
// (the URL, the bucket id's form, the expiry, that the token can be read).
#include <charconv>

#include "cli/commands.hpp"
#include "cli/config_loading.hpp"
#include "cli/token_source.hpp"
#include "config/keboola_names.hpp"
#include "kbc_storage_extract/commands.hpp"

namespace kbc::cli {

namespace {

// "3600", "90s", "45m", "12h", "90d" -> seconds; nullopt for anything else or not positive.
std::optional<std::int64_t> parse_duration(const std::string& text) {
  std::int64_t number = 0;
  const char* end = text.data() + text.size();
  auto [rest, ec] = std::from_chars(text.data(), end, number);
  if (ec != std::errc() || number <= 0) return std::nullopt;
  const std::string unit(rest, end);
  std::int64_t scale = 0;
  if (unit.empty() || unit == "s") scale = 1;
  else if (unit == "m") scale = 60;
  else if (unit == "h") scale = 3600;
  else if (unit == "d") scale = 86400;
  else return std::nullopt;
  if (number > (std::int64_t{100} * 365 * 86400) / scale) return std::nullopt;  // beyond 100 years: a typo
  return number * scale;
}

// Read the token now: a missing one is a usage error, and its value gets registered for masking.
bool token_readable(const TokenSpec& spec) {
  if (auto token = resolve_token(spec); !token) {
    print_error(token.error().describe());
    return false;
  }
  return true;
}

}  // namespace

ExitCode token_create_command(const Invocation& invocation) {
  const auto& flags = invocation.token_create;
  commands::TokenCreateOptions options;
  auto url = api_url_of(flags.where.region, flags.where.url, "token create");
  if (!url) return ExitCode::usage_error;
  options.url = *url;
  if (auto problem = config::bucket_id_problem(flags.bucket)) {
    print_error("--bucket \"" + flags.bucket + "\": " + *problem);
    return ExitCode::usage_error;
  }
  options.bucket = flags.bucket;
  options.description = flags.description.empty() ? "kbc-storage-extract: read " + flags.bucket : flags.description;
  if (!flags.expires_in.empty()) {
    options.expires_in = parse_duration(flags.expires_in);
    if (!options.expires_in) {
      print_error("--expires-in \"" + flags.expires_in +
                  "\": give a positive number of seconds, or a number with s, m, h or d (\"3600\", \"12h\", \"90d\"), at most 100 years");
      return ExitCode::usage_error;
    }
  }
  options.token = token_spec_of(flags.where.token_env, flags.where.token_file, kMasterTokenEnv);
  if (!token_readable(options.token)) return ExitCode::usage_error;
  return commands::token_create(options);
}

ExitCode token_refresh_command(const Invocation& invocation) {
  const auto& flags = invocation.token_refresh;
  commands::TokenRefreshOptions options;
  auto url = api_url_of(flags.where.region, flags.where.url, "token refresh");
  if (!url) return ExitCode::usage_error;
  options.url = *url;
  if (!flags.id.empty()) {
    if (flags.id.find_first_not_of("0123456789") != std::string::npos) {
      print_error("--id \"" + flags.id + "\": a token id is a number (the middle part of a token, 101-<id>-…; `token verify` shows it)");
      return ExitCode::usage_error;
    }
    options.token_id = flags.id;
  }
  options.token = token_spec_of(flags.where.token_env, flags.where.token_file,
                                options.token_id ? kMasterTokenEnv : kSourceTokenEnv);
  if (!token_readable(options.token)) return ExitCode::usage_error;
  return commands::token_refresh(options);
}

}  // namespace kbc::cli
