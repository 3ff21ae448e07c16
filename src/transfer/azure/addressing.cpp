#include "kbc_storage_extract/transfer/azure/addressing.hpp"

#include "kbc_storage_extract/clock_years.hpp"
#include "kbc_storage_extract/http/client.hpp"

#include <openssl/evp.h>

#include <cctype>
#include <cstdio>
#include <map>

namespace kbc::transfer::azure {

namespace {

std::string trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return std::string(text);
}

}  // namespace

Result<SasConnection> parse_sas_connection_string(std::string_view text) {
  std::map<std::string, std::string> parts;  // keys case-insensitive, as Azure's SDKs read them
  while (!text.empty()) {
    const auto semicolon = text.find(';');
    const auto item = text.substr(0, semicolon);
    text = semicolon == std::string_view::npos ? std::string_view{} : text.substr(semicolon + 1);
    const auto eq = item.find('=');  // values (SAS queries) contain '=': split at the first
    if (eq == std::string_view::npos) continue;
    std::string key = trim(item.substr(0, eq));
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    parts[key] = trim(item.substr(eq + 1));
  }
  SasConnection connection;
  connection.blob_endpoint = parts["blobendpoint"];
  if (connection.blob_endpoint.empty() && !parts["accountname"].empty()) {
    const std::string protocol = parts["defaultendpointsprotocol"].empty() ? "https" : parts["defaultendpointsprotocol"];
    const std::string suffix = parts["endpointsuffix"].empty() ? "core.windows.net" : parts["endpointsuffix"];
    connection.blob_endpoint = protocol + "://" + parts["accountname"] + ".blob." + suffix;
  }
  while (!connection.blob_endpoint.empty() && connection.blob_endpoint.back() == '/') connection.blob_endpoint.pop_back();
  connection.sas = parts["sharedaccesssignature"];
  if (!connection.sas.empty() && connection.sas.front() == '?') connection.sas.erase(0, 1);
  if (connection.blob_endpoint.empty())
    return make_error(ErrorKind::protocol, "the Azure SAS connection string has no BlobEndpoint",
                      "check that the URL points at a Keboola Storage API");
  if (connection.sas.empty())
    return make_error(ErrorKind::protocol, "the Azure SAS connection string has no SharedAccessSignature",
                      "check that the URL points at a Keboola Storage API");
  return connection;
}

std::optional<std::chrono::system_clock::time_point> sas_expiry(std::string_view sas) {
  std::string value;
  for (std::string_view rest = sas; !rest.empty();) {
    const auto amp = rest.find('&');
    const auto item = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    if (item.starts_with("se=")) value = std::string(item.substr(3));
  }
  for (std::size_t at; (at = value.find("%3A")) != std::string::npos || (at = value.find("%3a")) != std::string::npos;)
    value.replace(at, 3, ":");
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  const int fields = std::sscanf(value.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &year, &month, &day, &hour, &minute, &second);
  if (fields != 3 && fields != 6) return std::nullopt;  // a date alone is allowed: midnight UTC
  if (!year_fits_clock(year)) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days{date} + std::chrono::hours{hour} + std::chrono::minutes{minute} + std::chrono::seconds{second};
}

std::string account_of(std::string_view endpoint) {
  const auto scheme = endpoint.find("://");
  std::string_view rest = scheme == std::string_view::npos ? endpoint : endpoint.substr(scheme + 3);
  const auto slash = rest.find('/');
  const std::string_view host = rest.substr(0, slash);
  const auto blob = host.find(".blob.");
  if (blob != std::string_view::npos && blob > 0) return std::string(host.substr(0, blob));
  if (slash == std::string_view::npos) return {};
  std::string_view path = rest.substr(slash + 1);
  return std::string(path.substr(0, path.find('/')));
}

std::string blob_url(const SasConnection& connection, const std::string& container, std::string_view blob,
                     std::string_view extra_query) {
  std::string url = connection.blob_endpoint + "/" + http::percent_encode(container, false) + "/" + http::percent_encode(blob, true) + "?";
  if (!extra_query.empty()) url += std::string(extra_query) + "&";
  return url + connection.sas;
}

std::string manifest_prefix(const std::string& account, const std::string& container) {
  return "azure://" + account + ".blob.core.windows.net/" + container + "/";
}

std::string block_id(int number) {
  char text[16];
  std::snprintf(text, sizeof text, "block-%06d", number);  // 12 bytes: base64 without padding
  unsigned char out[32];
  const int n = EVP_EncodeBlock(out, reinterpret_cast<const unsigned char*>(text), 12);
  return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
}

std::uint64_t choose_part_size(std::uint64_t object_size, std::uint64_t requested) {
  std::uint64_t part = requested == 0 ? k_default_part_size : requested;
  const std::uint64_t fit = (object_size + k_max_blocks - 1) / k_max_blocks;
  if (part < fit) part = (fit + (1ULL << 20) - 1) & ~((1ULL << 20) - 1);  // whole MiB
  return part;
}

}  // namespace kbc::transfer::azure
