// Storage API base URLs: parsed by libcurl's URL API, so what we accept is what curl will use.
#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>

#include "kbc_storage_extract/config.hpp"

namespace kbc {

namespace {

struct UrlHandle {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> handle{curl_url(), &curl_url_cleanup};

  std::optional<std::string> part(CURLUPart which) const {
    char* text = nullptr;
    if (curl_url_get(handle.get(), which, &text, 0) != CURLUE_OK || text == nullptr) return std::nullopt;
    std::string value(text);
    curl_free(text);
    return value;
  }
};

bool is_loopback(std::string host) {
  std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return std::tolower(c); });
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]";
}

// A host name, an IPv4 address or a bracketed IPv6 address. curl also takes %-escapes (which it
// decodes) and any byte there: such a host would name another host each time the normalized
// URL is parsed again.
bool is_host(std::string_view host) {
  const auto all_of = [](std::string_view text, auto allowed) { return std::all_of(text.begin(), text.end(), allowed); };
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    return all_of(host.substr(1, host.size() - 2), [](unsigned char c) { return std::isxdigit(c) || c == ':' || c == '.'; });
  return !host.empty() && all_of(host, [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '.' || c == '_'; });
}

Error url_error(std::string message) {
  return make_error(ErrorKind::invalid_input, std::move(message),
                    "Give the Storage API base URL, e.g. https://connection.keboola.com, or use \"region\"");
}

}  // namespace

Result<std::string> parse_storage_url(std::string_view url) {
  const std::string text(url);
  const std::string shown = "\"" + text + "\"";
  if (text.find("://") == std::string::npos) return url_error("URL " + shown + " has no scheme; expected https://HOST");

  UrlHandle parsed;
  if (curl_url_set(parsed.handle.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK)
    return url_error("cannot parse URL " + shown);

  // Checked first: the messages below echo the URL, which must then hold no credentials.
  if (parsed.part(CURLUPART_USER) || parsed.part(CURLUPART_PASSWORD))
    return url_error("URL must not contain a user name or password; give the token in \"token\" instead");
  if (parsed.part(CURLUPART_QUERY)) return url_error("URL must not have a query string (\"?…\")");
  if (parsed.part(CURLUPART_FRAGMENT)) return url_error("URL must not have a fragment (\"#…\")");

  const auto scheme = parsed.part(CURLUPART_SCHEME).value_or("");
  const auto host = parsed.part(CURLUPART_HOST).value_or("");
  if (!is_host(host)) return url_error("URL " + shown + " does not have a valid host name");
  if (scheme != "https" && scheme != "http")
    return url_error("URL " + shown + " uses the scheme \"" + scheme + "\"; expected https");
  if (scheme == "http" && !is_loopback(host))
    return url_error("URL " + shown + " uses plain http, which is allowed only on loopback (127.0.0.1, localhost, [::1]); use https");
  const auto path = parsed.part(CURLUPART_PATH).value_or("/");
  if (path != "/" && !path.empty())
    return url_error("URL " + shown + " has the path \"" + path + "\"; expected the base URL without a path");

  std::string normalized = scheme + "://" + host;
  std::transform(normalized.begin(), normalized.end(), normalized.begin(), [](unsigned char c) { return std::tolower(c); });
  if (const auto port = parsed.part(CURLUPART_PORT)) normalized += ":" + *port;
  return normalized;
}

}  // namespace kbc
