#include <chrono>
#include <cmath>
#include <limits>
#include <string>

#include <doctest/doctest.h>

#include "util/time_format.hpp"

using std::chrono::milliseconds;

namespace {

std::string norm(const char* s) { return pat::normalize_time(s).value_or("<rejected>"); }

// 2026-02-25T16:09:44Z in Unix seconds.
constexpr long long kEpoch = 1772035784;

}  // namespace

TEST_SUITE("time_format") {
  TEST_CASE("normalize_time: a time without zone is UTC, cut to milliseconds") {
    CHECK(norm("2026-02-25T16:09:44.068405") == "2026-02-25T16:09:44.068Z");
  }

  TEST_CASE("normalize_time: Z suffix, and no fraction gives .000") {
    CHECK(norm("2026-02-25T16:09:44Z") == "2026-02-25T16:09:44.000Z");
    CHECK(norm("2026-02-25T16:09:44.068Z") == "2026-02-25T16:09:44.068Z");
    CHECK(norm("2026-02-25t16:09:44.5z") == "2026-02-25T16:09:44.500Z");
  }

  TEST_CASE("normalize_time: offsets are converted to UTC") {
    CHECK(norm("2026-02-25T18:09:44.068+02:00") == "2026-02-25T16:09:44.068Z");
    CHECK(norm("2026-02-25T10:39:44-05:30") == "2026-02-25T16:09:44.000Z");
    CHECK(norm("2026-02-25T18:09:44+0200") == "2026-02-25T16:09:44.000Z");
  }

  TEST_CASE("normalize_time: an offset can move the date, across a month end") {
    CHECK(norm("2026-03-01T01:00:00+02:00") == "2026-02-28T23:00:00.000Z");
    CHECK(norm("2024-12-31T23:30:00-01:00") == "2025-01-01T00:30:00.000Z");
  }

  TEST_CASE("normalize_time: a space may separate date and time, a comma the fraction") {
    CHECK(norm("2026-02-25 16:09:44") == "2026-02-25T16:09:44.000Z");
    CHECK(norm("2026-02-25 16:09:44,123") == "2026-02-25T16:09:44.123Z");
  }

  TEST_CASE("normalize_time: leap day of a leap year") {
    CHECK(norm("2024-02-29T12:00:00Z") == "2024-02-29T12:00:00.000Z");
  }

  TEST_CASE("parse_time: garbage and partial times are rejected") {
    for (const std::string s :
         {"", "yesterday", "2026-02-25", "2026-02-25T16:09", "2026/02/25T16:09:44", "2026-13-01T00:00:00",
          "2026-00-10T00:00:00", "2026-02-00T00:00:00", "2026-02-25T24:00:00", "2026-02-25T16:60:00",
          "2026-02-25T16:09:44.", "2026-02-25T16:09:44Zjunk", "2026-02-25T16:09:44+2:00", "2026-02-25T16:09:44+02",
          "2026-02-25X16:09:44", " 2026-02-25T16:09:44", "1772035784"}) {
      CAPTURE(s);
      CHECK_FALSE(pat::parse_time(s).has_value());
    }
  }

  TEST_CASE("parse_time: impossible calendar dates are rejected") {
    // Day 31 of February passes the 1..31 range check and silently becomes 3 March.
    CHECK_FALSE(pat::parse_time("2026-02-31T00:00:00Z").has_value());
    CHECK_FALSE(pat::parse_time("2026-04-31T00:00:00Z").has_value());
    CHECK_FALSE(pat::parse_time("2025-02-29T00:00:00Z").has_value());
  }

  TEST_CASE("parse_time: the value is milliseconds since the Unix epoch") {
    const auto t = pat::parse_time("2026-02-25T16:09:44.068Z");
    REQUIRE(t);
    CHECK(t->time_since_epoch().count() == kEpoch * 1000 + 68);
    const auto zero = pat::parse_time("1970-01-01T00:00:00Z");
    REQUIRE(zero);
    CHECK(zero->time_since_epoch().count() == 0);
  }

  TEST_CASE("parse_epoch: seconds and milliseconds are told apart") {
    const auto s = pat::parse_epoch(static_cast<double>(kEpoch));
    REQUIRE(s);
    CHECK(pat::format_rfc3339(*s) == "2026-02-25T16:09:44.000Z");
    const auto ms = pat::parse_epoch(static_cast<double>(kEpoch * 1000 + 68));
    REQUIRE(ms);
    CHECK(pat::format_rfc3339(*ms) == "2026-02-25T16:09:44.068Z");
  }

  TEST_CASE("parse_epoch: fractional seconds keep their milliseconds") {
    const auto t = pat::parse_epoch(static_cast<double>(kEpoch) + 0.5);
    REQUIRE(t);
    CHECK(pat::format_rfc3339(*t) == "2026-02-25T16:09:44.500Z");
  }

  TEST_CASE("parse_epoch: negative, NaN, infinite and far-future values are rejected") {
    CHECK_FALSE(pat::parse_epoch(-1.0).has_value());
    CHECK_FALSE(pat::parse_epoch(std::nan("")).has_value());
    CHECK_FALSE(pat::parse_epoch(std::numeric_limits<double>::infinity()).has_value());
    CHECK_FALSE(pat::parse_epoch(1e16).has_value());
  }

  TEST_CASE("format_rfc3339: fixed values") {
    CHECK(pat::format_rfc3339(pat::TimePoint(milliseconds(0))) == "1970-01-01T00:00:00.000Z");
    CHECK(pat::format_rfc3339(pat::TimePoint(milliseconds(kEpoch * 1000 + 7))) == "2026-02-25T16:09:44.007Z");
  }

  TEST_CASE("format_rfc3339: times before 1970 borrow from the seconds correctly") {
    CHECK(pat::format_rfc3339(pat::TimePoint(milliseconds(-500))) == "1969-12-31T23:59:59.500Z");
  }

  TEST_CASE("format_rfc3339 and parse_time round trip") {
    for (const long long ms : {0LL, 1LL, 999LL, -1LL, -86400001LL, kEpoch * 1000 + 68, 253402300799999LL}) {
      CAPTURE(ms);
      const pat::TimePoint t{milliseconds(ms)};
      const std::string text = pat::format_rfc3339(t);
      const auto back = pat::parse_time(text);
      REQUIRE(back);
      CHECK(back->time_since_epoch().count() == ms);
      CHECK(pat::normalize_time(text) == text);
    }
  }

  TEST_CASE("now_rfc3339: has the record format and parses back") {
    const std::string now = pat::now_rfc3339();
    CHECK(now.size() == 24);
    CHECK(now.back() == 'Z');
    CHECK(now[10] == 'T');
    CHECK(pat::parse_time(now).has_value());
  }

}  // TEST_SUITE
