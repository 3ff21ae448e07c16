// changedSince: relative times count back from the run's start; absolute times are ISO 8601.
#include <catch2/catch.hpp>

#include "kbc_storage_extract/changed_since.hpp"

using kbc::ChangedSince;
using namespace std::chrono;

namespace {
const ChangedSince::Clock::time_point kNow = sys_days(year{2026} / 11 / 25) + hours(12);

ChangedSince::Clock::time_point resolved(const char* text) {
  const auto parsed = ChangedSince::parse(text);
  REQUIRE(parsed.has_value());
  return parsed->resolve(kNow);
}
}  // namespace

TEST_CASE("relative times count back from now in every unit, singular or plural", "[changedSince]") {
  CHECK(resolved("-30 seconds") == kNow - seconds(30));
  CHECK(resolved("-1 second") == kNow - seconds(1));
  CHECK(resolved("-15 minutes") == kNow - minutes(15));
  CHECK(resolved("-3 hours") == kNow - hours(3));
  CHECK(resolved("-1 hour") == kNow - hours(1));
  CHECK(resolved("-2 days") == kNow - days(2));
  CHECK(resolved("-1 days") == kNow - days(1));
  CHECK(resolved("-1 week") == kNow - weeks(1));
  CHECK(resolved("-2 weeks") == kNow - weeks(2));
  CHECK(ChangedSince::parse("-2 days")->relative());
  CHECK(ChangedSince::parse("-2 days")->text() == "-2 days");
}

TEST_CASE("relative times also read as 'N units ago', ignore case and extra spaces", "[changedSince]") {
  CHECK(resolved("2 days ago") == kNow - days(2));
  CHECK(resolved("  -2   Days ") == kNow - days(2));
  CHECK(resolved("-2days") == kNow - days(2));
  CHECK(resolved("10 MINUTES AGO") == kNow - minutes(10));
  CHECK(ChangedSince::parse("  -2 days ")->text() == "-2 days");
}

TEST_CASE("absolute dates and timestamps are read as ISO 8601", "[changedSince]") {
  const auto midnight = sys_days(year{2026} / 11 / 20);
  CHECK(resolved("2026-11-20") == midnight);
  CHECK(resolved("2026-11-20T10:00:00Z") == midnight + hours(10));
  CHECK(resolved("2026-11-20T10:00Z") == midnight + hours(10));
  CHECK(resolved("2026-11-20 10:00:00Z") == midnight + hours(10));
  CHECK(resolved("2026-11-20T10:00:00+01:00") == midnight + hours(9));
  CHECK(resolved("2026-11-20T10:00:00-0230") == midnight + hours(12) + minutes(30));
  CHECK(resolved("2026-11-20T10:00:00.250Z") == midnight + hours(10) + milliseconds(250));
  CHECK(resolved("2026-11-20T10:00:00") == midnight + hours(10));  // no offset: UTC
  CHECK(resolved("2200-12-31T23:59:59Z") == sys_days(year{2201} / 1 / 1) - seconds(1));  // the last year taken
  CHECK_FALSE(ChangedSince::parse("2026-11-20")->relative());
  // The run's clock does not move an absolute time.
  CHECK(ChangedSince::parse("2026-11-20")->resolve(kNow + days(5)) == midnight);
}

TEST_CASE("anything else is rejected", "[changedSince]") {
  for (const char* bad : {"", "  ", "yesterday", "now", "2 days", "-2", "-days", "-2 fortnights", "+2 days",
                          "in 2 days", "-1.5 hours", "-0 days", "-2 days ago", "2026-02-30", "2026-13-01",
                          "2026-11-20T25:00:00Z", "2026-11-20T10:60Z", "20261120", "2026-11-20T10:00:00+25:00",
                          "1700000000", "-9999999999 days", "-999999999 weeks",
                          "2999-01-01T00:00:00Z", "2201-01-01", "1899-12-31", "9999-12-31T23:59:59Z"}) {
    INFO('"' << bad << '"');
    CHECK_FALSE(ChangedSince::parse(bad).has_value());
  }
}

TEST_CASE("absolute times are years 1900 to 2200, which the clock holds", "[changedSince]") {
  // Found by fuzz/values_fuzzer: year 1526 overflowed the nanosecond clock (UB) while parsing.
  for (const char* bad : {"1526-11-20Tago", "1526-11-20", "1899-12-31", "2201-01-01", "9999-12-31T23:59:59Z"}) {
    INFO('"' << bad << '"');
    CHECK_FALSE(ChangedSince::parse(bad).has_value());
  }
  CHECK(resolved("1900-01-01") == sys_days(year{1900} / 1 / 1));
  CHECK(resolved("2200-12-31T23:59:59-23:59") == sys_days(year{2201} / 1 / 1) + hours(23) + minutes(58) + seconds(59));
}
