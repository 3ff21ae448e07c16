#include <catch2/catch.hpp>

#include <zlib.h>

#include "kbc_storage_extract/extract/row_counter.hpp"

using kbc::extract::CsvRowCounter;

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

std::optional<std::uint64_t> count_in_chunks(const std::string& bytes, std::size_t chunk) {
  CsvRowCounter counter;
  for (std::size_t i = 0; i < bytes.size(); i += chunk) counter.feed(bytes.data() + i, std::min(chunk, bytes.size() - i));
  return counter.finish();
}

}  // namespace

TEST_CASE("rows are counted in plain and gzipped CSV, whatever the chunking") {
  const std::string csv = "\"1\",\"a\"\n\"2\",\"multi\nline \"\"quoted\"\"\"\n\"3\",\"c\"\n";
  for (std::size_t chunk : {1, 2, 7, 4096}) {
    CHECK(count_in_chunks(csv, chunk) == 3u);
    CHECK(count_in_chunks(gzip(csv), chunk) == 3u);
  }
}

TEST_CASE("a last row without a newline counts; an empty object has no rows") {
  CHECK(count_in_chunks("a\nb", 5) == 2u);
  CHECK(count_in_chunks("", 5) == 0u);
  CHECK(count_in_chunks(gzip(""), 5) == 0u);
  CHECK(count_in_chunks("x", 1) == 1u);
}

TEST_CASE("concatenated gzip members are all counted; corrupt gzip is not guessed") {
  CHECK(count_in_chunks(gzip("1\n2\n") + gzip("3\n"), 3) == 3u);
  std::string broken = gzip("1\n2\n3\n");
  broken[12] = static_cast<char>(broken[12] ^ 0x55);
  broken[13] = static_cast<char>(broken[13] ^ 0x55);
  CHECK_FALSE(count_in_chunks(broken, 4));
}
