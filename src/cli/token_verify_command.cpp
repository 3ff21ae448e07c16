// token verify: where the Storage API is (--config / --region / --url) and where the token is
// (--token-env / --token-file / the config's / KBC_SOURCE_TOKEN).
#include "cli/commands.hpp"
#include "cli/config_loading.hpp"
#include "kbc_storage_extract/commands.hpp"
#include "cli/token_source.hpp"

namespace kbc::cli {

namespace {

// The token flags override whatever token the config or the default would give.
void apply_token_flags(const TokenVerifyFlags& flags, TokenSpec& spec) {
  if (!flags.token_env.empty()) spec = TokenSpec{TokenSpec::Kind::env, flags.token_env, {}, "--token-env", false};
  if (!flags.token_file.empty()) spec = TokenSpec{TokenSpec::Kind::file, flags.token_file.string(), {}, "--token-file", false};
}

}  // namespace

ExitCode token_verify_command(const Invocation& invocation) {
  const auto& flags = invocation.token_verify;
  commands::TokenVerifyOptions options;
  options.json = flags.json;
  ExitCode exit_code = ExitCode::success;

  if (!flags.config.empty()) {
    auto config = load_valid_config(flags.config, exit_code);
    if (!config) return exit_code;
    const Endpoint& side = flags.destination ? config->destination : config->source;
    options.url = side.url;
    options.token = side.token;
    if (flags.destination) options.destination_bucket = config->destination_bucket;
  } else if (!flags.region.empty() || !flags.url.empty()) {
    auto url = api_url_of(flags.region, flags.url, "token verify");
    if (!url) return ExitCode::usage_error;
    options.url = *url;
  } else {
    print_error("token verify needs --config FILE, --region NAME or --url URL; run with --help for details");
    return ExitCode::usage_error;
  }
  // Without --config the default is --token-env KBC_SOURCE_TOKEN, and messages say so.
  if (flags.config.empty()) options.token = TokenSpec{TokenSpec::Kind::env, kSourceTokenEnv, {}, "--token-env", false};
  apply_token_flags(flags, options.token);

  // Read it now: a missing token is a usage error, and the value gets registered for masking.
  if (auto token = resolve_token(options.token); !token) {
    print_error(token.error().describe());
    return ExitCode::usage_error;
  }
  return commands::token_verify(options);
}

}  // namespace kbc::cli
