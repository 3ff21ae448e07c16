// The digest `check` compares: rows as parsed CSV, in any order, plain or gzip, any chunking.
#include <catch2/catch.hpp>

#include <zlib.h>

#include "kbc_storage_extract/extract/row_digest.hpp"

using kbc::extract::CsvRowDigester;
using kbc::extract::RowDigest;

namespace {

std::string gzip(const std::string& text) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(compressBound(text.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// The digest of `objects` (slices) fed `chunk` bytes at a time.
RowDigest digest_of(const std::vector<std::string>& objects, std::size_t chunk = 4096) {
  CsvRowDigester digester;
  for (const auto& bytes : objects) {
    for (std::size_t i = 0; i < bytes.size(); i += chunk) REQUIRE(digester.feed(bytes.data() + i, std::min(chunk, bytes.size() - i)));
    REQUIRE(digester.end_object());
  }
  REQUIRE(digester.digest());
  return *digester.digest();
}

}  // namespace

TEST_CASE("row digest: the same rows in another order, quoting, chunking, slicing or gzip digest alike") {
  const std::string csv = "\"1\",\"a\"\n\"2\",\"multi\nline \"\"quoted\"\"\"\n\"3\",\"c, d\"\n";
  const auto expected = digest_of({csv});
  CHECK(expected.rows == 3);
  CHECK(digest_of({"\"3\",\"c, d\"\n\"1\",\"a\"\n\"2\",\"multi\nline \"\"quoted\"\"\"\n"}) == expected);
  CHECK(digest_of({"1,a\n\"2\",\"multi\nline \"\"quoted\"\"\"\r\n3,\"c, d\""}) == expected);  // quotes, CRLF, no last newline
  for (std::size_t chunk : {1, 2, 7}) CHECK(digest_of({gzip(csv)}, chunk) == expected);
  CHECK(digest_of({gzip("\"1\",\"a\"\n"), gzip("\"2\",\"multi\nline \"\"quoted\"\"\"\n\"3\",\"c, d\"\n")}) == expected);
}

TEST_CASE("row digest: a changed cell, a moved comma, a missing or repeated row differ") {
  const auto base = digest_of({"1,a\n2,bc\n"});
  CHECK_FALSE(digest_of({"1,a\n2,bd\n"}) == base);
  CHECK_FALSE(digest_of({"1,a\n2b,c\n"}) == base);
  CHECK_FALSE(digest_of({"1,a\n"}) == base);
  CHECK_FALSE(digest_of({"1,a\n2,bc\n2,bc\n"}) == base);
  CHECK_FALSE(digest_of({"1,a\n2,bc,\n"}) == base);  // an extra empty field
}
