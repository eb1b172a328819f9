#pragma once
// How patterns age (ARCHITECTURE.md, Learning model): a pattern unseen for a period loses confidence (decay) for
// every whole period, and one unseen long enough whose confidence has fallen low is archived
// (prune), never deleted. Decay is computed from last_seen and the time of the run, not added at
// each run: two runs in one day decay a pattern once, and a run that comes late catches up.
#include <optional>
#include <string>

#include "records/pattern.hpp"
#include "util/time_format.hpp"

namespace pat {

struct AgingOptions {
  double decay_per_period = 0.05;
  int decay_period_days = 30;
  int prune_after_days = 90;
  double prune_below = 0.70;
};

// Whole days from last_seen to now (0 when last_seen is missing or in the future).
int days_unseen(const Pattern& p, TimePoint now);

// The total decay a pattern should carry at `now`: decay_per_period for each whole period unseen.
double decay_due(const Pattern& p, TimePoint now, const AgingOptions& o);

// Whether an active pattern is to be archived at `now` (its decay counted).
bool prune_due(const Pattern& p, TimePoint now, const AgingOptions& o);

}  // namespace pat
