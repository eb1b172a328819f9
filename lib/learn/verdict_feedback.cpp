#include "learn/verdict_feedback.hpp"

#include <map>

#include "detect/error_lines.hpp"
#include "detect/template_similarity.hpp"
#include "store/stored_events.hpp"
#include "store/verdict_store.hpp"
#include "util/time_format.hpp"

namespace pat {

FeedbackStats reconcile_verdicts(Store& store, PatternLearner& learner, double template_threshold,
                                 std::chrono::hours give_up_after) {
  FeedbackStats stats;
  const auto now = pat::now();
  const std::string give_up_before = format_rfc3339(now - give_up_after);
  const std::string now_text = format_rfc3339(now);
  std::map<std::string, CheckCounts> deltas;
  VerdictStore verdicts(store);
  verdicts.for_each_open([&](const StoredVerdict& v) {
    ++stats.verdicts;
    if (!v.readable) {  // a corrupt row names no pattern it could count for: close it
      verdicts.mark(v.id, "none", now_text);
      ++stats.closed_without_outcome;
      return;
    }
    const auto outcome = call_outcome(store, v.tool_use_id);
    for (const auto& pid : v.patterns) {
      CheckCounts& d = deltas[pid];
      if (!v.counted) (v.decision == Decision::warn ? d.warned : d.blocked) += 1;
      if (!outcome) continue;
      if (outcome->outcome == Outcome::success) {
        ++d.false_positive;
        ++stats.false_positives;
      } else if (const auto p = learner.template_of(pid);
                 p && template_similarity(
                          outcome->template_text ? *outcome->template_text : failure_template(outcome->error), *p) >=
                          template_threshold) {
        ++d.true_positive;
        ++stats.true_positives;
      }
    }
    if (outcome) {
      verdicts.mark(v.id, std::string(outcome_name(outcome->outcome)), now_text);
    } else if (v.ts < give_up_before) {
      verdicts.mark(v.id, "none", now_text);
      ++stats.closed_without_outcome;
    } else {
      verdicts.mark(v.id, std::nullopt, std::nullopt);
    }
  });
  // A verdict counted before and still waiting for its outcome changes nothing: no new version.
  for (const auto& [pid, d] : deltas)
    if (d.warned || d.blocked || d.true_positive || d.false_positive) learner.feedback(pid, d);
  return stats;
}

}  // namespace pat
