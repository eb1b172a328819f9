#include "report/report_format.hpp"

#include <cmath>

#include <fmt/format.h>

namespace pat {

std::string format_confidence(double c) {
  std::string s = fmt::format("{:.4f}", c);
  while (s.size() > 4 && s.back() == '0' && s[s.size() - 3] != '.') s.pop_back();
  return s;
}

std::string format_percent(std::optional<double> share) {
  if (!share) return "n/a";
  // The small epsilon keeps 0.29 (0.28999...) from reading 28.9 %.
  const double tenths = std::floor(*share * 1000.0 + 1e-6);
  return fmt::format("{:.1f} %", tenths / 10.0);
}

std::string format_duration(std::int64_t ms) {
  if (ms < 1000) return fmt::format("{} ms", ms);
  if (ms < 60'000) return fmt::format("{:.1f} s", static_cast<double>(ms / 100) / 10.0);
  const std::int64_t s = ms / 1000;
  if (s < 3600) return fmt::format("{} min {:02} s", s / 60, s % 60);
  return fmt::format("{} h {:02} min", s / 3600, (s % 3600) / 60);
}

double round4(double v) { return std::round(v * 10000.0) / 10000.0; }

}  // namespace pat
