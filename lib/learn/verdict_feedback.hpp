#pragma once
// patcheck's feedback (ARCHITECTURE.md, Learning model): each verdict that warned or blocked a call is reconciled
// with the outcome of the same call (tool_use_id). A warned call that then succeeded is a false
// positive and lowers its patterns' confidence; one that failed with a pattern's template
// confirms that pattern and raises it. Verdicts whose call never reports an outcome (blocked
// calls do not run) are closed after `give_up_after`.
#include <chrono>
#include <cstdint>

#include "learn/pattern_learner.hpp"
#include "records/verdict.hpp"
#include "store/store.hpp"

namespace pat {

struct FeedbackStats {
  std::int64_t verdicts = 0, false_positives = 0, true_positives = 0, closed_without_outcome = 0;
};

FeedbackStats reconcile_verdicts(Store& store, PatternLearner& learner, double template_threshold,
                                 std::chrono::hours give_up_after = std::chrono::hours(24 * 7));

}  // namespace pat
