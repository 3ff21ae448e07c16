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

namespace {

// Serves one in-memory object by byte range, in chunks of 3 bytes.
class MemoryStore : public kbc::transfer::ObjectStore {
 public:
  explicit MemoryStore(std::string data) : data_(std::move(data)) {}
  kbc::Result<std::uint64_t> size(const std::string&) override { return std::uint64_t{data_.size()}; }
  kbc::Status read(const std::string&, kbc::transfer::ByteRange range, const kbc::transfer::ByteSink& sink) override {
    const std::uint64_t end = range.length == 0 ? data_.size() : range.offset + range.length;
    for (std::uint64_t at = range.offset; at < end; at += 3)
      if (!sink(data_.data() + at, static_cast<std::size_t>(std::min<std::uint64_t>(3, end - at)))) break;
    return {};
  }
  kbc::Result<std::unique_ptr<kbc::transfer::ObjectUpload>> begin_upload(const std::string&, std::uint64_t) override {
    return kbc::make_error(kbc::ErrorKind::internal, "not used");
  }
  kbc::Status put_small(const std::string&, std::string_view) override { return {}; }
  std::string url_of(const std::string& key) const override { return "memory://" + key; }
  std::optional<std::string> key_of(std::string_view) const override { return std::nullopt; }

 private:
  std::string data_;
};

const auto ignore = [](const char*, std::size_t) { return true; };

}  // namespace

TEST_CASE("a counting store counts each byte once when a part is read again, and gives up on gaps") {
  const std::string csv = gzip("1,a\n2,b\n3,c\n4,d\n");
  MemoryStore inner(csv);
  kbc::extract::RowCountingStore counting(inner, "k");
  const std::uint64_t half = csv.size() / 2;
  REQUIRE(counting.read("k", {0, half}, ignore).ok());
  REQUIRE(counting.read("k", {0, half}, ignore).ok());  // the part retried
  REQUIRE(counting.read("k", {half, csv.size() - half}, ignore).ok());
  CHECK(counting.rows() == 4u);

  kbc::extract::RowCountingStore out_of_order(inner, "k");
  REQUIRE(out_of_order.read("k", {half, csv.size() - half}, ignore).ok());
  CHECK_FALSE(out_of_order.rows());
}
