#pragma once
// s3rver (npm, tests/peers/node_modules) as an independent S3 peer: started on a free loopback
// port with a fresh data directory and the given buckets, waited for (bounded), killed by the
// destructor. Note: s3rver 3.7 checks that the access key id exists (S3RVER) and that SigV4
// headers are well formed, but does not recompute V4 signatures.
#include <filesystem>
#include <string>
#include <vector>

#include "peer_process.hpp"

namespace kbc::test {

class S3rverProcess {
 public:
  static constexpr const char* access_key_id = "S3RVER";
  static constexpr const char* secret_access_key = "S3RVER";
  static constexpr const char* region = "us-east-1";

  explicit S3rverProcess(const std::vector<std::string>& buckets);

  // "http://127.0.0.1:<port>": the endpoint override (path-style, like AWS_ENDPOINT_URL_S3).
  const std::string& endpoint() const { return process_.url(); }
  // Where s3rver keeps its objects.
  std::filesystem::path data_dir() const { return process_.work_dir() / "data"; }

 private:
  PeerProcess process_;
};

}  // namespace kbc::test
