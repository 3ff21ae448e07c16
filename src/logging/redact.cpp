// One place that knows what a secret looks like in text. Patterns are deliberately broad:
// masking a harmless value costs nothing, leaking a credential costs a rotation.
#include "kbc_storage_extract/redact.hpp"

#include <algorithm>
#include <mutex>
#include <regex>
#include <vector>

namespace kbc {

namespace {

constexpr const char* kMask = "***";
constexpr std::size_t kMinRegisteredLength = 6;

struct Rule {
  std::regex pattern;
  const char* replacement;
};

const std::vector<Rule>& rules() {
  static const std::vector<Rule> all = [] {
    const auto icase = std::regex::ECMAScript | std::regex::icase;
    return std::vector<Rule>{
        // Header lines: the whole value up to the end of the line.
        {std::regex(R"re(\b(X-StorageApi-Token|X-KBC-ManageApiToken|Proxy-Authorization|Authorization|)re"
                    R"re(x-amz-security-token)[ \t]*:[ \t]*[^\r\n]*)re",
                    icase),
         "$1: ***"},
        // Signed URL and form query values: AWS SigV4, Azure SAS, GCS, OAuth, generic tokens.
        {std::regex(R"re(([?&;](X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|Signature|)re"
                    R"re(X-Goog-Signature|X-Goog-Credential|sig|access_token|token|AccountKey)=)[^&\s"'#;<>]*)re",
                    icase),
         "$1***"},
        // Azure connection strings: "AccountKey=…;" and "SharedAccessSignature=…" at the start.
        {std::regex(R"re(\b(AccountKey|SharedAccessSignature)=[^;\s"']*)re", icase), "$1=***"},
        // Credential fields in JSON (file detail, prepare answers, token objects).
        {std::regex(R"re(("(token|SecretAccessKey|SessionToken|AccessKeyId|access_token|SASConnectionString|)re"
                    R"re(accountKey|password|secret)"[ \t]*:[ \t]*")(?:[^"\\]|\\.)*")re",
                    icase),
         "$1***\""},
        // Storage API token shapes: the ids stay (they help tell tokens apart), the secret goes.
        {std::regex(R"re(\b(\d+-\d+)-[A-Za-z0-9]{20,})re"), "$1-***"},
    };
  }();
  return all;
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

std::string redact(std::string_view input) {
  std::string text(input);
  {
    std::lock_guard lock(secrets_mutex());
    for (const auto& secret : secrets()) {
      const std::string masked = secret.masked();
      replace_all(text, secret.reveal(), masked.empty() ? kMask : masked);
    }
  }
  for (const auto& rule : rules()) {
    if (text.find_first_of("-:=\"") == std::string::npos) break;  // nothing any rule could match
    text = std::regex_replace(text, rule.pattern, rule.replacement);
  }
  return text;
}

}  // namespace kbc
