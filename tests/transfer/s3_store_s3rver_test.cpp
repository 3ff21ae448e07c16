// The S3 ObjectStore and copy_object against s3rver (npm), an S3 implementation nobody here
// wrote, over loopback.
#include <catch2/catch.hpp>

#include "kbc_storage_extract/transfer/copy.hpp"
#include "kbc_storage_extract/transfer/object_store.hpp"
#include "s3rver_process.hpp"
#include "transfer_helpers.hpp"

using namespace kbc;
using namespace kbc::transfer;
using kbc::test::S3rverProcess;

namespace {

constexpr std::uint64_t MiB = 1 << 20;

AwsAccess s3rver_access(const std::string& bucket) {
  AwsAccess access;
  access.region = S3rverProcess::region;
  access.bucket = bucket;
  access.access_key_id = S3rverProcess::access_key_id;
  access.secret_access_key = Secret(S3rverProcess::secret_access_key);
  return access;
}

std::unique_ptr<ObjectStore> open_store(const S3rverProcess& peer, const std::string& bucket, AwsAccess access = {}) {
  if (access.bucket.empty()) access = s3rver_access(bucket);
  ObjectStoreOptions options;
  options.endpoint = peer.endpoint();
  options.part_size = 5 * MiB;
  options.retry.initial_delay = std::chrono::milliseconds(10);
  options.retry.max_attempts = 3;
  auto store = open_object_store(access, options);
  REQUIRE(store.ok());
  return std::move(*store);
}

CopyOptions copy_options(int parallel) {
  CopyOptions options;
  options.buffer_bytes = 256 * 1024;
  options.parallel_parts = parallel;
  options.retry.initial_delay = std::chrono::milliseconds(10);
  options.retry.max_attempts = 3;
  return options;
}

}  // namespace

TEST_CASE("s3 store (s3rver): put_small, size, read and ranged read of a key with special characters") {
  S3rverProcess peer({"kbc-files"});
  auto store = open_store(peer, "kbc-files");
  const std::string key = "exp/in.c-main/orders 2024+x=€&y.csv";
  REQUIRE(store->put_small(key, "id,name\n1,alice\n2,bob\n").ok());

  auto size = store->size(key);
  REQUIRE(size.ok());
  CHECK(*size == 22);
  auto all = kbc::test::read_all(*store, key);
  REQUIRE(all.ok());
  CHECK(*all == "id,name\n1,alice\n2,bob\n");
  auto middle = kbc::test::read_all(*store, key, {8, 7});
  REQUIRE(middle.ok());
  CHECK(*middle == "1,alice");
  auto tail = kbc::test::read_all(*store, key, {16, 0});
  REQUIRE(tail.ok());
  CHECK(*tail == "2,bob\n");
}

TEST_CASE("s3 store (s3rver): a missing object or bucket is not_found") {
  S3rverProcess peer({"kbc-files"});
  auto store = open_store(peer, "kbc-files");
  auto size = store->size("no/such/object.csv");
  REQUIRE_FALSE(size.ok());
  CHECK(size.error().kind == ErrorKind::not_found);
  auto read = kbc::test::read_all(*store, "no/such/object.csv");
  REQUIRE_FALSE(read.ok());
  CHECK(read.error().kind == ErrorKind::not_found);
  CHECK(read.error().api_code == "NoSuchKey");
  auto other = open_store(peer, "no-such-bucket");
  auto put = other->put_small("a.csv", "x");
  REQUIRE_FALSE(put.ok());
  CHECK(put.error().kind == ErrorKind::not_found);
  CHECK(put.error().api_code == "NoSuchBucket");
}

TEST_CASE("s3 store (s3rver): one-PUT upload and a 12 MiB multipart upload arrive byte-exact") {
  S3rverProcess peer({"kbc-files"});
  auto store = open_store(peer, "kbc-files");
  for (const std::uint64_t size : {3 * MiB, 12 * MiB}) {
    const std::string key = "upload/" + std::to_string(size) + ".bin";
    REQUIRE(kbc::test::upload_generated(*store, key, size, size).ok());
    auto stored = store->size(key);
    REQUIRE(stored.ok());
    CHECK(*stored == size);
    auto hash = kbc::test::sha256_of_object(*store, key);
    REQUIRE(hash.ok());
    CHECK(*hash == kbc::test::sha256_of_generated(size, size));
  }
  auto upload = store->begin_upload("upload/parts.bin", 12 * MiB);
  REQUIRE(upload.ok());
  CHECK((*upload)->part_size() == 5 * MiB);
  CHECK((*upload)->part_count() == 3);
}

TEST_CASE("s3 store (s3rver): an aborted multipart upload leaves no object") {
  S3rverProcess peer({"kbc-files"});
  auto store = open_store(peer, "kbc-files");
  auto upload = store->begin_upload("aborted.bin", 11 * MiB);
  REQUIRE(upload.ok());
  const auto part = kbc::test::generated_bytes(1, 5 * MiB);
  std::size_t at = 0;
  REQUIRE((*upload)->write_part(1, part.size(), [&](char* buffer, std::size_t capacity) {
    const auto n = std::min(capacity, part.size() - at);
    std::copy_n(part.data() + at, n, buffer);
    at += n;
    return n;
  }).ok());
  (*upload)->abort();
  auto size = store->size("aborted.bin");
  REQUIRE_FALSE(size.ok());
  CHECK(size.error().kind == ErrorKind::not_found);
}

TEST_CASE("s3 store (s3rver): copy_object between two buckets is byte-exact for 0 B to 23 MiB") {
  S3rverProcess peer({"source-files", "destination-files"});
  auto from = open_store(peer, "source-files");
  auto to = open_store(peer, "destination-files");
  for (const std::uint64_t size : {std::uint64_t{0}, std::uint64_t{1}, MiB, 23 * MiB}) {
    const std::string key = "table/" + std::to_string(size) + ".csv.gz";
    REQUIRE(kbc::test::upload_generated(*from, key, size + 7, size).ok());
    for (const int parallel : {1, 3}) {
      INFO("size " << size << ", parallel_parts " << parallel);
      const std::string to_key = "import/" + std::to_string(parallel) + "/" + key;
      auto stats = copy_object(*from, key, *to, to_key, copy_options(parallel));
      REQUIRE(stats.ok());
      CHECK(stats->bytes == size);
      auto hash = kbc::test::sha256_of_object(*to, to_key);
      REQUIRE(hash.ok());
      CHECK(*hash == kbc::test::sha256_of_generated(size + 7, size));
    }
  }
}

TEST_CASE("s3 store (s3rver): an unknown access key is a permission error, not retried") {
  S3rverProcess peer({"kbc-files"});
  auto access = s3rver_access("kbc-files");
  access.access_key_id = "AKIAWRONGKEY";
  auto store = open_store(peer, "kbc-files", access);
  auto put = store->put_small("a.csv", "x");
  REQUIRE_FALSE(put.ok());
  CHECK(put.error().kind == ErrorKind::permission);
  CHECK(put.error().api_code == "InvalidAccessKeyId");
  CHECK_FALSE(put.error().retryable());
  auto size = store->size("a.csv");  // HEAD has no body: the store asks again to learn why
  REQUIRE_FALSE(size.ok());
  CHECK(size.error().kind == ErrorKind::permission);
  CHECK(size.error().api_code == "InvalidAccessKeyId");
}
