#include <memory>
#include <string>
#include <vector>

#include <SQLiteCpp/Statement.h>
#include <doctest/doctest.h>

#include "report/report_data.hpp"
#include "report/report_format.hpp"
#include "store/pattern_store.hpp"
#include "store/store.hpp"
#include "store/stored_events.hpp"
#include "unit_helpers.hpp"
#include "util/iso_week.hpp"

using pat::Candidate;
using pat::CheckCounts;
using pat::json;
using pat::Pattern;
using pat::ReportOptions;

namespace {

pat::TimePoint at(const char* text) { return *pat::parse_time(text); }

Pattern pattern(const std::string& id, const std::string& tool, double confidence, std::int64_t observations,
                const std::string& last_seen) {
  Pattern p;
  p.base.id = id;
  p.base.tool = tool;
  p.base.category = pat::Category::incorrect_parameter;
  p.base.template_text = "failure of " + tool;
  p.base.mistake = {{"param", "x"}, {"check", {{"type", "value"}, {"values", {id}}}}};
  p.base.root_cause = "A wrong parameter: `x` is " + id + ".";
  p.observations = observations;
  p.confidence = confidence;
  p.level = pat::level_for(confidence);
  p.first_seen = last_seen;
  p.last_seen = last_seen;
  return p;
}

Candidate candidate(const std::string& id, const std::string& type, std::int64_t occurrences, json savings) {
  Candidate c;
  c.id = id;
  c.type = type;
  c.signature = "test:pytest:" + id;
  c.occurrences = occurrences;
  c.ts = "2026-11-19T10:00:00.000Z";
  c.estimated_savings = std::move(savings);
  return c;
}

// An event id whose key (its first 63 bits) differs from the others'.
std::string eid(const std::string& name) { return name + std::string(16 - name.size(), '0'); }

// A store for gather_*: events, patterns, candidates and verdicts put in directly.
class ReportStore {
public:
  ReportStore() : store_(pat::Store::open(pat::StoreOptions{dir_ / "pat.db", 10000, false})) {}
  pat::Store& store() { return *store_; }

  void event(const std::string& id, const std::string& ts, const std::string& tool, const std::string& outcome,
             std::optional<std::int64_t> duration, const std::string& error = "") {
    SQLite::Statement q(store_->db(), R"SQL(
INSERT INTO events(key, id, ts, source, event, tool, outcome, duration_ms, details)
VALUES(?1, ?2, ?3, 'generic', 'exec', ?4, ?5, ?6, ?7)
)SQL");
    q.bind(1, pat::event_key(eid(id)));
    q.bind(2, eid(id));
    q.bind(3, ts);
    q.bind(4, tool);
    q.bind(5, outcome);
    if (duration)
      q.bind(6, *duration);
    else
      q.bind(6);
    if (error.empty())
      q.bind(7);
    else
      q.bind(7, json{{"error", error}}.dump());
    q.exec();
  }
  // What patdetect decided about a failed event.
  void decide(const std::string& id, const std::string& failure_class, bool usage_mistake) {
    pat::save_failure_decisions(*store_, {{eid(id), failure_class, usage_mistake, "<*>"}}, "2026-11-21T00:00:00.000Z");
  }
  void save(const Pattern& p) { pat::PatternStore(*store_).save(p, "test"); }
  void save(const Candidate& c) { pat::PatternStore(*store_).save_candidate(c); }
  void verdict(const std::string& ts, const std::string& tool, const std::string& decision,
               const std::string& pattern_id) {
    SQLite::Statement q(store_->db(),
                        "INSERT INTO verdicts(ts, tool, decision, patterns) VALUES(?1, ?2, ?3, json_array(?4))");
    q.bind(1, ts);
    q.bind(2, tool);
    q.bind(3, decision);
    q.bind(4, pattern_id);
    q.exec();
  }

private:
  pat_test::TempDir dir_;
  std::unique_ptr<pat::Store> store_;
};

ReportOptions options_at(const char* now) {
  ReportOptions o;
  o.now = at(now);
  return o;
}

}  // namespace

