#pragma once
// The numbers of patreport's reports (man 1 patreport), gathered from the store into plain
// structs that the Markdown and JSON renderers only lay out: every definition (rates, aging,
// time saved, what is new) lives here, once. Every time computation uses ReportOptions::now,
// never the clock, and every list has a total order (ties broken by id), so that the same store
// and the same `now` give the same report byte for byte.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "learn/aging.hpp"
#include "learn/confidence.hpp"
#include "records/candidate.hpp"
#include "records/pattern.hpp"
#include "store/learning_runs.hpp"
#include "store/store.hpp"
#include "util/time_format.hpp"

namespace pat {

struct ReportOptions {
  TimePoint now{};
  std::size_t top = 10;              // rows in each "top" list
  std::int64_t min_occurrences = 5;  // automation candidates: at least this many occurrences,
  double min_confidence = 0.70;      // ... this confidence (confidence_for(occurrences)),
  std::int64_t min_savings_ms = 0;   // ... and this estimated saving in all
  double high_confidence = 0.80;     // "high-confidence patterns" in the totals
  double improve_below = 0.80;       // weekly: prevention success rate that flags a pattern
  int period_days = 7;               // weekly: the period, up to now
  int trend_weeks = 8;               // ISO weeks in the trend, the current one included
  AgingOptions aging;                // decay and prune candidates, as patprune would judge
};

// part / whole, or none when whole is 0 ("n/a").
struct Ratio {
  std::int64_t part = 0, whole = 0;
  std::optional<double> value() const;
};

// blocked / (blocked + true_positive): of the real mistakes patcheck caught, the share it
// stopped before they ran.
Ratio prevention_success(const CheckCounts& c);
// false_positive / (true_positive + false_positive): of the warnings and blocks whose outcome
// is known, the share that were wrong.
Ratio false_positive_rate(const CheckCounts& c);

// Failed events by the class patdetect gave them: usage-mistake categories, other classes and
// "unclassified"; those it has not judged yet are counted apart.
struct FailureSummary {
  std::int64_t failures = 0, usage_mistakes = 0, other_errors = 0, not_judged = 0;
  std::map<std::string, std::int64_t> by_class;  // class name -> failed events
  std::map<std::string, bool> usage_class;       // class name -> whether it is a usage mistake
  // The failures nothing explains yet (class "unexplained"), by (tool, template): where a check
  // is missing, or a mistake has not recurred yet.
  std::map<std::pair<std::string, std::string>, std::int64_t> unexplained;
};

// A pattern that the next patprune run would decay or archive.
struct AgingEntry {
  Pattern pattern;
  int days_unseen = 0;
  double decay_due = 0.0;         // the total decay it should carry now
  double confidence_after = 0.0;  // its confidence with that decay
};

struct CandidateEntry {
  Candidate candidate;
  double confidence = 0.0;                 // confidence_for(occurrences): the patterns' curve
  std::optional<std::int64_t> per_run_ms;  // estimated_savings.per_run_ms
  std::optional<std::int64_t> total_ms;    // estimated_savings.total_ms
  std::int64_t timed_runs = 0;             // estimated_savings.timed_runs
  std::string first_seen;                  // weekly only: earliest example event, else ts
};

struct ConfidenceBin {
  double from = 0.0, to = 0.0;  // [from, to); the last bin includes 1
  std::int64_t patterns = 0;
};

struct WeekEntry {
  std::string week;    // "2026-W47"
  std::string starts;  // its Monday, "2026-11-16"
  std::int64_t failures = 0, warned = 0, blocked = 0;
};

// How learning keeps up: its latest run that started by itself (patsetup learn, at the end of a
// session) and the events stored since patdetect last read, which the next run learns from.
struct LearningStatus {
  std::optional<LearningRun> last;
  std::int64_t waiting = 0;
};

struct DashboardData {
  std::string now;
  std::int64_t active = 0, archived = 0, high_confidence = 0, events = 0;
  std::int64_t automation_candidates = 0, anti_pattern_candidates = 0;  // all, before thresholds
  FailureSummary failures;
  CheckCounts checks;  // summed over every pattern
  Ratio prevention_success, false_positives;
  std::vector<AgingEntry> decay, prune;  // the first `top` of each, longest unseen first
  std::int64_t decay_total = 0, prune_total = 0;
  std::vector<Pattern> top_by_confidence, top_by_recent;
  std::vector<CandidateEntry> anti_patterns;  // top by occurrences
  std::vector<CandidateEntry> automation;     // over the thresholds, top by savings
  std::int64_t automation_over_thresholds = 0;
  std::vector<ConfidenceBin> confidence_bins;  // active patterns
  std::vector<WeekEntry> weeks;                // oldest first
  LearningStatus learning;
};

struct ContextData {
  std::string now;
  std::int64_t active = 0;        // active patterns
  std::int64_t eligible = 0;      // active at level medium or above
  std::vector<Pattern> patterns;  // the top ones: by level, confidence, id
};

struct PatternUse {
  Pattern pattern;
  std::int64_t warned = 0, blocked = 0;  // verdicts in the period that named it
};

// Time saved by the blocked calls of one pattern in the period.
struct TimeSaved {
  std::string pattern, tool;
  std::int64_t blocked = 0;
  std::optional<std::int64_t> median_ms;  // per blocked call
  std::string basis;                      // failed_calls_of_tool | example_events | finished_calls_of_tool | none
  std::int64_t samples = 0;               // durations the median was taken over
  std::int64_t saved_ms() const { return median_ms ? *median_ms * blocked : 0; }
};

struct Recommendation {
  std::string action;   // improve | age | automate
  std::string subject;  // pattern id, candidate id, or "" for the store
  std::string text;     // one line of inline Markdown (values from the store in code spans)
};

struct WeeklyData {
  std::string now, since;  // the period: (since, now]
  int days = 7;
  FailureSummary failures;               // failed events in the period
  std::int64_t warned = 0, blocked = 0;  // verdicts in the period
  std::vector<PatternUse> top_used;
  std::vector<TimeSaved> time_saved;  // by saved time, then pattern id
  std::int64_t time_saved_ms = 0;
  std::int64_t blocked_without_duration = 0;
  std::vector<CandidateEntry> new_candidates;                      // automation candidates first seen in the period
  std::vector<CandidateEntry> anti_patterns;                       // anti-patterns that recurred in the period
  std::int64_t new_candidates_total = 0, anti_patterns_total = 0;  // (the lists hold the first `top`)
  std::vector<Pattern> improve;    // active, prevention success rate under improve_below
  std::int64_t improve_total = 0;  // (improve holds the first `top`, lowest rate first)
  std::vector<Recommendation> actions;
  LearningStatus learning;
};

struct CandidatesData {
  std::string now;
  std::int64_t considered = 0;  // automation candidates in the store
  std::int64_t over_thresholds = 0;
  std::vector<CandidateEntry> entries;  // the first `top` over the thresholds: by savings, occurrences, id
};

// Each reads the store in one read transaction, so that all of a report's numbers come from one
// state of it even while hooks write. Errors of SQLite pass through (rethrow_store_error maps
// them to exit statuses); a bad rules file is pat::Error(config).
DashboardData gather_dashboard(Store& store, const ReportOptions& o);
ContextData gather_context(Store& store, const ReportOptions& o);
WeeklyData gather_weekly(Store& store, const ReportOptions& o);
CandidatesData gather_candidates(Store& store, const ReportOptions& o);

// The pieces, for tests and for each other.
bool is_automation_type(const std::string& candidate_type);  // repeated_execution, file_template
CandidateEntry candidate_entry(const Candidate& c);
bool passes_thresholds(const CandidateEntry& e, const ReportOptions& o);
std::optional<AgingEntry> decay_candidate(const Pattern& p, const ReportOptions& o);
std::optional<AgingEntry> prune_candidate(const Pattern& p, const ReportOptions& o);
// The median; of an even count, halfway between the two middle values (rounded down).
std::optional<std::int64_t> median(std::vector<std::int64_t> values);

}  // namespace pat
