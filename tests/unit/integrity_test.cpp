// The integrity checks of a copied file: stored sizes against the manifest's and the file
// detail's promises, bytes read against stored sizes, and destination names from full keys.
#include <catch2/catch.hpp>

#include <map>

#include "kbc_storage_extract/extract/integrity.hpp"

using namespace kbc;
using namespace kbc::extract;
using Catch::Contains;

namespace {

storage_api::FileDetail export_file(bool sliced, std::optional<std::uint64_t> size_bytes) {
  storage_api::FileDetail file;
  file.id = 5001;
  file.name = "in.c-sales.orders.csv.gz";
  file.is_sliced = sliced;
  file.size_bytes = size_bytes;
  file.key = sliced ? "exp/5001/" : "exp/5001/orders.csv.gz";
  return file;
}

StoredSlice slice(std::string name, std::uint64_t stored, std::optional<std::uint64_t> promised = std::nullopt) {
  return {"s3://kbc-src/exp/5001/" + name, name, promised, stored, {}};
}

// Serves each object's bytes, but never more than `serve` of them per read, and says nothing
// about it: a server (or backend) that ends a body early without an error.
class ShortReadingStore final : public transfer::ObjectStore {
 public:
  std::map<std::string, std::string> objects;
  std::size_t serve = std::string::npos;
  int fail_status = 0;  // then the read fails with this HTTP status after serving
  Result<std::uint64_t> size(const std::string& key) override { return objects.at(key).size(); }
  Status read(const std::string& key, transfer::ByteRange range, const transfer::ByteSink& sink) override {
    auto data = objects.at(key).substr(range.offset, range.length == 0 ? std::string::npos : range.length);
    data = data.substr(0, serve);
    if (!data.empty() && !sink(data.data(), data.size())) return make_error(ErrorKind::cancelled, "stopped");
    if (fail_status == 0) return {};
    auto error = make_error(ErrorKind::invalid_input, "The requested range is not satisfiable");
    error.http_status = fail_status;
    return error;
  }
  Result<std::unique_ptr<transfer::ObjectUpload>> begin_upload(const std::string&, std::uint64_t) override {
    return make_error(ErrorKind::internal, "not in this test");
  }
  Status put_small(const std::string&, std::string_view) override { return make_error(ErrorKind::internal, "not in this test"); }
  std::string url_of(const std::string& key) const override { return "mem://" + key; }
  std::optional<std::string> key_of(std::string_view) const override { return std::nullopt; }
};

const transfer::ByteSink discard = [](const char*, std::size_t) { return true; };

}  // namespace

TEST_CASE("integrity: an empty object where the file detail promises bytes fails, naming the file, the object and both sizes") {
  const auto file = export_file(false, 2048);
  const auto status = check_stored_sizes(file, {slice("orders.csv.gz", 0)});
  REQUIRE_FALSE(status);
  CHECK(status.error().kind == ErrorKind::integrity);
  CHECK_FALSE(status.error().retryable());
  CHECK_THAT(status.error().message, Contains("export file 5001 (in.c-sales.orders.csv.gz) is 0 bytes") &&
                                         Contains("s3://kbc-src/exp/5001/orders.csv.gz") && Contains("promises 2048 bytes (sizeBytes)"));
  CHECK_THAT(status.error().hint, Contains("nothing was imported") && Contains("5001"));
}

TEST_CASE("integrity: a short or a longer object than sizeBytes fails; an equal one, or no sizeBytes at all, passes") {
  CHECK_FALSE(check_stored_sizes(export_file(false, 2048), {slice("orders.csv.gz", 2000)}));
  CHECK_FALSE(check_stored_sizes(export_file(false, 2048), {slice("orders.csv.gz", 4096)}));
  CHECK(check_stored_sizes(export_file(false, 2048), {slice("orders.csv.gz", 2048)}));
  CHECK(check_stored_sizes(export_file(false, std::nullopt), {slice("orders.csv.gz", 2048)}));
  CHECK(check_stored_sizes(export_file(false, std::nullopt), {slice("orders.csv", 0)}));
  CHECK(check_stored_sizes(export_file(false, 0), {slice("orders.csv", 0)}));  // a promised empty file
}

