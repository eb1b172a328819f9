#include "util/time_format.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "util/error.hpp"

namespace pat {
namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

// Days from 1970-01-01 to the given civil date (proleptic Gregorian; H. Hinnant's algorithm).
long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

}  // namespace

std::string format_rfc3339(TimePoint t) {
  // By hand rather than gmtime_r + snprintf: this runs for every event of a bulk ingest.
  const long long ms_total = t.time_since_epoch().count();
  long long days = ms_total / 86400000;
  long long ms_of_day = ms_total % 86400000;
  if (ms_of_day < 0) {
    ms_of_day += 86400000;
    --days;
  }
  // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
  const long long z = days + 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const long long doe = z - era * 146097;
  const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long long mp = (5 * doy + 2) / 153;
  const long long d = doy - (153 * mp + 2) / 5 + 1;
  const long long m = mp < 10 ? mp + 3 : mp - 9;
  const long long y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  std::string out = "0000-00-00T00:00:00.000Z";
  auto put = [&out](std::size_t at, long long v, int width) {
    for (int i = width - 1; i >= 0; --i) {
      out[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
  };
  put(0, y < 0 ? 0 : y, 4);
  put(5, m, 2);
  put(8, d, 2);
  put(11, ms_of_day / 3600000, 2);
  put(14, ms_of_day / 60000 % 60, 2);
  put(17, ms_of_day / 1000 % 60, 2);
  put(20, ms_of_day % 1000, 3);
  return out;
}

TimePoint now() {
  const char* fixed = std::getenv("PAT_NOW");
  if (fixed == nullptr || *fixed == '\0') return std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now());
  if (auto t = parse_time(fixed)) return *t;
  char* end = nullptr;
  const double epoch = std::strtod(fixed, &end);
  if (end != fixed && *end == '\0')
    if (auto t = parse_epoch(epoch)) return *t;
  throw Error(Exit::config, std::string("PAT_NOW: \"") + fixed + "\" is not a time (RFC 3339, or epoch seconds)");
}

std::string now_rfc3339() { return format_rfc3339(now()); }

std::optional<TimePoint> parse_epoch(double value) {
  if (!std::isfinite(value) || value < 0) return std::nullopt;
  // Values past 1e11 can only be milliseconds (1e11 seconds is the year 5138).
  const double ms = value > 1e11 ? value : value * 1000.0;
  if (ms > 253402300799999.0) return std::nullopt;  // after 9999-12-31
  return TimePoint(std::chrono::milliseconds(static_cast<long long>(ms)));
}

std::optional<TimePoint> parse_time(std::string_view s) {
  int Y, M, D, h, m, sec;
  if (!digits(s, 0, 4, Y) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, M) || s[7] != '-' ||
      !digits(s, 8, 2, D) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s, 11, 2, h) || s[13] != ':' ||
      !digits(s, 14, 2, m) || s[16] != ':' || !digits(s, 17, 2, sec))
    return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (M < 1 || M > 12 || h > 23 || m > 59 || sec > 60) return std::nullopt;
  const bool leap = (Y % 4 == 0 && Y % 100 != 0) || Y % 400 == 0;
  if (D < 1 || D > kDays[M - 1] + (M == 2 && leap ? 1 : 0)) return std::nullopt;
  std::size_t i = 19;
  long long millis = 0;
  if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
    ++i;
    int scale = 100, n = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (n++ < 3) {
        millis += (s[i] - '0') * scale;
        scale /= 10;
      }
      ++i;
    }
    if (n == 0) return std::nullopt;
  }
  long long offset_min = 0;
  if (i < s.size()) {
    if (s[i] == 'Z' || s[i] == 'z') {
      ++i;
    } else if (s[i] == '+' || s[i] == '-') {
      int oh, om;
      const int sign = s[i] == '-' ? -1 : 1;
      if (!digits(s, i + 1, 2, oh)) return std::nullopt;
      std::size_t j = i + 3;
      if (j < s.size() && s[j] == ':') ++j;
      if (!digits(s, j, 2, om)) return std::nullopt;
      if (oh > 23 || om > 59) return std::nullopt;
      offset_min = sign * (oh * 60 + om);
      i = j + 2;
    }
  }
  if (i != s.size()) return std::nullopt;
  const long long days = days_from_civil(Y, static_cast<unsigned>(M), static_cast<unsigned>(D));
  const long long total = ((days * 24 + h) * 60 + m - offset_min) * 60 + sec;
  return TimePoint(std::chrono::milliseconds(total * 1000 + millis));
}

std::optional<std::string> normalize_time(std::string_view text) {
  if (auto t = parse_time(text)) return format_rfc3339(*t);
  return std::nullopt;
}

std::chrono::milliseconds from_hours(double hours) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(hours * 3600000.0)));
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  std::size_t i = 0;
  std::int64_t n = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (n > 1'000'000'000) return std::nullopt;
    n = n * 10 + (text[i++] - '0');
  }
  if (i == 0) return std::nullopt;
  const std::string_view unit = text.substr(i);
  std::int64_t ms_per_unit;
  if (unit == "ms")
    ms_per_unit = 1;
  else if (unit == "s")
    ms_per_unit = 1000;
  else if (unit == "m")
    ms_per_unit = 60'000;
  else if (unit == "h")
    ms_per_unit = 3'600'000;
  else if (unit == "d")
    ms_per_unit = 86'400'000;
  else if (unit == "w")
    ms_per_unit = 7 * 86'400'000LL;
  else
    return std::nullopt;
  return std::chrono::milliseconds(n * ms_per_unit);
}

}  // namespace pat
