#pragma once
// `patlearn --import` reads patterns written elsewhere: a shared file is untrusted. Before an
// imported pattern joins the store it is validated against limits, its check is tried on this
// store's own successful calls of the tool (a check that matches one of them is refused: it
// would stop good calls here), and its evidence is discounted, so that it can warn but never
// block until local evidence (this machine's observations and confirmed verdicts) raises it.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "records/pattern.hpp"
#include "store/store.hpp"
#include "store/stored_events.hpp"

namespace pat {

// Limits of an imported record (the learner's own records stay far below them).
inline constexpr std::size_t kMaxImportedTextBytes = 2000;    // template, root cause, a prevention step
inline constexpr std::size_t kMaxImportedSteps = 10;          // prevention steps
inline constexpr std::size_t kMaxImportedCheckBytes = 16384;  // the mistake record as JSON
inline constexpr std::size_t kMaxImportedValueBytes = 200;    // a value, prefix or suffix in the check
inline constexpr std::int64_t kMaxImportedObservations = 50;  // counted evidence: confidence 0.90, below blocking
inline constexpr std::size_t kLocalSuccessesTried = 1000;     // the tool's latest successful calls

// Why an imported pattern is refused, or nullopt when it may be imported. One guard serves a
// whole import: each tool's successful calls are read from the store once.
class ImportGuard {
public:
  explicit ImportGuard(Store& store) : store_(store) {}
  std::optional<std::string> refuse(const Pattern& p);

private:
  Store& store_;
  std::map<std::string, std::vector<SessionCall>> successes_;  // by tool
};

// The pattern as this store trusts it: none of the exporter's verdict counts but its false
// positives (only local verdicts confirm). Its observations count up to
// kMaxImportedObservations in all (the ceiling of PatternLearner::import).
Pattern discounted(Pattern p);

}  // namespace pat
