#include "kbc_storage_extract/transfer/file_access.hpp"

namespace kbc::transfer {

const char* to_string(Provider provider) {
  switch (provider) {
    case Provider::aws: return "aws";
    case Provider::azure: return "azure";
    case Provider::gcp: return "gcp";
  }
  return "aws";
}

Provider provider_of(const FileAccess& access) {
  if (std::holds_alternative<AzureAccess>(access)) return Provider::azure;
  if (std::holds_alternative<GcsAccess>(access)) return Provider::gcp;
  return Provider::aws;
}

}  // namespace kbc::transfer
