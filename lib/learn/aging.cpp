#include "learn/aging.hpp"

#include <algorithm>
#include <cmath>

namespace pat {

int days_unseen(const Pattern& p, TimePoint now) {
  const auto seen = parse_time(p.last_seen);
  if (!seen || *seen >= now) return 0;
  return static_cast<int>(std::chrono::duration_cast<std::chrono::hours>(now - *seen).count() / 24);
}

double decay_due(const Pattern& p, TimePoint now, const AgingOptions& o) {
  if (o.decay_period_days <= 0) return 0.0;
  const int periods = days_unseen(p, now) / o.decay_period_days;
  // Rounded like confidences, so that the same run gives the same stored number; at most 1, the
  // whole confidence, however long the pattern was unseen.
  return std::min(1.0, std::round(periods * o.decay_per_period * 10000.0) / 10000.0);
}

bool prune_due(const Pattern& p, TimePoint now, const AgingOptions& o) {
  return p.status == PatternStatus::active && days_unseen(p, now) >= o.prune_after_days && p.confidence < o.prune_below;
}

}  // namespace pat
