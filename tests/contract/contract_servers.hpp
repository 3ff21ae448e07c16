#pragma once
// The servers the ObjectStore contract runs against, one type each, all behind a CuttingProxy
// so that "the connection drops mid-transfer" is the same fault everywhere. Each type says
// what the contract needs: open a store on a fresh bucket, the smallest part size the backend
// accepts, and (for servers that check credentials) a store whose credentials have expired.
// Adding a server: a type here and its name in the type lists of the contract tests.
#include <memory>
#include <string>

#include "azurite_process.hpp"
#include "cutting_proxy.hpp"
#include "moto_process.hpp"
#include "emulator_gcs_server.hpp"
#include "emulator_s3_server.hpp"
#include "kbc_storage_extract/transfer/object_store.hpp"
#include "s3rver_process.hpp"

namespace kbc::test::contract {

constexpr std::uint64_t MiB = 1 << 20;

inline transfer::ObjectStoreOptions contract_options(const std::string& endpoint, std::uint64_t part_size) {
  transfer::ObjectStoreOptions options;
  options.endpoint = endpoint;
  options.part_size = part_size;
  options.retry.initial_delay = std::chrono::milliseconds(5);
  options.retry.max_delay = std::chrono::milliseconds(50);
  options.retry.max_attempts = 4;
  return options;
}

inline std::unique_ptr<transfer::ObjectStore> must_open(const transfer::FileAccess& access,
                                                         const transfer::ObjectStoreOptions& options) {
  auto store = transfer::open_object_store(access, options);
  if (!store) throw std::runtime_error("cannot open the store: " + store.error().describe());
  return std::move(*store);
}

// Our emulator's S3 (in-process): verifies every SigV4 signature and credential expiry.
struct EmulatorS3 {
  static constexpr const char* name = "S3 on the emulator";
  static constexpr std::uint64_t part_size = 5 * MiB;  // S3's minimum
  EmulatorS3() : proxy(server.url()) {}

  std::unique_ptr<transfer::ObjectStore> open() {
    return must_open(server.access(bucket), contract_options(proxy.url(), part_size));
  }
  std::unique_ptr<transfer::ObjectStore> open_expired() {
    return must_open(server.access(bucket, std::chrono::seconds(-60)), contract_options(proxy.url(), part_size));
  }

  const std::string bucket = "contract";
  EmulatorS3Server server;
  CuttingProxy proxy;
};

// s3rver (npm), an S3 nobody here wrote; it does not check signatures or expiry.
struct S3rver {
  static constexpr const char* name = "S3 on s3rver";
  static constexpr std::uint64_t part_size = 5 * MiB;
  S3rver() : peer({bucket}), proxy(peer.endpoint()) {}

  std::unique_ptr<transfer::ObjectStore> open() {
    transfer::AwsAccess access;
    access.region = S3rverProcess::region;
    access.bucket = bucket;
    access.access_key_id = S3rverProcess::access_key_id;
    access.secret_access_key = Secret(S3rverProcess::secret_access_key);
    return must_open(access, contract_options(proxy.url(), part_size));
  }

  const std::string bucket = "contract";
  S3rverProcess peer;
  CuttingProxy proxy;
};

// moto (moto_server), a second S3 nobody here wrote; it does not check signatures or expiry.
struct Moto {
  static constexpr const char* name = "S3 on moto";
  static constexpr std::uint64_t part_size = 5 * MiB;
  Moto() : proxy(peer.endpoint()) { peer.create_bucket(bucket); }

  std::unique_ptr<transfer::ObjectStore> open() {
    transfer::AwsAccess access;
    access.region = MotoProcess::region;
    access.bucket = bucket;
    access.access_key_id = MotoProcess::access_key_id;
    access.secret_access_key = Secret(MotoProcess::secret_access_key);
    return must_open(access, contract_options(proxy.url(), part_size));
  }

  const std::string bucket = "contract";
  MotoProcess peer;
  CuttingProxy proxy;
};

// Our emulator's GCS JSON API (in-process): bearer tokens it issued, with expiry; resumable
// session URIs point at the proxy so that cut chunks go through it too.
struct EmulatorGcs {
  static constexpr const char* name = "GCS on the emulator";
  static constexpr std::uint64_t part_size = 512 * 1024;  // two 256 KiB chunks per part
  EmulatorGcs()
      : server([this](const std::string& url) {
          proxy_holder = std::make_unique<CuttingProxy>(url);
          return proxy_holder->url();
        }),
        proxy(*proxy_holder) {}

  std::unique_ptr<transfer::ObjectStore> open() {
    return must_open(server.access(bucket), contract_options(proxy.url(), part_size));
  }
  std::unique_ptr<transfer::ObjectStore> open_expired() {
    return must_open(server.access(bucket, std::chrono::seconds(-60)), contract_options(proxy.url(), part_size));
  }

  const std::string bucket = "contract";
  std::unique_ptr<CuttingProxy> proxy_holder;
  EmulatorGcsServer server;
  CuttingProxy& proxy;
};

// azurite (npm), Microsoft's Azure Storage emulator: a container SAS signed with its account
// key, as the Storage API hands it out in a SASConnectionString; azurite checks it.
struct Azurite {
  static constexpr const char* name = "Azure Blob on azurite";
  static constexpr std::uint64_t part_size = 1 * MiB;
  Azurite() : proxy(peer.url()) { peer.create_container(bucket); }

  std::unique_ptr<transfer::ObjectStore> open() { return open_with(std::chrono::hours(1)); }
  std::unique_ptr<transfer::ObjectStore> open_expired() { return open_with(std::chrono::seconds(-60)); }

  const std::string bucket = "contract";
  AzuriteProcess peer;
  CuttingProxy proxy;

 private:
  std::unique_ptr<transfer::ObjectStore> open_with(std::chrono::seconds ttl) {
    transfer::AzureAccess access;
    access.account = AzuriteProcess::account;
    access.container = bucket;
    access.sas_connection_string = Secret(peer.sas_connection_string(bucket, ttl));
    access.expiration = std::chrono::system_clock::now() + ttl;
    // Through the proxy: the same path-style account endpoint on the proxy's port.
    return must_open(access, contract_options(proxy.url() + "/" + AzuriteProcess::account, part_size));
  }
};

}  // namespace kbc::test::contract
