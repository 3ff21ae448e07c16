// Reading tokens from where the config says. Values never appear in messages; each token read
// is registered with the redactor so that it is masked wherever it might show up later.
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <spdlog/spdlog.h>

#include "kbc_storage_extract/config.hpp"
#include "kbc_storage_extract/redact.hpp"

namespace kbc {

namespace {

constexpr std::size_t kMaxTokenFileBytes = 64 * 1024;  // a token is ~50 characters

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

Error token_error(const TokenSpec& spec, std::string what, std::string hint) {
  return make_error(ErrorKind::invalid_input, what + " (token for " + spec.json_path + ")", std::move(hint));
}

// A token is one word of printable ASCII: whitespace inside means a wrong file or a pasted
// paragraph; a control character would end up inside an HTTP header.
Result<Secret> checked(const TokenSpec& spec, const std::string& raw, const std::string& where) {
  const std::string value = trim(raw);
  if (value.empty()) return token_error(spec, where + " is empty", "Put the Storage API token in it");
  if (value.find_first_of(" \t\r\n") != std::string::npos)
    return token_error(spec, where + " contains whitespace inside the token", "It must hold the token alone, on one line");
  for (unsigned char c : value)
    if (c < 0x21 || c > 0x7e)
      return token_error(spec, where + " contains a control or non-ASCII character inside the token",
                         "Copy the token again from the project's Settings > API Tokens, as plain text");
  Secret secret(value);
  register_secret(secret);
  return secret;
}

Result<Secret> from_env(const TokenSpec& spec) {
  const char* value = std::getenv(spec.reference.c_str());
  if (value == nullptr) {
    if (spec.defaulted)
      return token_error(spec, "no token configured and the environment variable " + spec.reference + " is not set",
                         "Export " + spec.reference + "=<token>, or set \"token\" to {\"env\": NAME} or {\"file\": PATH}");
    return token_error(spec, "the environment variable " + spec.reference + " is not set",
                       "Export " + spec.reference + "=<token> before running");
  }
  return checked(spec, value, "the environment variable " + spec.reference);
}

Result<Secret> from_file(const TokenSpec& spec) {
  const std::string where = "the token file " + spec.reference;
  // Only a regular file: opening a FIFO (or a device) would wait for a writer forever.
  std::error_code error;
  const auto status = std::filesystem::status(spec.reference, error);
  if (!error && std::filesystem::is_directory(status))
    return token_error(spec, "cannot read " + where + ": it is a directory", "Point \"file\" at the file that holds the token");
  if (!error && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status))
    return token_error(spec, where + " is not a regular file", "Point \"file\" at a plain file that holds the token");
  std::ifstream in(spec.reference, std::ios::binary);
  if (!in)
    return token_error(spec, "cannot read " + where,
                       "Check that it exists and is readable; a relative path is relative to the config file's folder");
  std::string content(kMaxTokenFileBytes + 1, '\0');
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  content.resize(static_cast<std::size_t>(in.gcount()));
  if (content.size() > kMaxTokenFileBytes)
    return token_error(spec, where + " is too large to be a token file", "It must hold the token alone");
  struct stat info {};
  if (::stat(spec.reference.c_str(), &info) == 0 && (info.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    spdlog::warn("{} can be read by other users; restrict it with: chmod 600 {}", where, spec.reference);
  return checked(spec, content, where);
}

}  // namespace

Result<Secret> resolve_token(const TokenSpec& spec) {
  switch (spec.kind) {
    case TokenSpec::Kind::env: return from_env(spec);
    case TokenSpec::Kind::file: return from_file(spec);
    case TokenSpec::Kind::literal: return checked(spec, spec.literal.reveal(), "the token");
  }
  return make_error(ErrorKind::internal, "unknown token source");
}

Status resolve_token_of(Endpoint& endpoint) {
  auto token = resolve_token(endpoint.token);
  if (!token) return token.error();
  endpoint.resolved_token = std::move(*token);
  return {};
}

Status resolve_tokens(Config& config) {
  for (Endpoint* endpoint : {&config.source, &config.destination})
    if (auto resolved = resolve_token_of(*endpoint); !resolved) return resolved;
  return {};
}

}  // namespace kbc
