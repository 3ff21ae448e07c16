#include "commands/connect.hpp"

#include <spdlog/spdlog.h>

namespace kbc::commands {

Result<Secret> token_of(const Endpoint& endpoint) {
  if (!endpoint.resolved_token.empty()) return endpoint.resolved_token;
  return resolve_token(endpoint.token);
}

storage_api::StorageClient storage_client(const std::string& url, const Secret& token, http::Client& http,
                                          const NetworkOptions& network) {
  return storage_api::StorageClient(url, token, http, network.retry_policy(), network.job_polling(),
                                    network.request_timeout);
}

ExitCode fail(const char* command, const Error& error) {
  spdlog::error("{}: {}", command, error.describe());
  return exit_code_for(error);
}

}  // namespace kbc::commands