TEST_SUITE("report_data") {
  TEST_CASE("rates: n/a with nothing counted, else their fractions") {
    CheckCounts c;
    CHECK_FALSE(pat::prevention_success(c).value());
    CHECK_FALSE(pat::false_positive_rate(c).value());
    c.blocked = 1;
    c.true_positive = 3;
    c.false_positive = 1;
    c.warned = 9;  // warnings alone count for neither
    CHECK(*pat::prevention_success(c).value() == doctest::Approx(0.25));
    CHECK(pat::prevention_success(c).whole == 4);
    CHECK(*pat::false_positive_rate(c).value() == doctest::Approx(0.25));
    CHECK(pat::false_positive_rate(c).part == 1);
  }

  TEST_CASE("median: middle value, halfway between the two middle ones, none of nothing") {
    CHECK_FALSE(pat::median({}));
    CHECK(*pat::median({5}) == 5);
    CHECK(*pat::median({9, 1, 5}) == 5);
    CHECK(*pat::median({1, 2, 3, 10}) == 2);  // (2 + 3) / 2 rounded down
    CHECK(*pat::median({10, 20}) == 15);
  }

  TEST_CASE("candidates: confidence from the occurrences on the patterns' curve, and the thresholds") {
    ReportOptions o;
    const auto five = pat::candidate_entry(candidate("a", "repeated_execution", 5, {{"runs", 5}}));
    CHECK(five.confidence == pat::confidence_for(5));
    CHECK_FALSE(pat::passes_thresholds(five, o));  // 0.6636 < 0.70
    const auto seven = pat::candidate_entry(candidate(
        "b", "repeated_execution", 7, {{"per_run_ms", 1000}, {"total_ms", 7000}, {"runs", 7}, {"timed_runs", 7}}));
    CHECK(pat::passes_thresholds(seven, o));
    CHECK(*seven.per_run_ms == 1000);
    CHECK(*seven.total_ms == 7000);
    CHECK(seven.timed_runs == 7);
    o.min_savings_ms = 8000;
    CHECK_FALSE(pat::passes_thresholds(seven, o));
    o.min_savings_ms = 0;
    o.min_occurrences = 8;
    CHECK_FALSE(pat::passes_thresholds(seven, o));
    CHECK(pat::is_automation_type("file_template"));
    CHECK_FALSE(pat::is_automation_type("anti_pattern"));
  }

  TEST_CASE("aging: due for decay after each whole period unseen, archived as patprune would") {
    const ReportOptions o = options_at("2026-11-21T12:00:00Z");
    Pattern recent = pattern("r", "t", 0.75, 10, "2026-11-01T12:00:00.000Z");  // 20 days
    CHECK_FALSE(pat::decay_candidate(recent, o));
    Pattern month = pattern("m", "t", 0.75, 10, "2026-10-20T12:00:00.000Z");  // 32 days
    const auto d = pat::decay_candidate(month, o);
    REQUIRE(d);
    CHECK(d->days_unseen == 32);
    CHECK(d->decay_due == doctest::Approx(0.05));
    CHECK(d->confidence_after == doctest::Approx(0.70));
    CHECK_FALSE(pat::prune_candidate(month, o));  // under 90 days
    month.decay = 0.05;                           // already decayed: nothing more is due
    CHECK_FALSE(pat::decay_candidate(month, o));
    // 95 days unseen: 0.75 less 3 periods is under 0.70, so it is archived, though 0.75 is not.
    Pattern old = pattern("o", "t", 0.75, 10, "2026-08-18T12:00:00.000Z");
    const auto p = pat::prune_candidate(old, o);
    REQUIRE(p);
    CHECK(p->confidence_after == doctest::Approx(0.60));
    Pattern strong = pattern("s", "t", 0.95, 100, "2026-08-18T12:00:00.000Z");
    CHECK_FALSE(pat::prune_candidate(strong, o));  // 0.80 after decay
    old.status = pat::PatternStatus::archived;
    CHECK_FALSE(pat::decay_candidate(old, o));
    CHECK_FALSE(pat::prune_candidate(old, o));
  }

  TEST_CASE("ISO weeks: Monday to Sunday, the year of the week's Thursday") {
    auto week = [](const char* t) { return pat::iso_week_of(at(t)); };
    CHECK(week("2026-11-21T12:00:00Z").label() == "2026-W47");
    CHECK(week("2026-11-21T12:00:00Z").starts() == "2026-11-16");
    CHECK(week("2026-11-16T00:00:00Z").label() == "2026-W47");
    CHECK(week("2026-11-15T23:59:59Z").label() == "2026-W46");
    CHECK(week("2021-01-03T12:00:00Z").label() == "2020-W53");
    CHECK(week("2024-12-30T12:00:00Z").label() == "2025-W01");
    CHECK(week("2026-01-01T00:00:00Z").previous().label() == "2025-W52");
    CHECK(pat::format_rfc3339(week("2026-11-19T08:00:00Z").start()) == "2026-11-16T00:00:00.000Z");
  }

  TEST_CASE("dashboard: totals, classes, rates, top lists ordered with ties by id, the weekly trend") {
    ReportStore s;
    s.event("e1", "2026-11-18T10:00:00.000Z", "git", "failure", 100,
            "fatal: unable to access 'https://x/': Could not resolve host: x");
    s.event("e2", "2026-11-19T10:00:00.000Z", "git", "failure", std::nullopt, "some odd failure");
    s.event("e3", "2026-11-05T10:00:00.000Z", "git", "failure", std::nullopt, "bash: just: command not found");
    s.event("e4", "2026-11-19T11:00:00.000Z", "git", "success", 50);
    s.event("e5", "2026-12-01T10:00:00.000Z", "git", "failure", std::nullopt, "after now");
    // patdetect judged the first three (the classes are its decisions, not the error texts').
    s.decide("e1", "network", false);
    s.decide("e2", "unclassified", false);
    s.decide("e3", "MISSING_PREREQUISITE", true);
    Pattern b = pattern("bbbb", "git", 0.9, 50, "2026-11-19T10:00:00.000Z");
    b.checks.blocked = 1;
    b.checks.true_positive = 1;
    b.checks.false_positive = 2;
    s.save(b);
    s.save(pattern("aaaa", "git", 0.9, 50, "2026-11-18T10:00:00.000Z"));
    s.save(pattern("cccc", "git", 0.5, 1, "2026-11-20T10:00:00.000Z"));
    Pattern archived = pattern("dddd", "git", 0.3, 1, "2026-01-01T00:00:00.000Z");
    archived.status = pat::PatternStatus::archived;
    s.save(archived);
    s.save(candidate("c1", "repeated_execution", 10, {{"per_run_ms", 10}, {"total_ms", 100}, {"runs", 10}}));
    s.save(candidate("c2", "anti_pattern", 4, {{"runs", 4}}));
    s.verdict("2026-11-19T10:00:00.000Z", "git", "block", "bbbb");
    s.verdict("2026-11-10T10:00:00.000Z", "git", "warn", "bbbb");

    const auto d = pat::gather_dashboard(s.store(), options_at("2026-11-21T12:00:00Z"));
    CHECK(d.active == 3);
    CHECK(d.archived == 1);
    CHECK(d.high_confidence == 2);
    CHECK(d.events == 5);
    CHECK(d.failures.failures == 4);
    CHECK(d.failures.usage_mistakes == 1);  // command not found
    CHECK(d.failures.other_errors == 2);
    CHECK(d.failures.not_judged == 1);  // stored after patdetect's run
    CHECK(d.failures.by_class.at("network") == 1);
    CHECK(d.failures.by_class.at("unclassified") == 1);
    CHECK(d.failures.by_class.count("MISSING_PREREQUISITE") == 1);
    CHECK(*d.prevention_success.value() == doctest::Approx(0.5));
    CHECK(*d.false_positives.value() == doctest::Approx(2.0 / 3.0));
    REQUIRE(d.top_by_confidence.size() == 3);
    CHECK(d.top_by_confidence[0].base.id == "aaaa");  // 0.9 = 0.9: by id
    CHECK(d.top_by_confidence[1].base.id == "bbbb");
    CHECK(d.top_by_recent[0].base.id == "cccc");
    CHECK(d.automation.size() == 1);
    CHECK(d.anti_patterns.size() == 1);
    REQUIRE(d.weeks.size() == 8);
    CHECK(d.weeks.back().week == "2026-W47");
    CHECK(d.weeks.back().failures == 2);  // the failure after --now is not counted
    CHECK(d.weeks.back().blocked == 1);
    CHECK(d.weeks[6].warned == 1);    // 2026-W46
    CHECK(d.weeks[5].failures == 1);  // 2026-W45
    std::int64_t binned = 0;
    for (const auto& bin : d.confidence_bins) binned += bin.patterns;
    CHECK(binned == 3);
    CHECK(d.confidence_bins[9].patterns == 2);  // 0.90-0.95
    CHECK(d.confidence_bins[1].patterns == 1);  // 0.50-0.55
  }

  TEST_CASE("weekly: the period, uses, time saved and how it was computed, what to improve") {
    ReportStore s;
    s.event("f1", "2026-11-19T10:00:00.000Z", "deploy", "failure", 4000, "namespace 'x' is not reserved");
    s.event("f2", "2026-11-19T11:00:00.000Z", "deploy", "failure", 2000, "namespace 'y' is not reserved");
    s.event("f3", "2026-11-19T12:00:00.000Z", "Edit", "failure", std::nullopt, "File has not been read yet.");
    s.event("a1", "2026-11-19T12:00:00.000Z", "Edit", "success", 80);
    s.event("a2", "2026-11-19T12:00:01.000Z", "Edit", "success", 120);
    s.event("b0", "2026-11-01T12:00:00.000Z", "deploy", "failure", 9000, "namespace 'z' is not reserved");
    Pattern deploy = pattern("p-deploy", "deploy", 0.9, 50, "2026-11-19T11:00:00.000Z");
    deploy.checks.blocked = 2;
    deploy.checks.true_positive = 2;  // 50 %: to improve
    s.save(deploy);
    Pattern edit = pattern("p-edit", "Edit", 0.8, 20, "2026-11-19T12:00:00.000Z");
    edit.base.events = {eid("a1"), eid("a2")};  // example events with durations
    s.save(edit);
    s.verdict("2026-11-20T10:00:00.000Z", "deploy", "block", "p-deploy");
    s.verdict("2026-11-20T11:00:00.000Z", "deploy", "block", "p-deploy");
    s.verdict("2026-11-20T12:00:00.000Z", "Edit", "block", "p-edit");
    s.verdict("2026-11-20T13:00:00.000Z", "Edit", "warn", "p-edit");
    s.verdict("2026-11-01T10:00:00.000Z", "deploy", "block", "p-deploy");  // before the period

    const auto w = pat::gather_weekly(s.store(), options_at("2026-11-21T12:00:00Z"));
    CHECK(w.failures.failures == 3);
    CHECK(w.blocked == 3);
    CHECK(w.warned == 1);
    REQUIRE(w.top_used.size() == 2);
    CHECK(w.top_used[0].pattern.base.id == "p-deploy");  // 2 uses, then p-edit's 2 by confidence
    REQUIRE(w.time_saved.size() == 2);
    CHECK(w.time_saved[0].pattern == "p-deploy");
    CHECK(w.time_saved[0].basis == "failed_calls_of_tool");
    CHECK(*w.time_saved[0].median_ms == 4000);  // of 2000, 4000, 9000: every failed call of the tool
    CHECK(w.time_saved[0].saved_ms() == 8000);
    CHECK(w.time_saved[1].basis == "example_events");
    CHECK(*w.time_saved[1].median_ms == 100);
    CHECK(w.time_saved_ms == 8100);
    REQUIRE(w.improve.size() == 1);
    CHECK(w.improve[0].base.id == "p-deploy");
    REQUIRE_FALSE(w.actions.empty());
    CHECK(w.actions[0].action == "improve");
    CHECK(w.actions[0].text.find("50.0 %") != std::string::npos);
  }

  TEST_CASE("context: active patterns at medium or above, by level, confidence and id") {
    ReportStore s;
    s.save(pattern("b", "t", 0.8, 20, "2026-11-19T10:00:00.000Z"));
    s.save(pattern("a", "t", 0.8, 20, "2026-11-19T10:00:00.000Z"));
    s.save(pattern("c", "t", 0.97, 100, "2026-11-19T10:00:00.000Z"));
    s.save(pattern("low", "t", 0.6, 3, "2026-11-19T10:00:00.000Z"));
    ReportOptions o = options_at("2026-11-21T12:00:00Z");
    o.top = 2;
    const auto c = pat::gather_context(s.store(), o);
    CHECK(c.active == 4);
    CHECK(c.eligible == 3);
    REQUIRE(c.patterns.size() == 2);
    CHECK(c.patterns[0].base.id == "c");
    CHECK(c.patterns[1].base.id == "a");
  }

  TEST_CASE("report numbers never round past a threshold") {
    CHECK(pat::format_confidence(0.9499) == "0.9499");
    CHECK(pat::format_confidence(0.95) == "0.95");
    CHECK(pat::format_confidence(0.5) == "0.50");
    CHECK(pat::format_confidence(0.7056) == "0.7056");
    CHECK(pat::format_percent(0.7996) == "79.9 %");
    CHECK(pat::format_percent(0.29) == "29.0 %");
    CHECK(pat::format_percent(1.0) == "100.0 %");
    CHECK(pat::format_percent(std::nullopt) == "n/a");
    CHECK(pat::format_duration(850) == "850 ms");
    CHECK(pat::format_duration(1899) == "1.8 s");
    CHECK(pat::format_duration(252'000) == "4 min 12 s");
    CHECK(pat::format_duration(7'500'000) == "2 h 05 min");
  }

}  // TEST_SUITE
