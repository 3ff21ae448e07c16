// One place that knows what a secret looks like in text. The rules are deliberately broad:
// masking a harmless value costs nothing, leaking a credential costs a rotation. Hand-written
// scanners rather than std::regex: they run on every log line, and std::regex trips GCC 12's
// -Wmaybe-uninitialized in sanitizer builds.
#include "kbc_storage_extract/redact.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>
#include <optional>
#include <vector>

namespace kbc {

namespace {

constexpr std::string_view kMask = "***";
constexpr std::size_t kMinRegisteredLength = 6;
constexpr std::size_t kMinTokenSecret = 20;  // Storage API token secrets are 40 characters

// Credential headers: the value is masked up to the end of the line.
constexpr std::array<std::string_view, 5> kHeaders{"X-StorageApi-Token", "X-KBC-ManageApiToken", "Proxy-Authorization",
                                                   "Authorization", "x-amz-security-token"};
// Query, form and connection-string parameters whose values are credentials.
constexpr std::array<std::string_view, 10> kParameters{"X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token",
                                                       "X-Goog-Signature", "X-Goog-Credential", "Signature",
                                                       "sig", "access_token", "token", "AccountKey"};
// Connection-string keys whose value runs to the next ';' (a whole SAS, an account key).
constexpr std::array<std::string_view, 2> kConnectionStringKeys{"SharedAccessSignature", "AccountKey"};
// JSON fields whose string values are credentials.
constexpr std::array<std::string_view, 9> kJsonFields{"token", "SecretAccessKey", "SessionToken", "AccessKeyId",
                                                      "access_token", "SASConnectionString", "accountKey", "password",
                                                      "secret"};

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

bool equals_at(std::string_view text, std::size_t at, std::string_view word) {
  if (at + word.size() > text.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[at + i])) != std::tolower(static_cast<unsigned char>(word[i])))
      return false;
  return true;
}

// The first of `words` that starts at `at` and is not the tail of a longer word.
template <std::size_t N>
std::optional<std::string_view> word_at(std::string_view text, std::size_t at, const std::array<std::string_view, N>& words) {
  if (at > 0 && word_char(text[at - 1])) return std::nullopt;
  for (const auto word : words)
    if (equals_at(text, at, word)) return word;
  return std::nullopt;
}

std::size_t skip_blanks(std::string_view text, std::size_t at) {
  while (at < text.size() && (text[at] == ' ' || text[at] == '\t')) ++at;
  return at;
}

// Scans `text` once; at each position `rule` may consume a span and append its masked form.
template <class Rule>
std::string rewrite(std::string_view text, Rule rule) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    if (const std::size_t next = rule(text, at, out); next != at) {
      at = next;
    } else {
      out += text[at++];
    }
  }
  return out;
}

// "X-StorageApi-Token: value" -> "X-StorageApi-Token: ***"
std::size_t mask_header(std::string_view text, std::size_t at, std::string& out) {
  const auto name = word_at(text, at, kHeaders);
  if (!name) return at;
  std::size_t colon = skip_blanks(text, at + name->size());
  if (colon >= text.size() || text[colon] != ':') return at;
  std::size_t end = colon + 1;
  while (end < text.size() && text[end] != '\r' && text[end] != '\n') ++end;
  out.append(text.substr(at, name->size())).append(": ").append(kMask);
  return end;
}

// "?X-Amz-Signature=abc&" -> "?X-Amz-Signature=***&"; also "&sig=", ";AccountKey=".
std::size_t mask_parameter(std::string_view text, std::size_t at, std::string& out) {
  const char c = text[at];
  if (c != '?' && c != '&' && c != ';') return at;
  for (const auto name : kParameters) {
    const std::size_t equals = at + 1 + name.size();
    if (!equals_at(text, at + 1, name) || equals >= text.size() || text[equals] != '=') continue;
    std::size_t end = equals + 1;
    while (end < text.size() && std::string_view("&;#\"'<> \t\r\n").find(text[end]) == std::string_view::npos) ++end;
    out.append(text.substr(at, equals + 1 - at)).append(kMask);
    return end;
  }
  return at;
}