TEST_CASE("integrity: an empty .gz object fails even when the file detail promises nothing, or 0 bytes") {
  for (const auto& size_bytes : {std::optional<std::uint64_t>{}, std::optional<std::uint64_t>{0}}) {
    const auto status = check_stored_sizes(export_file(false, size_bytes), {slice("orders.csv.gz", 0)});
    REQUIRE_FALSE(status);
    CHECK(status.error().kind == ErrorKind::integrity);
    CHECK_THAT(status.error().message, Contains("export file 5001 (in.c-sales.orders.csv.gz) is 0 bytes") &&
                                           Contains("s3://kbc-src/exp/5001/orders.csv.gz") && Contains("gzip object is never empty"));
  }
  const auto sliced = check_stored_sizes(export_file(true, std::nullopt), {slice("part0000.csv.gz", 100), slice("b/part0001.csv.gz", 0)});
  REQUIRE_FALSE(sliced);
  CHECK_THAT(sliced.error().message, Contains("slice b/part0001.csv.gz of export file 5001 (in.c-sales.orders.csv.gz) is 0 bytes"));
}

TEST_CASE("integrity: slices that sum to less than sizeBytes fail, naming the empty ones") {
  const auto status = check_stored_sizes(export_file(true, 300), {slice("part0000.csv.gz", 100), slice("part0001.csv.gz", 0),
                                                                  slice("part0002.csv.gz", 100)});
  REQUIRE_FALSE(status);
  CHECK(status.error().kind == ErrorKind::integrity);
  CHECK_THAT(status.error().message, Contains("the 3 slices of export file 5001") && Contains("hold 200 bytes") &&
                                         Contains("promises 300 bytes (sizeBytes)") && Contains("empty: part0001.csv.gz"));
  CHECK(check_stored_sizes(export_file(true, 200), {slice("part0000.csv.gz", 100), slice("part0001.csv.gz", 100)}));
  // A sliced file with no slices is empty: fine only when nothing was promised.
  CHECK(check_stored_sizes(export_file(true, 0), {}));
  CHECK_FALSE(check_stored_sizes(export_file(true, 10), {}));
}

TEST_CASE("integrity: a slice whose stored size differs from its manifest's content_length fails, naming the slice") {
  const auto status =
      check_stored_sizes(export_file(true, std::nullopt), {slice("part0000.csv.gz", 100, 100), slice("a/part0001.csv.gz", 7, 4096)});
  REQUIRE_FALSE(status);
  CHECK(status.error().kind == ErrorKind::integrity);
  CHECK_THAT(status.error().message, Contains("slice a/part0001.csv.gz of export file 5001") && Contains("is 7 bytes") &&
                                         Contains("promises 4096 bytes (meta.content_length)"));
  CHECK(check_stored_sizes(export_file(true, 107), {slice("part0000.csv.gz", 100, 100), slice("part0001.csv.gz", 7, 7)}));
}

TEST_CASE("integrity: bytes read must be the stored size") {
  const auto file = export_file(true, 300);
  CHECK(check_bytes_read(file, slice("part0000.csv.gz", 300), 300));
  const auto status = check_bytes_read(file, slice("part0000.csv.gz", 300), 120);
  REQUIRE_FALSE(status);
  CHECK(status.error().kind == ErrorKind::integrity);
  CHECK_THAT(status.error().message, Contains("120 bytes of slice part0000.csv.gz") && Contains("reported 300 bytes"));
}

TEST_CASE("integrity: destination slices are named by their whole key below the prefix, so distinct keys never collide") {
  const auto sliced = export_file(true, std::nullopt);
  CHECK(destination_key(sliced, "exp/5001/a/part0000.csv.gz", "up/9/") == "up/9/a/part0000.csv.gz");
  CHECK(destination_key(sliced, "exp/5001/b/part0000.csv.gz", "up/9/") == "up/9/b/part0000.csv.gz");
  CHECK(destination_key(sliced, "exp/5001/part0000.csv.gz", "up/9/") == "up/9/part0000.csv.gz");
  const auto single = export_file(false, std::nullopt);
  CHECK(destination_key(single, "exp/5001/orders.csv.gz", "up/9/") == "up/9/orders.csv.gz");
}

TEST_CASE("integrity: a read that delivers less than its range without an error is refused; bytes of ranges read count once") {
  ShortReadingStore inner;
  inner.objects["k"] = "0123456789";
  ReadCheckingStore checked(inner, "part0000.csv.gz");
  REQUIRE(checked.read("k", {0, 4}, discard));
  REQUIRE(checked.read("k", {4, 6}, discard));
  REQUIRE(checked.read("k", {0, 4}, discard));  // a part read again (its upload failed)
  CHECK(checked.bytes_read() == 10);

  inner.serve = 3;
  const auto status = checked.read("k", {4, 6}, discard);
  REQUIRE_FALSE(status);
  CHECK(status.error().kind == ErrorKind::integrity);
  CHECK_THAT(status.error().message, Contains("bytes 4-9 of slice part0000.csv.gz") && Contains("3 of the 6 bytes"));
  CHECK(checked.bytes_read() == 10);
}

