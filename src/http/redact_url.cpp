#include <algorithm>
#include <array>
#include <cctype>

#include "kbc_storage_extract/http/client.hpp"

namespace kbc::http {
namespace {

// Query parameters that carry a credential: S3 pre-signed URLs, Azure SAS, GCS/OAuth tokens.
constexpr std::array<std::string_view, 7> k_secret_params = {
    "x-amz-signature", "x-amz-credential", "x-amz-security-token", "sig", "token", "access_token", "signature"};

bool is_secret_param(std::string_view name) {
  return std::any_of(k_secret_params.begin(), k_secret_params.end(), [&](std::string_view secret) {
    return name.size() == secret.size() &&
           std::equal(name.begin(), name.end(), secret.begin(),
                      [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
  });
}

bool ends_value(char c) { return c == '&' || c == '#' || c == '"' || c == '\'' || std::isspace(static_cast<unsigned char>(c)); }

}  // namespace

std::string percent_encode(std::string_view text, bool keep_slash) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(digits[c >> 4]);
      out.push_back(digits[c & 0xF]);
    }
  }
  return out;
}

// Works on bare URLs and on text that contains URLs (curl error messages): every `?name=` or
// `&name=` whose name is a credential gets its value masked.
std::string redact_url(std::string_view url) {
  std::string out;
  out.reserve(url.size());
  std::size_t i = 0;
  while (i < url.size()) {
    const char c = url[i];
    out.push_back(c);
    ++i;
    if (c != '?' && c != '&') continue;
    std::size_t name_end = i;
    while (name_end < url.size() && url[name_end] != '=' && !ends_value(url[name_end])) ++name_end;
    if (name_end >= url.size() || url[name_end] != '=' || !is_secret_param(url.substr(i, name_end - i))) continue;
    out.append(url.substr(i, name_end - i + 1));
    out.append("***");
    i = name_end + 1;
    while (i < url.size() && !ends_value(url[i])) ++i;
  }
  return out;
}

}  // namespace kbc::http