// "SharedAccessSignature=sv=…&sig=…;" -> "SharedAccessSignature=***;"
std::size_t mask_connection_string(std::string_view text, std::size_t at, std::string& out) {
  const auto name = word_at(text, at, kConnectionStringKeys);
  if (!name || at + name->size() >= text.size() || text[at + name->size()] != '=') return at;
  std::size_t end = at + name->size() + 1;
  while (end < text.size() && std::string_view(";\"' \t\r\n").find(text[end]) == std::string_view::npos) ++end;
  out.append(text.substr(at, name->size() + 1)).append(kMask);
  return end;
}

// "\"SecretAccessKey\": \"abc\"" -> "\"SecretAccessKey\": \"***\""
std::size_t mask_json_field(std::string_view text, std::size_t at, std::string& out) {
  if (text[at] != '"') return at;
  for (const auto name : kJsonFields) {
    const std::size_t close = at + 1 + name.size();
    if (!equals_at(text, at + 1, name) || close >= text.size() || text[close] != '"') continue;
    std::size_t colon = skip_blanks(text, close + 1);
    if (colon >= text.size() || text[colon] != ':') continue;
    const std::size_t quote = skip_blanks(text, colon + 1);
    if (quote >= text.size() || text[quote] != '"') continue;
    std::size_t end = quote + 1;
    while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
    if (end >= text.size()) continue;  // unterminated: leave it to the other rules
    out.append(text.substr(at, quote + 1 - at)).append(kMask).append("\"");
    return end + 1;
  }
  return at;
}

// "1234-56789-<40 alphanumerics>" -> "1234-56789-***": the ids help tell tokens apart.
std::size_t mask_token_shape(std::string_view text, std::size_t at, std::string& out) {
  if (!digit(text[at]) || (at > 0 && word_char(text[at - 1]))) return at;
  std::size_t i = at;
  for (int group = 0; group < 2; ++group) {
    const std::size_t start = i;
    while (i < text.size() && digit(text[i])) ++i;
    if (i == start || i >= text.size() || text[i] != '-') return at;
    ++i;
  }
  std::size_t end = i;
  while (end < text.size() && alnum(text[end])) ++end;
  if (end - i < kMinTokenSecret) return at;
  out.append(text.substr(at, i - at)).append(kMask);
  return end;
}

std::mutex& secrets_mutex() {
  static std::mutex mutex;
  return mutex;
}
std::vector<Secret>& secrets() {
  static std::vector<Secret> registered;
  return registered;
}

void replace_all(std::string& text, const std::string& needle, const std::string& replacement) {
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + replacement.size()))
    text.replace(at, needle.size(), replacement);
}

}  // namespace

void register_secret(const Secret& secret) {
  // Masking every "x" of a one-letter test token would garble all output; real tokens are long
  // and the shape rules catch Storage API tokens anyway.
  if (secret.reveal().size() < kMinRegisteredLength) return;
  std::lock_guard lock(secrets_mutex());
  auto& all = secrets();
  if (std::find(all.begin(), all.end(), secret) == all.end()) all.push_back(secret);
}

void forget_registered_secrets() {
  std::lock_guard lock(secrets_mutex());
  secrets().clear();
}

std::string redact(std::string_view input) {
  std::string text(input);
  {
    std::lock_guard lock(secrets_mutex());
    for (const auto& secret : secrets()) {
      const std::string masked = secret.masked();
      replace_all(text, secret.reveal(), masked.empty() ? std::string(kMask) : masked);
    }
  }
  text = rewrite(text, mask_header);
  text = rewrite(text, mask_parameter);
  text = rewrite(text, mask_connection_string);
  text = rewrite(text, mask_json_field);
  text = rewrite(text, mask_token_shape);
  return text;
}

}  // namespace kbc
