#include "time_format.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>

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
  const auto ms = t.time_since_epoch().count();
  long long secs = ms / 1000;
  long long rem = ms % 1000;
  if (rem < 0) {
    rem += 1000;
    --secs;
  }
  const std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, rem);
  return buf;
}

std::string now_rfc3339() {
  return format_rfc3339(std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now()));
}

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
      !digits(s, 8, 2, D) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !digits(s, 11, 2, h) || s[13] != ':' || !digits(s, 14, 2, m) || s[16] != ':' ||
      !digits(s, 17, 2, sec))
    return std::nullopt;
  if (M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || sec > 60) return std::nullopt;
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

}  // namespace pat
