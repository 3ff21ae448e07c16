// Storage API answers: one body is read as every kind of answer the client parses (token
// verification, bucket, table, job, file detail, prepared file, and the bucket/table/job
// lists), as StorageClient does: JSON parsed without exceptions, then the value parser. The
// promise of parse.hpp: a value, or ErrorKind::protocol with a message; never an exception.
#include <nlohmann/json.hpp>

#include "fuzz_check.hpp"
#include "kbc_storage_extract/redact.hpp"
#include "kbc_storage_extract/storage_api/parse.hpp"
#include "kbc_storage_extract/transfer/azure/addressing.hpp"

namespace {

using kbc::fuzz::check;
using nlohmann::json;
namespace sapi = kbc::storage_api;

template <class T>
void check_failure(const kbc::Result<T>& result) {
  if (result) return;
  check(result.error().kind == kbc::ErrorKind::protocol, "a bad answer is a protocol error");
  check(!result.error().message.empty(), "a protocol error says which field");
}

// What the Azure backend does with a file detail next (make_store): read the SAS connection
// string and its expiry, both straight from the answer.
void open_azure(const kbc::transfer::FileAccess& access) {
  const auto* azure = std::get_if<kbc::transfer::AzureAccess>(&access);
  if (azure == nullptr) return;
  const auto sas = kbc::transfer::azure::parse_sas_connection_string(azure->sas_connection_string.reveal());
  if (!sas) return;
  (void)kbc::transfer::azure::sas_expiry(sas->sas);
  (void)kbc::transfer::azure::account_of(sas->blob_endpoint);
}

void parse_one(const json& body) {
  check_failure(sapi::parse_token_info(body));
  check_failure(sapi::parse_bucket(body));
  check_failure(sapi::parse_table(body));
  check_failure(sapi::parse_job(body));
  const auto file = sapi::parse_file_detail(body);
  check_failure(file);
  if (file) {
    open_azure(file->access);
    (void)file->manifest_key();
  }
  const auto prepared = sapi::parse_prepared_file(body);
  check_failure(prepared);
  if (prepared) open_azure(prepared->access);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = kbc::fuzz::text_of(data, size);
  const json body = json::parse(text.begin(), text.end(), nullptr, false);
  if (body.is_discarded()) return 0;
  parse_one(body);
  if (body.is_array())  // the list answers: each item parsed on its own
    for (const auto& item : body) parse_one(item);
  // The parsers register every credential with the log masking; in one fuzzing process that
  // list would only grow.
  kbc::forget_registered_secrets();
  return 0;
}