TEST_CASE("integrity: a range the storage calls unsatisfiable (416) inside the size it reported is an object that ends early") {
  ShortReadingStore inner;
  inner.objects["k"] = "0123456789";
  inner.serve = 2;
  inner.fail_status = 416;
  ReadCheckingStore checked(inner, "orders.csv.gz");
  const auto status = checked.read("k", {0, 10}, discard);
  REQUIRE_FALSE(status);
  CHECK(status.error().kind == ErrorKind::integrity);
  CHECK_THAT(status.error().message, Contains("reading bytes 0-9 of slice orders.csv.gz: the object ends after 2 of them"));
  inner.fail_status = 500;  // any other failure is the store's own, passed on as it is
  CHECK(checked.read("k", {0, 10}, discard).error().kind == ErrorKind::invalid_input);
}

namespace {

std::string md5_bytes(std::string_view data) {
  transfer::Md5 md5;
  md5.update(data.data(), data.size());
  return md5.finish();
}

}  // namespace

TEST_CASE("integrity: the providers' MD5 spellings are read into 16 bytes; ETags that are no MD5 are not") {
  const auto expected = md5_bytes("hello");
  CHECK(transfer::hex_of(expected) == "5d41402abc4b2a76b9719d911017c592");
  CHECK(transfer::md5_of_s3_etag("\"5d41402abc4b2a76b9719d911017c592\"", "", false) == expected);
  CHECK(transfer::md5_of_s3_etag("5D41402ABC4B2A76B9719D911017C592", "AES256", false) == expected);
  CHECK_FALSE(transfer::md5_of_s3_etag("\"5d41402abc4b2a76b9719d911017c592-3\"", "", false));  // multipart
  CHECK_FALSE(transfer::md5_of_s3_etag("\"5d41402abc4b2a76b9719d911017c592\"", "aws:kms", false));
  CHECK_FALSE(transfer::md5_of_s3_etag("\"5d41402abc4b2a76b9719d911017c592\"", "", true));  // SSE-C
  CHECK_FALSE(transfer::md5_of_s3_etag("\"zz41402abc4b2a76b9719d911017c592\"", "", false));
  CHECK(transfer::md5_of_base64("XUFAKrxLKna5cZ2REBfFkg==") == expected);
  CHECK_FALSE(transfer::md5_of_base64("XUFAKrxLKna5cZ2REBfF"));
  CHECK_FALSE(transfer::md5_of_base64("not base64 at all!!!!!=="));
}

TEST_CASE("integrity: bytes read in order are hashed once each, a part read again included; out of order gives nothing") {
  ShortReadingStore store;
  store.objects["k"] = "0123456789abcdefghij";
  {
    ReadCheckingStore checked(store, "part0000.csv.gz", true);
    REQUIRE(checked.read("k", {0, 10}, discard));
    REQUIRE(checked.read("k", {0, 10}, discard));  // the first part again (its upload failed)
    REQUIRE(checked.read("k", {10, 10}, discard));
    CHECK(checked.md5_read() == md5_bytes(store.objects["k"]));
  }
  {
    ReadCheckingStore checked(store, "part0000.csv.gz", true);
    REQUIRE(checked.read("k", {10, 10}, discard));  // parts in parallel: the second came first
    REQUIRE(checked.read("k", {0, 10}, discard));
    CHECK(checked.md5_read().empty());
  }
  {
    ReadCheckingStore checked(store, "part0000.csv.gz");  // not asked for
    REQUIRE(checked.read("k", {}, discard));
    CHECK(checked.md5_read().empty());
  }
}

TEST_CASE("integrity: an MD5 of the bytes read other than the provider's fails, naming both; none to compare passes") {
  const auto file = export_file(true, std::nullopt);
  auto stated = slice("part0000.csv.gz", 5);
  stated.md5 = md5_bytes("hello");
  const auto same = check_checksum(file, stated, md5_bytes("hello"));
  REQUIRE(same);
  CHECK(*same);
  const auto changed = check_checksum(file, stated, md5_bytes("hellp"));
  REQUIRE_FALSE(changed);
  CHECK(changed.error().kind == ErrorKind::integrity);
  CHECK_THAT(changed.error().message, Contains("5d41402abc4b2a76b9719d911017c592") && Contains("part0000.csv.gz"));
  CHECK_THAT(changed.error().hint, Contains("nothing was imported"));
  for (const auto& nothing : {check_checksum(file, stated, ""), check_checksum(file, slice("part0000.csv.gz", 5), md5_bytes("hello"))}) {
    REQUIRE(nothing);
    CHECK_FALSE(*nothing);
  }
}
