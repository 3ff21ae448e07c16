// The one-line values that come from a user or a server: a changedSince (config, --changed-
// since), a Storage API datetime, a Storage API URL (config), a Retry-After header, an Azure
// SAS connection string and its expiry, a URL to redact. Each reads any text without a crash,
// UB or an exception, and what it accepts it reads back the same way.
#include "fuzz_check.hpp"
#include "kbc_storage_extract/changed_since.hpp"
#include "kbc_storage_extract/config.hpp"
#include "kbc_storage_extract/http/client.hpp"
#include "kbc_storage_extract/storage_api/parse.hpp"
#include "kbc_storage_extract/transfer/azure/addressing.hpp"

namespace {

using kbc::fuzz::check;
using std::chrono::system_clock;

// A fixed "now" (2026-01-01T00:00:00Z), so that a finding reproduces whenever it is replayed.
const system_clock::time_point kNow = system_clock::from_time_t(1767225600);

void changed_since(std::string_view text) {
  const auto since = kbc::ChangedSince::parse(text);
  if (!since) return;
  const auto at = since->resolve(kNow);
  if (since->relative()) check(at < kNow, "a relative changedSince lies in the past");
  const auto again = kbc::ChangedSince::parse(since->text());
  check(again && again->resolve(kNow) == at, "a changedSince's text reads back as the same time");
}

void api_time(std::string_view text) {
  const auto time = kbc::storage_api::parse_api_time(text);
  if (!time) return;
  const std::string formatted = kbc::storage_api::format_iso_utc(*time);
  const auto again = kbc::storage_api::parse_api_time(formatted);
  check(again && *again == std::chrono::floor<std::chrono::seconds>(*time), "a datetime formats and reads back");
}

void storage_url(std::string_view text) {
  const auto url = kbc::parse_storage_url(text);
  if (!url) return;
  const auto again = kbc::parse_storage_url(*url);
  check(again && *again == *url, "a normalized Storage API URL is accepted as it is");
}

void retry_after(std::string_view text) {
  const auto wait = kbc::http::parse_retry_after(text, kNow);
  check(!wait || wait->count() >= 0, "a Retry-After wait is never negative");
}

void azure_sas(std::string_view text) {
  if (const auto sas = kbc::transfer::azure::parse_sas_connection_string(text)) {
    check(!sas->blob_endpoint.empty() && !sas->sas.empty(), "a SAS connection has an endpoint and a signature");
    (void)kbc::transfer::azure::account_of(sas->blob_endpoint);
  }
  (void)kbc::transfer::azure::sas_expiry(text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = kbc::fuzz::text_of(data, size);
  changed_since(text);
  api_time(text);
  storage_url(text);
  retry_after(text);
  azure_sas(text);
  (void)kbc::http::redact_url(text);
  return 0;
}
