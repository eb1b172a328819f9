#pragma once
// patprune's work (ARCHITECTURE.md, Learning model): age the patterns (decay what has not been seen for a while,
// archive what has not been seen for long and fell low), bring archived ones back on request,
// and remove old events without removing the evidence that patterns cite. Every change is one
// action record and, for a pattern, one new version (patlearn --rollback can undo it).
#include <cstdint>
#include <string>
#include <vector>

#include "learn/aging.hpp"
#include "learn/confidence.hpp"
#include "records/action.hpp"
#include "store/store.hpp"

namespace pat {

struct PruneResult {
  std::vector<Action> actions;
  std::int64_t decayed = 0, pruned = 0, restored = 0;
  double confidence_change = 0.0;  // summed over the decayed patterns
  std::int64_t events_removed = 0;
};

// Decays and prunes every active pattern as of `now`. The caller runs it in a transaction; with
// `dry_run` nothing is written and the actions say what would be done.
void age_patterns(Store& store, TimePoint now, const AgingOptions& aging, const LevelThresholds& levels, bool dry_run,
                  PruneResult& result);

// Makes an archived pattern active again. pat::Error(data_error) for an unknown or active one.
void restore_pattern(Store& store, const std::string& id, const LevelThresholds& levels, bool dry_run,
                     PruneResult& result);

// Removes the events older than `cutoff`, except those patterns and candidates cite as examples.
void remove_old_events(Store& store, TimePoint cutoff, bool dry_run, PruneResult& result);

}  // namespace pat
