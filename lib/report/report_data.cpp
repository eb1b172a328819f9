#include "report/report_data.hpp"

#include <algorithm>
#include <functional>
#include <unordered_map>

#include <fmt/format.h>

#include "report/markdown_text.hpp"
#include "report/report_format.hpp"
#include "store/pattern_store.hpp"
#include "store/stored_events.hpp"
#include "store/verdict_store.hpp"
#include "util/iso_week.hpp"
#include "util/text.hpp"

namespace pat {
namespace {

constexpr double kEpsilon = 1e-9;

std::vector<Pattern> load_patterns(Store& store) {
  std::vector<Pattern> out;
  PatternStore(store).for_each([&](const Pattern& p) { out.push_back(p); });
  return out;
}

std::vector<Candidate> load_candidates(Store& store) { return PatternStore(store).candidates(); }

struct FailedEvent {
  std::optional<TimePoint> time;
  std::string tool;
  std::optional<std::int64_t> duration_ms;
  const std::optional<FailureDecision>* decision = nullptr;  // what patdetect decided, if it has
};

// Every failed event, with patdetect's decision about it.
void scan_failures(Store& store, const std::function<void(const FailedEvent&)>& visit) {
  FailedEvent e;
  for_each_failed_event(store, [&](const FailedEventRow& row) {
    e.time = parse_time(row.ts);
    e.tool = row.tool;
    e.duration_ms = row.duration_ms;
    e.decision = &row.decision;
    visit(e);
  });
}

void count_failure(FailureSummary& s, const std::string& tool, const std::optional<FailureDecision>& decision) {
  ++s.failures;
  if (!decision) {
    ++s.not_judged;
    return;
  }
  ++(decision->usage_mistake ? s.usage_mistakes : s.other_errors);
  ++s.by_class[decision->failure_class];
  s.usage_class[decision->failure_class] = decision->usage_mistake;
  if (decision->failure_class == "unexplained") ++s.unexplained[{tool, decision->template_text}];
}

struct ReportedVerdict {
  std::optional<TimePoint> time;
  std::string tool;
  Decision decision = Decision::warn;
  std::vector<std::string> patterns;  // highest confidence first, as patcheck lists them
};

std::vector<ReportedVerdict> load_verdicts(Store& store) {
  std::vector<ReportedVerdict> out;
  for (auto& v : VerdictStore(store).all())
    out.push_back({parse_time(v.ts), v.tool, v.decision, std::move(v.patterns)});
  return out;
}

// The ISO weeks of the trend, oldest first, the week of `now` last.
std::vector<IsoWeek> trend_weeks(const ReportOptions& o) {
  std::vector<IsoWeek> weeks;
  IsoWeek w = iso_week_of(o.now);
  for (int i = 0; i < o.trend_weeks; ++i, w = w.previous()) weeks.push_back(w);
  std::reverse(weeks.begin(), weeks.end());
  return weeks;
}

// The index of the trend week holding `t`, if any (and t is not after now).
std::optional<std::size_t> week_index(const std::vector<IsoWeek>& weeks, std::optional<TimePoint> t, TimePoint now) {
  if (!t || *t > now || weeks.empty()) return std::nullopt;
  const std::int64_t monday = iso_week_of(*t).monday;
  const std::int64_t offset = monday - weeks.front().monday;
  if (offset < 0 || offset % 7 != 0) return std::nullopt;
  const auto i = static_cast<std::size_t>(offset / 7);
  return i < weeks.size() ? std::optional<std::size_t>(i) : std::nullopt;
}

bool in_period(std::optional<TimePoint> t, TimePoint since, TimePoint now) { return t && *t > since && *t <= now; }

void keep_top(std::vector<Pattern>& v, std::size_t n,
              const std::function<bool(const Pattern&, const Pattern&)>& before) {
  std::sort(v.begin(), v.end(), before);
  if (v.size() > n) v.resize(n);
}

bool by_confidence(const Pattern& a, const Pattern& b) {
  if (a.confidence != b.confidence) return a.confidence > b.confidence;
  return a.base.id < b.base.id;
}

bool by_recent(const Pattern& a, const Pattern& b) {
  if (a.last_seen != b.last_seen) return a.last_seen > b.last_seen;
  return a.base.id < b.base.id;
}

bool by_occurrences(const CandidateEntry& a, const CandidateEntry& b) {
  if (a.candidate.occurrences != b.candidate.occurrences) return a.candidate.occurrences > b.candidate.occurrences;
  return a.candidate.id < b.candidate.id;
}

// Largest estimated saving first (unknown savings last), then occurrences, then id.
bool by_savings(const CandidateEntry& a, const CandidateEntry& b) {
  const std::int64_t sa = a.total_ms.value_or(-1), sb = b.total_ms.value_or(-1);
  if (sa != sb) return sa > sb;
  return by_occurrences(a, b);
}

template <typename T>
void truncate(std::vector<T>& v, std::size_t n) {
  if (v.size() > n) v.resize(n);
}

std::optional<std::int64_t> int_field(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  return it->is_number_integer() ? it->get<std::int64_t>() : static_cast<std::int64_t>(it->get<double>());
}

std::string short_id(const std::string& id) { return id.substr(0, 8); }

}  // namespace

std::optional<double> Ratio::value() const {
  if (whole == 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

Ratio prevention_success(const CheckCounts& c) { return {c.blocked, c.blocked + c.true_positive}; }

Ratio false_positive_rate(const CheckCounts& c) { return {c.false_positive, c.true_positive + c.false_positive}; }

std::optional<std::int64_t> median(std::vector<std::int64_t> v) {
  if (v.empty()) return std::nullopt;
  std::sort(v.begin(), v.end());
  const std::size_t mid = v.size() / 2;
  if (v.size() % 2 == 1) return v[mid];
  // Like patdetect's estimated savings: halfway between the two middle values, rounded down.
  return v[mid - 1] + (v[mid] - v[mid - 1]) / 2;
}

bool is_automation_type(const std::string& type) { return type == "repeated_execution" || type == "file_template"; }

CandidateEntry candidate_entry(const Candidate& c) {
  CandidateEntry e;
  e.candidate = c;
  e.confidence = confidence_for(c.occurrences);
  e.per_run_ms = int_field(c.estimated_savings, "per_run_ms");
  e.total_ms = int_field(c.estimated_savings, "total_ms");
  e.timed_runs = int_field(c.estimated_savings, "timed_runs").value_or(0);
  e.first_seen = c.ts;
  return e;
}

bool passes_thresholds(const CandidateEntry& e, const ReportOptions& o) {
  return e.candidate.occurrences >= o.min_occurrences && e.confidence + kEpsilon >= o.min_confidence &&
         e.total_ms.value_or(0) >= o.min_savings_ms;
}

std::optional<AgingEntry> decay_candidate(const Pattern& p, const ReportOptions& o) {
  if (p.status != PatternStatus::active) return std::nullopt;
  const double due = decay_due(p, o.now, o.aging);
  if (due <= p.decay + kEpsilon) return std::nullopt;
  return AgingEntry{p, days_unseen(p, o.now), due, pattern_confidence(p.observations, p.checks, due)};
}

std::optional<AgingEntry> prune_candidate(const Pattern& p, const ReportOptions& o) {
  // As patprune judges it: with the decay it is due first.
  Pattern after = p;
  const double due = decay_due(p, o.now, o.aging);
  if (due > p.decay + kEpsilon) {
    after.decay = due;
    after.confidence = pattern_confidence(p.observations, p.checks, due);
  }
  if (!prune_due(after, o.now, o.aging)) return std::nullopt;
  return AgingEntry{p, days_unseen(p, o.now), std::max(due, p.decay), after.confidence};
}

namespace {

LearningStatus learning_status(Store& store) {
  return LearningStatus{last_learning_run(store), events_to_learn(store)};
}

}  // namespace

DashboardData gather_dashboard(Store& store, const ReportOptions& o) {
  DashboardData d;
  d.now = format_rfc3339(o.now);
  Store::ReadTransaction tx(store);
  d.learning = learning_status(store);
  const std::vector<Pattern> patterns = load_patterns(store);
  std::vector<Pattern> active;
  for (const auto& p : patterns) {
    d.checks.warned += p.checks.warned;
    d.checks.blocked += p.checks.blocked;
    d.checks.true_positive += p.checks.true_positive;
    d.checks.false_positive += p.checks.false_positive;
    if (p.status != PatternStatus::active) {
      ++d.archived;
      continue;
    }
    ++d.active;
    if (p.confidence + kEpsilon >= o.high_confidence) ++d.high_confidence;
    active.push_back(p);
    if (auto e = decay_candidate(p, o)) d.decay.push_back(std::move(*e));
    if (auto e = prune_candidate(p, o)) d.prune.push_back(std::move(*e));
  }
  d.prevention_success = prevention_success(d.checks);
  d.false_positives = false_positive_rate(d.checks);
  const auto by_days = [](const AgingEntry& a, const AgingEntry& b) {
    if (a.days_unseen != b.days_unseen) return a.days_unseen > b.days_unseen;
    return a.pattern.base.id < b.pattern.base.id;
  };
  std::sort(d.decay.begin(), d.decay.end(), by_days);
  std::sort(d.prune.begin(), d.prune.end(), by_days);
  d.decay_total = static_cast<std::int64_t>(d.decay.size());
  d.prune_total = static_cast<std::int64_t>(d.prune.size());
  truncate(d.decay, o.top);
  truncate(d.prune, o.top);

  // Confidence in bins of 0.05 from 0.50 (every level threshold is a bin edge), one bin below.
  d.confidence_bins.push_back({0.0, 0.5, 0});
  for (int k = 0; k < 10; ++k) d.confidence_bins.push_back({round4(0.5 + 0.05 * k), round4(0.55 + 0.05 * k), 0});
  for (const auto& p : active) {
    const std::size_t bin =
        p.confidence < 0.5 - kEpsilon
            ? 0
            : 1 + std::min<std::size_t>(9, static_cast<std::size_t>((p.confidence - 0.5) * 20 + kEpsilon));
    ++d.confidence_bins[bin].patterns;
  }

  d.top_by_confidence = active;
  keep_top(d.top_by_confidence, o.top, by_confidence);
  d.top_by_recent = active;
  keep_top(d.top_by_recent, o.top, by_recent);

  for (const auto& c : load_candidates(store)) {
    if (c.type == "anti_pattern") {
      ++d.anti_pattern_candidates;
      d.anti_patterns.push_back(candidate_entry(c));
    } else if (is_automation_type(c.type)) {
      ++d.automation_candidates;
      CandidateEntry e = candidate_entry(c);
      if (passes_thresholds(e, o)) d.automation.push_back(std::move(e));
    }
  }
  d.automation_over_thresholds = static_cast<std::int64_t>(d.automation.size());
  std::sort(d.anti_patterns.begin(), d.anti_patterns.end(), by_occurrences);
  truncate(d.anti_patterns, o.top);
  std::sort(d.automation.begin(), d.automation.end(), by_savings);
  truncate(d.automation, o.top);

  d.events = store.count_events();
  const std::vector<IsoWeek> weeks = trend_weeks(o);
  for (const auto& w : weeks) d.weeks.push_back({w.label(), w.starts(), 0, 0, 0});
  scan_failures(store, [&](const FailedEvent& e) {
    count_failure(d.failures, e.tool, *e.decision);
    if (const auto i = week_index(weeks, e.time, o.now)) ++d.weeks[*i].failures;
  });
  for (const auto& v : load_verdicts(store))
    if (const auto i = week_index(weeks, v.time, o.now))
      ++(v.decision == Decision::block ? d.weeks[*i].blocked : d.weeks[*i].warned);
  return d;
}

ContextData gather_context(Store& store, const ReportOptions& o) {
  ContextData d;
  d.now = format_rfc3339(o.now);
  Store::ReadTransaction tx(store);
  PatternStore patterns(store);
  const auto counts = patterns.count_active();
  d.active = counts.active;
  d.eligible = counts.shown;
  d.patterns = patterns.top_shown(o.top);
  return d;
}

namespace {

using PatternsById = std::map<std::string, const Pattern*>;
using BlockedBy = std::map<std::string, std::pair<std::string, std::int64_t>>;  // pattern -> (tool, blocked)

// Verdicts in the period: every pattern a verdict names was used; a blocked call's time saved
// goes to its first pattern (the most confident match), so that a call counts once.
BlockedBy count_pattern_use(Store& store, const PatternsById& by_id, TimePoint since, const ReportOptions& o,
                            WeeklyData& d) {
  std::map<std::string, PatternUse> uses;
  BlockedBy blocked_by;
  for (const auto& v : load_verdicts(store)) {
    if (!in_period(v.time, since, o.now)) continue;
    const bool block = v.decision == Decision::block;
    ++(block ? d.blocked : d.warned);
    for (const auto& id : v.patterns) {
      const auto it = by_id.find(id);
      if (it == by_id.end()) continue;
      PatternUse& u = uses[id];
      u.pattern = *it->second;
      ++(block ? u.blocked : u.warned);
    }
    if (block && !v.patterns.empty()) {
      auto& [tool, count] = blocked_by[v.patterns.front()];
      const auto it = by_id.find(v.patterns.front());
      tool = it != by_id.end() ? it->second->base.tool : v.tool;
      ++count;
    }
  }
  for (auto& [id, u] : uses) d.top_used.push_back(std::move(u));
  std::sort(d.top_used.begin(), d.top_used.end(), [](const PatternUse& a, const PatternUse& b) {
    const std::int64_t ua = a.warned + a.blocked, ub = b.warned + b.blocked;
    if (ua != ub) return ua > ub;
    return by_confidence(a.pattern, b.pattern);
  });
  truncate(d.top_used, o.top);
  return blocked_by;
}

// The time each blocked call saved: the median duration of the failed calls of its tool, else of
// its pattern's example events, else of the tool's finished calls.
void count_time_saved(Store& store, const PatternsById& by_id, const BlockedBy& blocked_by,
                      const std::map<std::string, std::vector<std::int64_t>>& failed_durations, WeeklyData& d) {
  for (const auto& [id, tool_count] : blocked_by) {
    TimeSaved t;
    t.pattern = id;
    t.tool = tool_count.first;
    t.blocked = tool_count.second;
    std::vector<std::int64_t> samples;
    if (const auto it = failed_durations.find(t.tool); it != failed_durations.end() && !it->second.empty()) {
      samples = it->second;
      t.basis = "failed_calls_of_tool";
    } else if (const auto p = by_id.find(id);
               p != by_id.end() && !(samples = durations_of_events(store, p->second->base.events)).empty()) {
      t.basis = "example_events";
    } else if (!(samples = durations_of_finished_calls(store, t.tool)).empty()) {
      t.basis = "finished_calls_of_tool";
    } else {
      t.basis = "none";
    }
    t.samples = static_cast<std::int64_t>(samples.size());
    t.median_ms = median(std::move(samples));
    d.time_saved_ms += t.saved_ms();
    if (!t.median_ms) d.blocked_without_duration += t.blocked;
    d.time_saved.push_back(std::move(t));
  }
  std::sort(d.time_saved.begin(), d.time_saved.end(), [](const TimeSaved& a, const TimeSaved& b) {
    if (a.saved_ms() != b.saved_ms()) return a.saved_ms() > b.saved_ms();
    return a.pattern < b.pattern;
  });
}

// New automation candidates and anti-patterns that recurred in the period; returns the
// automation candidates over the thresholds, best first.
std::vector<CandidateEntry> weekly_candidates(Store& store, TimePoint since, const ReportOptions& o, WeeklyData& d) {
  std::vector<CandidateEntry> automation;
  for (const auto& c : load_candidates(store)) {
    CandidateEntry e = candidate_entry(c);
    if (c.type == "anti_pattern") {
      if (in_period(parse_time(c.ts), since, o.now)) d.anti_patterns.push_back(std::move(e));
    } else if (is_automation_type(c.type)) {
      // New: its first occurrence (the earliest of its example events, which are its first
      // ones) is in the period; without those events, its last occurrence stands in.
      if (const auto first = earliest_event_time(store, c.examples)) e.first_seen = *first;
      if (in_period(parse_time(e.first_seen), since, o.now)) d.new_candidates.push_back(e);
      if (passes_thresholds(e, o)) automation.push_back(std::move(e));
    }
  }
  std::sort(d.anti_patterns.begin(), d.anti_patterns.end(), by_occurrences);
  d.anti_patterns_total = static_cast<std::int64_t>(d.anti_patterns.size());
  truncate(d.anti_patterns, o.top);
  std::sort(d.new_candidates.begin(), d.new_candidates.end(), by_occurrences);
  d.new_candidates_total = static_cast<std::int64_t>(d.new_candidates.size());
  truncate(d.new_candidates, o.top);
  std::sort(automation.begin(), automation.end(), by_savings);
  return automation;
}

// Recommended actions: patterns to improve, aging due, the best automation candidates.
void recommend(const std::vector<Pattern>& patterns, const std::vector<CandidateEntry>& automation,
               const ReportOptions& o, WeeklyData& d) {
  std::int64_t decay_count = 0, prune_count = 0;
  for (const auto& p : patterns) {
    if (p.status != PatternStatus::active) continue;
    if (decay_candidate(p, o)) ++decay_count;
    if (prune_candidate(p, o)) ++prune_count;
    const auto rate = prevention_success(p.checks).value();
    if (rate && *rate < o.improve_below - kEpsilon) d.improve.push_back(p);
  }
  std::sort(d.improve.begin(), d.improve.end(), [](const Pattern& a, const Pattern& b) {
    const double ra = *prevention_success(a.checks).value(), rb = *prevention_success(b.checks).value();
    if (ra != rb) return ra < rb;
    return a.base.id < b.base.id;
  });
  d.improve_total = static_cast<std::int64_t>(d.improve.size());
  truncate(d.improve, o.top);
  for (const auto& p : d.improve) {
    const Ratio r = prevention_success(p.checks);
    d.actions.push_back(
        {"improve", p.base.id,
         fmt::format("Improve pattern {} ({}, {}): its prevention success rate is {} ({} of {} real mistakes "
                     "it caught were stopped before they ran), under {}. Sharpen its prevention steps, or let "
                     "`patcheck` block it (`--block-at`).",
                     md_code(short_id(p.base.id)), md_code(p.base.tool), md_code(category_name(p.base.category)),
                     format_percent(r.value()), r.part, r.whole, format_percent(o.improve_below))});
  }
  if (decay_count + prune_count > 0)
    d.actions.push_back({"age", "",
                         fmt::format("Run `patprune`: {} patterns are due for decay and {} for archiving "
                                     "(`patprune --dry-run` lists them).",
                                     decay_count, prune_count)});
  for (std::size_t i = 0; i < automation.size() && i < 3; ++i) {
    const CandidateEntry& e = automation[i];
    d.actions.push_back(
        {"automate", e.candidate.id,
         fmt::format("Automate {}: {} occurrences{} (`patreport candidates` has it ready for an issue).",
                     md_code(clip_text(e.candidate.signature, 120)), e.candidate.occurrences,
                     e.total_ms ? fmt::format(", about {} to save", format_duration(*e.total_ms)) : "")});
  }
}

}  // namespace

WeeklyData gather_weekly(Store& store, const ReportOptions& o) {
  WeeklyData d;
  d.days = o.period_days;
  const TimePoint since = o.now - std::chrono::hours(24) * o.period_days;
  d.now = format_rfc3339(o.now);
  d.since = format_rfc3339(since);
  Store::ReadTransaction tx(store);
  d.learning = learning_status(store);
  const std::vector<Pattern> patterns = load_patterns(store);
  PatternsById by_id;
  for (const auto& p : patterns) by_id[p.base.id] = &p;
  // Failures in the period; durations of every failed call by tool, for the time saved.
  std::map<std::string, std::vector<std::int64_t>> failed_durations;
  scan_failures(store, [&](const FailedEvent& e) {
    if (in_period(e.time, since, o.now)) count_failure(d.failures, e.tool, *e.decision);
    if (e.duration_ms) failed_durations[e.tool].push_back(*e.duration_ms);
  });
  const BlockedBy blocked_by = count_pattern_use(store, by_id, since, o, d);
  count_time_saved(store, by_id, blocked_by, failed_durations, d);
  const std::vector<CandidateEntry> automation = weekly_candidates(store, since, o, d);
  recommend(patterns, automation, o, d);
  return d;
}

CandidatesData gather_candidates(Store& store, const ReportOptions& o) {
  CandidatesData d;
  d.now = format_rfc3339(o.now);
  Store::ReadTransaction tx(store);
  for (const auto& c : load_candidates(store)) {
    if (!is_automation_type(c.type)) continue;
    ++d.considered;
    CandidateEntry e = candidate_entry(c);
    if (passes_thresholds(e, o)) d.entries.push_back(std::move(e));
  }
  std::sort(d.entries.begin(), d.entries.end(), by_savings);
  d.over_thresholds = static_cast<std::int64_t>(d.entries.size());
  truncate(d.entries, o.top);
  return d;
}

}  // namespace pat
