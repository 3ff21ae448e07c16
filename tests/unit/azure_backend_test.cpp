// The Azure Blob backend's local rules: the SAS connection string, endpoints and accounts,
// blob URLs, manifest URLs, block ids, part sizes, and its error map.
#include <catch2/catch.hpp>

#include "kbc_storage_extract/transfer/azure/addressing.hpp"
#include "kbc_storage_extract/transfer/azure/errors.hpp"

using namespace kbc;
using namespace kbc::transfer;

TEST_CASE("azure: a SAS connection string gives the blob endpoint and the SAS, '=' in values kept") {
  const auto parsed = azure::parse_sas_connection_string(
      "BlobEndpoint=https://kbcabs.blob.core.windows.net/;SharedAccessSignature=?sv=2021-08-06&sr=c&sp=r&se=2026-12-01T10%3A00%3A00Z&sig=a%2Bb%3D");
  REQUIRE(parsed);
  CHECK(parsed->blob_endpoint == "https://kbcabs.blob.core.windows.net");
  CHECK(parsed->sas == "sv=2021-08-06&sr=c&sp=r&se=2026-12-01T10%3A00%3A00Z&sig=a%2Bb%3D");
  const auto by_account =
      azure::parse_sas_connection_string("DefaultEndpointsProtocol=https;AccountName=acct;SharedAccessSignature=sv=1&sig=x");
  REQUIRE(by_account);
  CHECK(by_account->blob_endpoint == "https://acct.blob.core.windows.net");
  const auto local = azure::parse_sas_connection_string("BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;SharedAccessSignature=sig=x");
  REQUIRE(local);
  CHECK(azure::account_of(local->blob_endpoint) == "devstoreaccount1");
  CHECK(azure::account_of("https://kbcabs.blob.core.windows.net") == "kbcabs");
  CHECK_FALSE(azure::parse_sas_connection_string("SharedAccessSignature=sig=x"));
  const auto no_sas = azure::parse_sas_connection_string("BlobEndpoint=https://a.blob.core.windows.net");
  REQUIRE_FALSE(no_sas);
  CHECK(no_sas.error().message.find("SharedAccessSignature") != std::string::npos);
}

TEST_CASE("azure: blob URLs keep '/' and encode the rest; manifest URLs use the account's real host") {
  const azure::SasConnection connection{"http://127.0.0.1:1/devstoreaccount1", "sv=1&sig=x"};
  CHECK(azure::blob_url(connection, "kbc", "exp/1/part 0001+€.gz") ==
        "http://127.0.0.1:1/devstoreaccount1/kbc/exp/1/part%200001%2B%E2%82%AC.gz?sv=1&sig=x");
  CHECK(azure::blob_url(connection, "kbc", "b", "comp=block&blockid=QQ") == "http://127.0.0.1:1/devstoreaccount1/kbc/b?comp=block&blockid=QQ&sv=1&sig=x");
  CHECK(azure::manifest_prefix("devstoreaccount1", "kbc") == "azure://devstoreaccount1.blob.core.windows.net/kbc/");
}

TEST_CASE("azure: block ids are base64 of the same length, distinct, and part sizes fit 50 000 blocks") {
  CHECK(azure::block_id(1).size() == azure::block_id(49'999).size());
  CHECK(azure::block_id(1) != azure::block_id(2));
  CHECK(azure::block_id(1).find('=') == std::string::npos);
  CHECK(azure::choose_part_size(1ULL << 30, 0) == 64ULL << 20);
  CHECK(azure::choose_part_size(10ULL << 40, 0) * azure::k_max_blocks >= 10ULL << 40);
}

TEST_CASE("azure: the SAS's signed expiry is read, encoded or not") {
  const auto expiry = azure::sas_expiry("sv=1&se=2026-12-01T10%3A00%3A00Z&sig=x");
  REQUIRE(expiry);
  CHECK(std::chrono::system_clock::to_time_t(*expiry) == 1796119200);
  CHECK(azure::sas_expiry("se=2026-12-01T10:00:00Z") == expiry);
  CHECK_FALSE(azure::sas_expiry("sv=1&sig=x"));
  // Found by fuzz/values_fuzzer: year 0230 overflowed the nanosecond clock (UB); unreadable now.
  CHECK_FALSE(azure::sas_expiry("sv=2&se=0230-01-01T00%3A00%3A00Z&sig=abc"));
  CHECK_FALSE(azure::sas_expiry("se=9999-12-31"));
}

namespace {
http::Response answer(int status, std::string body, http::Headers headers = {}) {
  http::Response response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}
}  // namespace

TEST_CASE("azure errors: an out-of-time SAS is credentials_expired, other refusals permission") {
  const std::string expired =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to "
      "authenticate the request.</Message><AuthenticationErrorDetail>Signature not valid in the specified time frame: "
      "Start [x] - Expiry [y] - Current [z]</AuthenticationErrorDetail></Error>";
  CHECK(azure::to_error(answer(403, expired), "w").kind == ErrorKind::credentials_expired);
  // azurite says only AuthorizationFailure: the SAS's own expiry decides.
  const std::string bare = "<Error><Code>AuthorizationFailure</Code><Message>Server failed to authenticate</Message></Error>";
  const auto past = std::chrono::system_clock::now() - std::chrono::minutes(1);
  const auto future = std::chrono::system_clock::now() + std::chrono::hours(1);
  CHECK(azure::to_error(answer(403, bare), "w", past).kind == ErrorKind::credentials_expired);
  const auto denied = azure::to_error(answer(403, bare), "w", future);
  CHECK(denied.kind == ErrorKind::permission);
  CHECK_FALSE(denied.hint.empty());
  // A HEAD has no body: the code comes in x-ms-error-code.
  CHECK(azure::to_error(answer(404, "", {{"x-ms-error-code", "BlobNotFound"}, {"x-ms-request-id", "r1"}}), "w").request_id == "r1");
  CHECK(azure::to_error(answer(404, "", {{"x-ms-error-code", "BlobNotFound"}}), "w").kind == ErrorKind::not_found);
  CHECK(azure::to_error(answer(503, "<Error><Code>ServerBusy</Code></Error>"), "w").kind == ErrorKind::throttled);
  CHECK(azure::to_error(answer(400, "<Error><Code>InvalidBlockList</Code></Error>"), "w").kind == ErrorKind::protocol);
}
