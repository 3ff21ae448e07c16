// The emulator's streaming CSV reader on RFC 4180 corner cases (in-process, no server).
#include <catch2/catch.hpp>

#include "api/table_operations.hpp"
#include "data/csv.hpp"
#include "util/time_format.hpp"

using kbc::emulator::StringReader;
using kbc::emulator::data::CsvDialect;
using kbc::emulator::data::CsvReader;

namespace {

std::vector<std::vector<std::string>> parse(const std::string& text, CsvDialect dialect = {}) {
  StringReader input(text);
  CsvReader reader(input, dialect);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  while (reader.next(row)) rows.push_back(row);
  return rows;
}

using Rows = std::vector<std::vector<std::string>>;

}  // namespace

TEST_CASE("csv reader handles quotes, doubled quotes, embedded newlines, CRLF, BOM and empty fields") {
  CHECK(parse("\xEF\xBB\xBFid,name\r\n1,\"a,b\"\r\n2,\"say \"\"hi\"\"\"\r\n3,\"two\nlines\"\n4,\n,\n") ==
        Rows{{"id", "name"}, {"1", "a,b"}, {"2", "say \"hi\""}, {"3", "two\nlines"}, {"4", ""}, {"", ""}});
  CHECK(parse("a,b\n1,2") == Rows{{"a", "b"}, {"1", "2"}});
  CHECK(parse("a\n\n\nb\n") == Rows{{"a"}, {"b"}});
  CHECK(parse("") == Rows{});
}

TEST_CASE("csv reader follows the delimiter enclosure and escapedBy parameters") {
  CHECK(parse("a;b\n'x;y';z\n", CsvDialect{';', '\'', '\0'}) == Rows{{"a", "b"}, {"x;y", "z"}});
  CHECK(parse("a\tb\nx\\\ty\tz\n", CsvDialect{'\t', '\0', '\\'}) == Rows{{"a", "b"}, {"x\ty", "z"}});
  CHECK_THROWS(parse("a\n\"open\n"));
  CHECK_THROWS(parse("a\n\"x\"y\n"));
}

TEST_CASE("changedSince accepts unix timestamps ISO datetimes and relative phrases") {
  using kbc::emulator::parse_time_expression;
  const std::int64_t now = 1700000000;
  CHECK(parse_time_expression("1699990000", now) == 1699990000);
  CHECK(parse_time_expression("2023-11-14T22:13:20Z", now) == now);
  CHECK(parse_time_expression("2023-11-14T23:13:20+01:00", now) == now);
  CHECK(parse_time_expression("2023-11-14 22:13:20", now) == now);
  CHECK(parse_time_expression("-2 days", now) == now - 2 * 86400);
  CHECK(parse_time_expression("-1 hour", now) == now - 3600);
  CHECK(parse_time_expression("3 weeks ago", now) == now - 3 * 604800);
  CHECK(parse_time_expression("-15 minutes", now) == now - 900);
  CHECK_FALSE(parse_time_expression("yesterday-ish", now));
  CHECK_FALSE(parse_time_expression("-2 parsecs", now));
}
