#include "learn/pruner.hpp"

#include <fmt/format.h>

#include "store/pattern_store.hpp"
#include "store/stored_events.hpp"
#include "util/error.hpp"

namespace pat {
namespace {

Action action(const char* what, const Pattern& p, json from, json to, std::string reason) {
  Action a;
  a.action = what;
  a.pattern = p.base.id;
  a.from = std::move(from);
  a.to = std::move(to);
  a.reason = std::move(reason);
  return a;
}

void refresh(Pattern& p, const LevelThresholds& levels) {
  p.confidence = pattern_confidence(p.observations, p.checks, p.decay);
  p.level = level_for(p.confidence, levels);
}

}  // namespace

void age_patterns(Store& store, TimePoint now, const AgingOptions& aging, const LevelThresholds& levels, bool dry_run,
                  PruneResult& result) {
  PatternStore patterns(store);
  std::vector<Pattern> active;
  patterns.for_each([&](const Pattern& p) {
    if (p.status == PatternStatus::active) active.push_back(p);
  });
  for (Pattern& p : active) {
    const int days = days_unseen(p, now);
    std::string reasons;
    const double due = decay_due(p, now, aging);
    if (due > p.decay + 1e-9) {
      const double before = p.confidence, decay_before = p.decay;
      p.decay = due;
      refresh(p, levels);
      result.actions.push_back(action("decay", p, {{"confidence", before}, {"decay", decay_before}},
                                      {{"confidence", p.confidence}, {"decay", p.decay}},
                                      fmt::format("unseen for {} days", days)));
      ++result.decayed;
      result.confidence_change += p.confidence - before;
      reasons = fmt::format("decay to {}", p.decay);
    }
    if (prune_due(p, now, aging)) {
      p.status = PatternStatus::archived;
      result.actions.push_back(
          action("prune", p, {{"status", "active"}, {"confidence", p.confidence}}, {{"status", "archived"}},
                 fmt::format("unseen for {} days, confidence {} under {}", days, p.confidence, aging.prune_below)));
      ++result.pruned;
      reasons += reasons.empty() ? "archived" : "; archived";
    }
    if (reasons.empty() || dry_run) continue;
    ++p.version;
    patterns.save(p, "patprune: " + reasons);
  }
}

void restore_pattern(Store& store, const std::string& id, const LevelThresholds& levels, bool dry_run,
                     PruneResult& result) {
  PatternStore patterns(store);
  auto p = patterns.get(id);
  if (!p) throw Error(Exit::data_error, fmt::format("no pattern {}", id));
  if (p->status != PatternStatus::archived)
    throw Error(Exit::data_error, fmt::format("pattern {} is not archived", id));
  p->status = PatternStatus::active;
  refresh(*p, levels);
  result.actions.push_back(action("restore", *p, {{"status", "archived"}},
                                  {{"status", "active"}, {"confidence", p->confidence}}, "restored on request"));
  ++result.restored;
  if (dry_run) return;
  ++p->version;
  patterns.save(*p, "patprune: restored");
}

void remove_old_events(Store& store, TimePoint cutoff, bool dry_run, PruneResult& result) {
  result.events_removed = remove_events_before(store, format_rfc3339(cutoff), dry_run);
}

}  // namespace pat
