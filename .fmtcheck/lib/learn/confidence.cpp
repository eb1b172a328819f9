#include "learn/confidence.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace pat {
namespace {

struct Point {
  double observations, confidence;
};
constexpr std::array<Point, 6> kCurve = {{{1, 0.50}, {3, 0.60}, {10, 0.75}, {25, 0.85}, {50, 0.90}, {100, 0.95}}};

// Rounded to 4 decimals so that the stored value, the printed value and a re-computed value are
// the same number (no 0.7499999 that prints as 0.75 but sits under the medium threshold).
double round4(double v) { return std::round(v * 10000.0) / 10000.0; }

}  // namespace

double confidence_for(std::int64_t observations) {
  if (observations <= 0) return 0.0;
  const auto n = static_cast<double>(observations);
  if (n >= kCurve.back().observations) return kCurve.back().confidence;
  for (std::size_t i = 1; i < kCurve.size(); ++i) {
    const Point lo = kCurve[i - 1], hi = kCurve[i];
    if (n <= hi.observations) {
      const double t = std::log(n / lo.observations) / std::log(hi.observations / lo.observations);
      return round4(lo.confidence + t * (hi.confidence - lo.confidence));
    }
  }
  return kCurve.back().confidence;
}

double pattern_confidence(std::int64_t observations, const CheckCounts& checks, double decay) {
  const double c = confidence_for(observations) + kTruePositiveBonus * static_cast<double>(checks.true_positive) -
                   kFalsePositivePenalty * static_cast<double>(checks.false_positive) - decay;
  return round4(std::clamp(c, 0.0, kMaxConfidence));
}

}  // namespace pat
