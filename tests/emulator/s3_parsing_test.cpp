// The S3 endpoint's small parsers and object bookkeeping, in-process: Range headers as S3
// reads them, CompleteMultipartUpload bodies, and ETags that follow files replaced directly.
#include <catch2/catch.hpp>

#include <fstream>

#include "s3/byte_range.hpp"
#include "s3/complete_request.hpp"
#include "s3/object_files.hpp"
#include "s3_test_server.hpp"

using namespace kbc::emulator::s3;
using Kind = RangeRequest::Kind;

TEST_CASE("Range headers follow S3: one range, clamped, suffixes, the rest ignored") {
  auto range = [](const std::string& header, std::uint64_t size) { return parse_range(header, size); };
  CHECK(range("bytes=0-9", 100).range.last == 9);
  CHECK(range("bytes=90-200", 100).range.last == 99);
  CHECK(range("bytes=-10", 100).range.first == 90);
  CHECK(range("bytes=-500", 100).range.first == 0);
  CHECK(range("bytes=50-", 100).range.length() == 50);
  CHECK(range("bytes=100-", 100).kind == Kind::unsatisfiable);
  CHECK(range("bytes=-0", 100).kind == Kind::unsatisfiable);
  CHECK(range("bytes=0-0", 0).kind == Kind::unsatisfiable);
  CHECK(range("bytes=0-1,5-6", 100).kind == Kind::whole);
  CHECK(range("items=0-1", 100).kind == Kind::whole);
  CHECK(range("bytes=9-3", 100).kind == Kind::whole);
  CHECK(range("", 100).kind == Kind::whole);
}

TEST_CASE("CompleteMultipartUpload bodies are read with their entities and rejected when malformed") {
  auto parts = parse_complete_request(
      "<?xml version=\"1.0\"?><CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Part><ETag>&quot;abc&quot;</ETag><PartNumber>1</PartNumber></Part>"
      "<Part><PartNumber> 2 </PartNumber><ETag>\"def\"</ETag><ChecksumCRC32>x</ChecksumCRC32></Part>"
      "</CompleteMultipartUpload>");
  REQUIRE(parts);
  REQUIRE(parts->size() == 2);
  CHECK((*parts)[0].number == 1);
  CHECK((*parts)[0].etag == "\"abc\"");
  CHECK((*parts)[1].number == 2);
  CHECK((*parts)[1].etag == "\"def\"");
  CHECK_FALSE(parse_complete_request("<CompleteMultipartUpload></CompleteMultipartUpload>"));
  CHECK_FALSE(parse_complete_request("<Other><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part></Other>"));
  CHECK_FALSE(parse_complete_request("<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>e</ETag></Part>"
                                     "</CompleteMultipartUpload>"));
}

TEST_CASE("an object replaced directly on disk never shows the ETag of its previous content") {
  kbc::test::s3::ScratchDir dir;
  ObjectFiles objects(dir.path());
  auto temp = objects.temp_path();
  std::ofstream(temp) << "first";
  ObjectMeta meta;
  meta.etag = "\"etag-of-first\"";
  meta.content_type = "text/csv";
  objects.commit(temp, "kbc-files", "a/b.csv", meta);
  REQUIRE(objects.stat("kbc-files", "a/b.csv")->meta.etag == "\"etag-of-first\"");
  CHECK(objects.stat("kbc-files", "a/b.csv")->meta.content_type == "text/csv");
  CHECK(objects.keys("kbc-files", "a/") == std::vector<std::string>{"a/b.csv"});
  CHECK(objects.keys("kbc-files", "../").empty());
  CHECK(objects.keys("kbc-files", "a/../").empty());

  std::ofstream(objects.object_path("kbc-files", "a/b.csv")) << "second, longer";
  auto info = objects.stat("kbc-files", "a/b.csv");
  CHECK(info->size == 14);
  CHECK(info->meta.etag != "\"etag-of-first\"");
  CHECK(info->meta.etag.size() == 34);  // quoted 32 hex digits

  CHECK(objects.remove("kbc-files", "a/b.csv"));
  CHECK_FALSE(objects.stat("kbc-files", "a/b.csv"));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "kbc-files" / "a"));
}
