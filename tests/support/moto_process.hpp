#pragma once
// moto (moto_server, from the machine's Python toolchain; scripts/install-deps.sh checks it is
// there) as a second independent S3 implementation: started on a free loopback port. Like
// s3rver it does not check signatures or credential expiry.
#include <string>

#include "peer_process.hpp"

namespace kbc::test {

class MotoProcess {
 public:
  static constexpr const char* access_key_id = "testing";
  static constexpr const char* secret_access_key = "testing";
  static constexpr const char* region = "us-east-1";

  MotoProcess();
  // "http://127.0.0.1:<port>": the endpoint override (path-style).
  const std::string& endpoint() const { return process_.url(); }
  // CreateBucket; throws on failure.
  void create_bucket(const std::string& bucket) const;

 private:
  PeerProcess process_;
};

}  // namespace kbc::test
