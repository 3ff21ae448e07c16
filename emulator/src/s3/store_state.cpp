#include "s3/store_state.hpp"

namespace kbc::emulator::s3 {

bool StoreState::bucket_exists(const std::string& bucket) const {
  if (credentials.knows_bucket(bucket)) return true;
  std::error_code ec;
  return !bucket.empty() && bucket.front() != '.' && bucket.find('/') == std::string::npos &&
         std::filesystem::is_directory(objects.root() / bucket, ec);
}

}  // namespace kbc::emulator::s3
