#include "report/report_json.hpp"

#include "report/report_format.hpp"

namespace pat {
namespace {

json ratio_json(const Ratio& r) {
  const auto v = r.value();
  return {{"rate", v ? json(round4(*v)) : json(nullptr)}, {"part", r.part}, {"whole", r.whole}};
}

json checks_json(const CheckCounts& c) {
  return {{"warned", c.warned},
          {"blocked", c.blocked},
          {"true_positive", c.true_positive},
          {"false_positive", c.false_positive}};
}

json optional_string(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json pattern_json(const Pattern& p) {
  return {{"id", p.base.id},
          {"tool", p.base.tool},
          {"category", category_name(p.base.category)},
          {"level", level_name(p.level)},
          {"confidence", p.confidence},
          {"observations", p.observations},
          {"first_seen", optional_string(p.first_seen)},
          {"last_seen", optional_string(p.last_seen)},
          {"status", p.status},
          {"decay", p.decay},
          {"root_cause", p.base.root_cause},
          {"prevention", p.base.prevention.empty() ? json(nullptr) : json(p.base.prevention.front().action)},
          {"checks", checks_json(p.checks)},
          {"prevention_success_rate", ratio_json(prevention_success(p.checks))},
          {"false_positive_rate", ratio_json(false_positive_rate(p.checks))}};
}

json patterns_json(const std::vector<Pattern>& v) {
  json a = json::array();
  for (const auto& p : v) a.push_back(pattern_json(p));
  return a;
}

json aging_json(const std::vector<AgingEntry>& v) {
  json a = json::array();
  for (const auto& e : v)
    a.push_back({{"pattern", pattern_json(e.pattern)},
                 {"days_unseen", e.days_unseen},
                 {"decay_due", e.decay_due},
                 {"confidence_after", e.confidence_after}});
  return a;
}

json optional_int(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }

json candidate_json(const CandidateEntry& e, bool first_seen) {
  const Candidate& c = e.candidate;
  json j = {{"id", c.id},
            {"type", c.type},
            {"signature", c.signature},
            {"occurrences", c.occurrences},
            {"confidence", e.confidence},
            {"last_seen", optional_string(c.ts)},
            {"template", c.template_text},
            {"invariants", c.invariants},
            {"variables", c.variables},
            {"examples", c.examples},
            {"saving_per_run_ms", optional_int(e.per_run_ms)},
            {"saving_total_ms", optional_int(e.total_ms)},
            {"timed_runs", e.timed_runs}};
  if (first_seen) j["first_seen"] = optional_string(e.first_seen);
  return j;
}

json candidates_list(const std::vector<CandidateEntry>& v, bool first_seen = false) {
  json a = json::array();
  for (const auto& e : v) a.push_back(candidate_json(e, first_seen));
  return a;
}

json failures_json(const FailureSummary& f) {
  json classes = json::object();
  for (const auto& [name, n] : f.by_class) classes[name] = {{"failures", n}, {"usage_mistake", f.usage_class.at(name)}};
  json unexplained = json::array();
  for (const auto& [key, n] : f.unexplained)
    unexplained.push_back({{"tool", key.first}, {"template", key.second}, {"failures", n}});
  return {{"failures", f.failures},     {"usage_mistakes", f.usage_mistakes},
          {"not_judged", f.not_judged}, {"other_errors", f.other_errors},
          {"by_class", classes},        {"unexplained", unexplained}};
}

json thresholds_json(const ReportOptions& o) {
  return {{"min_occurrences", o.min_occurrences},
          {"min_confidence", o.min_confidence},
          {"min_savings_ms", o.min_savings_ms}};
}

}  // namespace

namespace {

json learning_json(const LearningStatus& l) {
  json last = nullptr;
  if (l.last)
    last = {{"trigger", l.last->trigger}, {"started_at", l.last->started_at}, {"finished_at", l.last->finished_at},
            {"status", l.last->status},   {"events", l.last->events},         {"patterns", l.last->patterns},
            {"message", l.last->message}};
  return {{"last_run", last}, {"events_waiting", l.waiting}};
}

}  // namespace

json dashboard_json(const DashboardData& d, const ReportOptions& o) {
  json bins = json::array();
  for (const auto& b : d.confidence_bins) bins.push_back({{"from", b.from}, {"to", b.to}, {"patterns", b.patterns}});
  json weeks = json::array();
  for (const auto& w : d.weeks)
    weeks.push_back({{"week", w.week},
                     {"starts", w.starts},
                     {"failures", w.failures},
                     {"warned", w.warned},
                     {"blocked", w.blocked}});
  return {{"report", "dashboard"},
          {"now", d.now},
          {"totals",
           {{"active_patterns", d.active},
            {"archived_patterns", d.archived},
            {"high_confidence_patterns", d.high_confidence},
            {"high_confidence_from", o.high_confidence},
            {"events", d.events},
            {"automation_candidates", d.automation_candidates},
            {"automation_candidates_over_thresholds", d.automation_over_thresholds},
            {"anti_patterns", d.anti_pattern_candidates}}},
          {"failures", failures_json(d.failures)},
          {"learning", learning_json(d.learning)},
          {"prevention",
           {{"checks", checks_json(d.checks)},
            {"prevention_success_rate", ratio_json(d.prevention_success)},
            {"false_positive_rate", ratio_json(d.false_positives)}}},
          {"aging",
           {{"decay", aging_json(d.decay)},
            {"decay_total", d.decay_total},
            {"prune", aging_json(d.prune)},
            {"prune_total", d.prune_total},
            {"options",
             {{"decay", o.aging.decay_per_period},
              {"decay_days", o.aging.decay_period_days},
              {"prune_days", o.aging.prune_after_days},
              {"prune_below", o.aging.prune_below}}}}},
          {"top_by_confidence", patterns_json(d.top_by_confidence)},
          {"top_by_recent_activity", patterns_json(d.top_by_recent)},
          {"anti_patterns", candidates_list(d.anti_patterns)},
          {"automation_candidates", candidates_list(d.automation)},
          {"thresholds", thresholds_json(o)},
          {"confidence_distribution", bins},
          {"weekly_trend", weeks}};
}

json context_json(const ContextData& d) {
  return {{"report", "context"},
          {"now", d.now},
          {"active_patterns", d.active},
          {"eligible_patterns", d.eligible},
          {"patterns", patterns_json(d.patterns)}};
}

json weekly_json(const WeeklyData& d, const ReportOptions& o) {
  json uses = json::array();
  for (const auto& u : d.top_used)
    uses.push_back({{"pattern", pattern_json(u.pattern)}, {"warned", u.warned}, {"blocked", u.blocked}});
  json saved = json::array();
  for (const auto& t : d.time_saved)
    saved.push_back({{"pattern", t.pattern},
                     {"tool", t.tool},
                     {"blocked", t.blocked},
                     {"median_ms", optional_int(t.median_ms)},
                     {"basis", t.basis},
                     {"samples", t.samples},
                     {"saved_ms", t.saved_ms()}});
  json actions = json::array();
  for (const auto& a : d.actions) actions.push_back({{"action", a.action}, {"subject", a.subject}, {"text", a.text}});
  return {{"report", "weekly"},
          {"now", d.now},
          {"since", d.since},
          {"days", d.days},
          {"failures", failures_json(d.failures)},
          {"learning", learning_json(d.learning)},
          {"verdicts", {{"warned", d.warned}, {"blocked", d.blocked}}},
          {"top_by_use", uses},
          {"time_saved",
           {{"total_ms", d.time_saved_ms},
            {"blocked_without_duration", d.blocked_without_duration},
            {"by_pattern", saved}}},
          {"new_candidates", candidates_list(d.new_candidates, true)},
          {"new_candidates_total", d.new_candidates_total},
          {"anti_patterns", candidates_list(d.anti_patterns)},
          {"anti_patterns_total", d.anti_patterns_total},
          {"improve", patterns_json(d.improve)},
          {"improve_total", d.improve_total},
          {"improve_below", o.improve_below},
          {"thresholds", thresholds_json(o)},
          {"recommended_actions", actions}};
}

json candidates_json(const CandidatesData& d, const ReportOptions& o) {
  return {{"report", "candidates"},           {"now", d.now},
          {"considered", d.considered},       {"over_thresholds", d.over_thresholds},
          {"thresholds", thresholds_json(o)}, {"candidates", candidates_list(d.entries)}};
}

json session_start_output(const std::string& context) {
  return {{"hookSpecificOutput", {{"hookEventName", "SessionStart"}, {"additionalContext", context}}}};
}

std::string report_text(const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n"; }

}  // namespace pat
