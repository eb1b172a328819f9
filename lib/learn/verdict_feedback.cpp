#include "learn/verdict_feedback.hpp"

#include <map>

#include "detect/error_template.hpp"
#include "util/time_format.hpp"

namespace pat {
namespace {

struct Outcome {
  std::string outcome, error;
};

std::optional<Outcome> call_outcome(Store& store, const std::string& tool_use_id) {
  if (tool_use_id.empty()) return std::nullopt;
  // The events' call_key index answers this without a scan.
  SQLite::Statement q(store.db(), R"SQL(
SELECT outcome, json_extract(details, '$.error') FROM events WHERE call_key IN (?1 || '|failure', ?1 || '|success')
 ORDER BY outcome LIMIT 1
)SQL");
  q.bind(1, tool_use_id);
  if (!q.executeStep()) return std::nullopt;
  return Outcome{q.getColumn(0).getString(), q.getColumn(1).isNull() ? "" : q.getColumn(1).getString()};
}

}  // namespace

void record_verdict(Store& store, const Verdict& v, const std::string& session) {
  json ids = json::array();
  for (const auto& m : v.matches) ids.push_back(m.pattern);
  SQLite::Statement q(store.db(), R"SQL(
INSERT INTO verdicts(ts, session, tool, tool_use_id, decision, patterns) VALUES(?1, ?2, ?3, ?4, ?5, ?6)
)SQL");
  q.bind(1, now_rfc3339());
  if (session.empty()) q.bind(2); else q.bind(2, session);
  q.bind(3, v.tool);
  if (v.tool_use_id.empty()) q.bind(4); else q.bind(4, v.tool_use_id);
  q.bind(5, std::string(decision_name(v.decision)));
  q.bind(6, ids.dump());
  q.exec();
}

FeedbackStats reconcile_verdicts(Store& store, PatternLearner& learner, double template_threshold,
                                 std::chrono::hours give_up_after) {
  FeedbackStats stats;
  const auto now = pat::now();
  const std::string give_up_before = format_rfc3339(now - give_up_after);
  std::map<std::string, CheckCounts> deltas;
  SQLite::Statement q(store.db(),
                      "SELECT id, ts, tool_use_id, decision, patterns, counted FROM verdicts WHERE reconciled_at IS NULL");
  SQLite::Statement update(store.db(),
                           "UPDATE verdicts SET counted = 1, outcome = ?2, reconciled_at = ?3 WHERE id = ?1");
  const std::string now_text = format_rfc3339(now);
  while (q.executeStep()) {
    ++stats.verdicts;
    const std::int64_t id = q.getColumn(0).getInt64();
    const std::string ts = q.getColumn(1).getString();
    const std::string tool_use_id = q.getColumn(2).isNull() ? "" : q.getColumn(2).getString();
    const bool warned = q.getColumn(3).getString() == "warn";
    const json patterns = json::parse(q.getColumn(4).getString(), nullptr, false);
    const bool counted = q.getColumn(5).getInt() != 0;
    if (!patterns.is_array()) continue;
    const auto outcome = call_outcome(store, tool_use_id);
    for (const auto& pid : patterns) {
      if (!pid.is_string()) continue;
      CheckCounts& d = deltas[pid.get<std::string>()];
      if (!counted) (warned ? d.warned : d.blocked) += 1;
      if (!outcome) continue;
      if (outcome->outcome == "success") {
        ++d.false_positive;
        ++stats.false_positives;
      } else if (const auto p = learner.template_of(pid.get<std::string>());
                 p && template_similarity(failure_template(outcome->error), *p) >= template_threshold) {
        ++d.true_positive;
        ++stats.true_positives;
      }
    }
    update.bind(1, id);
    if (outcome) {
      update.bind(2, outcome->outcome);
      update.bind(3, now_text);
    } else if (ts < give_up_before) {
      update.bind(2, "none");
      update.bind(3, now_text);
      ++stats.closed_without_outcome;
    } else {
      update.bind(2);
      update.bind(3);
    }
    update.exec();
    update.reset();
  }
  for (const auto& [pid, d] : deltas) learner.feedback(pid, d);
  return stats;
}

}  // namespace pat
