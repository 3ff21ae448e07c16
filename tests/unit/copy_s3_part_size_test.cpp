// How the S3 store sizes multipart parts and where it sends requests.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "kbc_storage_extract/transfer/s3/addressing.hpp"

using namespace kbc::transfer;

namespace {
constexpr std::uint64_t MiB = 1 << 20;
constexpr std::uint64_t GiB = 1ULL << 30;
}  // namespace

TEST_CASE("s3 part size: 64 MiB by default, never below 5 MiB, at most 10 000 parts") {
  CHECK(s3::choose_part_size(100 * MiB, 0) == 64 * MiB);
  CHECK(s3::choose_part_size(100 * MiB, 5 * MiB) == 5 * MiB);
  CHECK(s3::choose_part_size(100 * MiB, 1 * MiB) == 5 * MiB);
  CHECK(s3::choose_part_size(0, 0) == 64 * MiB);
  // 1 TiB in 64 MiB parts would be 16 384 parts: the part grows to a whole number of MiB.
  const auto part = s3::choose_part_size(1024 * GiB, 0);
  CHECK(part % MiB == 0);
  CHECK((1024 * GiB + part - 1) / part <= 10'000);
  CHECK(part == 105 * MiB);
}

TEST_CASE("s3 endpoint: virtual-hosted AWS by default, path-style with an override") {
  AwsAccess access;
  access.region = "eu-central-1";
  access.bucket = "kbc-sapi-files";
  ::unsetenv("AWS_ENDPOINT_URL_S3");
  ::unsetenv("AWS_ENDPOINT_URL");
  CHECK(s3::bucket_url(access, "") == "https://kbc-sapi-files.s3.eu-central-1.amazonaws.com");
  ::setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9001/", 1);
  CHECK(s3::bucket_url(access, "") == "http://127.0.0.1:9001/kbc-sapi-files");
  ::setenv("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000", 1);
  CHECK(s3::bucket_url(access, "") == "http://127.0.0.1:9000/kbc-sapi-files");
  CHECK(s3::bucket_url(access, "http://localhost:7000") == "http://localhost:7000/kbc-sapi-files");
  ::unsetenv("AWS_ENDPOINT_URL_S3");
  ::unsetenv("AWS_ENDPOINT_URL");
  CHECK(s3::object_url("http://h/b", "exp/1 2/ä+b.csv") == "http://h/b/exp/1%202/%C3%A4%2Bb.csv");
}
