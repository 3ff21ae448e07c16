#include "azurite_process.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <ctime>
#include <stdexcept>

#include "storage_test_client.hpp"

namespace kbc::test {
namespace {

constexpr const char* k_sas_version = "2021-08-06";

std::string base64(const unsigned char* data, std::size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string unbase64(const std::string& text) {
  std::string out(3 * text.size() / 4 + 1, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) throw std::invalid_argument("not base64");
  std::size_t size = static_cast<std::size_t>(n);
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) --size;  // DecodeBlock counts padding
  out.resize(size);
  return out;
}

std::string iso(std::chrono::system_clock::time_point at) {
  const std::time_t t = std::chrono::system_clock::to_time_t(at);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

// An account SAS for the blob service, enough to create containers.
std::string account_sas() {
  const auto now = std::chrono::system_clock::now();
  const std::string start = iso(now - std::chrono::minutes(5)), expiry = iso(now + std::chrono::hours(1));
  const std::string to_sign = std::string(AzuriteProcess::account) + "\nrwdlacup\nb\nsco\n" + start + "\n" + expiry +
                              "\n\nhttps,http\n" + k_sas_version + "\n\n";
  return std::string("sv=") + k_sas_version + "&ss=b&srt=sco&sp=rwdlacup&st=" + start + "&se=" + expiry +
         "&spr=https,http&sig=" + percent_encode(azure_sas_signature(AzuriteProcess::account_key, to_sign));
}

}  // namespace

std::string azure_sas_signature(const std::string& base64_key, const std::string& string_to_sign) {
  const std::string key = unbase64(base64_key);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(string_to_sign.data()),
       string_to_sign.size(), digest, &size);
  return base64(digest, size);
}

AzuriteProcess::AzuriteProcess()
    : process_("azurite",
               [](const std::filesystem::path& work_dir) {
                 auto args = PeerProcess::node_script("azurite/dist/src/blob/main.js");
                 for (const auto& arg : {std::string("--blobHost"), std::string("127.0.0.1"), std::string("--blobPort"),
                                         std::string("0"), std::string("--location"), (work_dir / "data").string(),
                                         std::string("--silent"), std::string("--disableTelemetry"),
                                         std::string("--skipApiVersionCheck"), std::string("--loose")})
                   args.push_back(arg);
                 return args;
               },
               std::regex(R"(Azurite Blob service successfully listens on http://127\.0\.0\.1:(\d+))")) {}

void AzuriteProcess::create_container(const std::string& container) const {
  const auto answer = http_request("PUT", blob_endpoint() + "/" + container + "?restype=container&" + account_sas(), {},
                                   {"x-ms-version: 2021-08-06", "Content-Length: 0"});
  if (answer.status != 201) throw std::runtime_error("creating container " + container + ": HTTP " + std::to_string(answer.status) + " " + answer.body);
}

std::string AzuriteProcess::container_sas(const std::string& container, const std::string& permissions, std::chrono::seconds ttl) {
  const auto now = std::chrono::system_clock::now();
  const std::string start = iso(now - std::chrono::minutes(5) + std::min(ttl, std::chrono::seconds(0)) * 2);
  const std::string expiry = iso(now + ttl);
  // Service SAS, version 2020-12-06 and later: with the encryption scope line.
  const std::string to_sign = permissions + "\n" + start + "\n" + expiry + "\n/blob/" + account + "/" + container +
                              "\n\n\nhttps,http\n" + k_sas_version + "\nc\n\n\n\n\n\n\n";
  return std::string("sv=") + k_sas_version + "&sr=c&sp=" + permissions + "&st=" + start + "&se=" + expiry +
         "&spr=https,http&sig=" + percent_encode(azure_sas_signature(account_key, to_sign));
}

std::string AzuriteProcess::sas_connection_string(const std::string& container, std::chrono::seconds ttl,
                                                  const std::string& endpoint) const {
  return "BlobEndpoint=" + (endpoint.empty() ? blob_endpoint() : endpoint) +
         ";SharedAccessSignature=" + container_sas(container, "racwdl", ttl);
}

}  // namespace kbc::test
