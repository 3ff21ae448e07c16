#pragma once
// Everything the S3 endpoint's handlers share: the object files, issued credentials,
// multipart uploads in progress, and the fault injector.
#include <string>

#include "s3/credentials.hpp"
#include "s3/multipart_uploads.hpp"
#include "s3/object_files.hpp"

namespace kbc::emulator {
class FaultInjector;
}

namespace kbc::emulator::s3 {

struct StoreState {
  StoreState(std::filesystem::path root, std::string signing_region, FaultInjector& injector)
      : objects(root), uploads(objects.uploads_dir()), region(std::move(signing_region)), faults(injector) {}

  ObjectFiles objects;
  MultipartUploads uploads;
  CredentialRegistry credentials;
  std::string region;
  FaultInjector& faults;
  std::string public_url;  // set by mount()

  // Buckets exist implicitly: one that credentials were issued for, or that holds files.
  bool bucket_exists(const std::string& bucket) const;
};

}  // namespace kbc::emulator::s3
