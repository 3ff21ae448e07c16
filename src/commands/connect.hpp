#pragma once
// What every network command shares: the token of an endpoint, a StorageClient for it, and
// how a command that stops with an error reports it.
#include <string>

#include "kbc_storage_extract/config.hpp"
#include "kbc_storage_extract/exit_codes.hpp"
#include "kbc_storage_extract/http/client.hpp"
#include "kbc_storage_extract/network_options.hpp"
#include "kbc_storage_extract/storage_api/client.hpp"

namespace kbc::commands {

// The token the CLI resolved into the endpoint, or resolved now from its spec.
Result<Secret> token_of(const Endpoint& endpoint);

storage_api::StorageClient storage_client(const std::string& url, const Secret& token, http::Client& http,
                                          const NetworkOptions& network = {});

// Log `error` ("<command>: what (hint)") and return the exit code for it.
ExitCode fail(const char* command, const Error& error);

}  // namespace kbc::commands
