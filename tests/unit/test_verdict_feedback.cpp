#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Statement.h>
#include <doctest/doctest.h>

#include "detect/error_lines.hpp"
#include "detect/template_similarity.hpp"
#include "learn/confidence.hpp"
#include "learn/pattern_learner.hpp"
#include "learn/verdict_feedback.hpp"
#include "records/pattern.hpp"
#include "store/pattern_store.hpp"
#include "store/store.hpp"
#include "store/stored_events.hpp"
#include "store/verdict_store.hpp"
#include "store_fixture.hpp"
#include "unit_helpers.hpp"
#include "util/content_hash.hpp"

using pat::Decision;
using pat::FeedbackStats;
using pat::json;
using pat::Pattern;

namespace {

constexpr const char* kTool = "mcp__git__show_commit";
constexpr const char* kTemplate = "Invalid SHA <*>: expected 40 hex characters";
constexpr double kThreshold = 0.70;  // patlearn's default merge threshold
// Every test runs at this time (PAT_NOW); verdicts are recorded an hour before it.
constexpr const char* kNow = "2026-03-01T12:00:00Z";
constexpr const char* kVerdictTs = "2026-03-01T11:00:00.000Z";

// A pattern with 10 observations: confidence 0.75 before any feedback.
Pattern pattern(const std::string& id, const std::string& tmpl = kTemplate) {
  Pattern p;
  p.base.id = id;
  p.base.tool = kTool;
  p.base.category = pat::Category::parameter_format;
  p.base.template_text = tmpl;
  p.base.mistake = {{"param", "sha"}, {"check", {{"type", "value"}, {"values", {"abc1234"}}}}};
  p.base.root_cause = "A value in the wrong format.";
  p.observations = 10;
  p.confidence = pat::confidence_for(10);
  p.level = pat::level_for(p.confidence);
  p.first_seen = p.last_seen = "2026-02-25T16:09:44.068Z";
  return p;
}

// What the verdicts table says about one verdict after reconciliation.
struct VerdictRow {
  bool counted = false;
  std::optional<std::string> outcome, reconciled_at;
};

// A store with patterns, patcheck's verdicts and the calls' outcomes; `reconcile` is one patlearn
// run's feedback step, saved in the same transaction as patlearn does.
class Fixture : public pat_test::PatternStoreFixture {
public:
  Fixture() : now_("PAT_NOW", kNow) {}

  // patcheck warned or blocked the call `tool_use_id` because of `patterns`; returns the row id.
  std::int64_t verdict(Decision decision, const std::string& tool_use_id, const std::vector<std::string>& patterns,
                       const std::string& ts = kVerdictTs) {
    pat::Verdict v;
    v.tool = kTool;
    v.tool_use_id = tool_use_id;
    v.decision = decision;
    for (const auto& id : patterns) v.matches.push_back({id, 0.75, 10, "", {}});
    pat::Store::Transaction tx(store());
    pat::VerdictStore(store()).record(v, "sess-1", ts);
    tx.commit();
    return store().db().getLastInsertRowid();
  }

  // The call ended: a PostToolUse(Failure) hook event with its tool_use_id (call_key
  // "<tool_use_id>|<outcome>", what call_outcome looks up). Returns the event id.
  std::string outcome(const std::string& tool_use_id, pat::Outcome outcome, const std::string& error = "") {
    pat::Event e;
    e.id = pat::content_hash("event\x1f" + tool_use_id);
    e.ts = "2026-03-01T11:00:01.000Z";
    e.source = "claude-hook";
    e.session = "sess-1";
    e.event = outcome == pat::Outcome::success ? "PostToolUse" : "PostToolUseFailure";
    e.tool = kTool;
    e.tool_use_id = tool_use_id;
    e.outcome = outcome;
    json details = {{"input", {{"sha", "abc1234"}}}};
    if (!error.empty()) details["error"] = error;
    pat::Store::Transaction tx(store());
    REQUIRE(store().insert_event(e, details.dump()) == pat::InsertResult::stored);
    tx.commit();
    return e.id;
  }

  FeedbackStats reconcile(std::chrono::hours give_up_after = std::chrono::hours(24 * 7)) {
    pat::Store::Transaction tx(store());
    pat::PatternStore patterns(store());
    pat::PatternLearner learner(patterns, pat::LearnOptions{});
    const FeedbackStats stats = pat::reconcile_verdicts(store(), learner, kThreshold, give_up_after);
    learner.save();
    tx.commit();
    return stats;
  }

  VerdictRow row(std::int64_t id) {
    SQLite::Statement q(store().db(), "SELECT counted, outcome, reconciled_at FROM verdicts WHERE id = ?1");
    q.bind(1, id);
    REQUIRE(q.executeStep());
    VerdictRow r;
    r.counted = q.getColumn(0).getInt() != 0;
    if (!q.getColumn(1).isNull()) r.outcome = q.getColumn(1).getString();
    if (!q.getColumn(2).isNull()) r.reconciled_at = q.getColumn(2).getString();
    return r;
  }

private:
  pat_test::ScopedEnv now_;
};

// An error whose template is the pattern's, and one that has nothing to do with it.
constexpr const char* kSimilarError = "Invalid SHA abc1234: expected 40 hex characters";
constexpr const char* kUnrelatedError = "fatal: could not read from remote repository, permission denied";

}  // namespace

TEST_SUITE("verdict_feedback") {
  TEST_CASE("a warned call that succeeded is a false positive: the pattern's confidence drops") {
    Fixture f;
    f.save(pattern("p"));
    const auto id = f.verdict(Decision::warn, "toolu_1", {"p"});
    f.outcome("toolu_1", pat::Outcome::success);

    const FeedbackStats s = f.reconcile();
    CHECK(s.verdicts == 1);
    CHECK(s.false_positives == 1);
    CHECK(s.true_positives == 0);
    CHECK(s.closed_without_outcome == 0);

    const Pattern p = f.get("p");
    CHECK(p.checks.warned == 1);
    CHECK(p.checks.false_positive == 1);
    CHECK(p.checks.true_positive == 0);
    CHECK(p.confidence == doctest::Approx(0.75 - pat::kFalsePositivePenalty));
    CHECK(p.level == pat::Level::low);
    CHECK(p.version == 2);

    const VerdictRow r = f.row(id);
    CHECK(r.counted);
    CHECK(r.outcome == std::optional<std::string>("success"));
    CHECK(r.reconciled_at == std::optional<std::string>("2026-03-01T12:00:00.000Z"));
  }

  TEST_CASE("a warned call that failed with the pattern's template confirms it") {
    Fixture f;
    f.save(pattern("p"));
    REQUIRE(pat::template_similarity(pat::failure_template(kSimilarError), kTemplate) >= kThreshold);
    const auto id = f.verdict(Decision::warn, "toolu_1", {"p"});
    f.outcome("toolu_1", pat::Outcome::failure, kSimilarError);

    const FeedbackStats s = f.reconcile();
    CHECK(s.true_positives == 1);
    CHECK(s.false_positives == 0);
    const Pattern p = f.get("p");
    CHECK(p.checks.warned == 1);
    CHECK(p.checks.true_positive == 1);
    CHECK(p.checks.false_positive == 0);
    CHECK(p.confidence == doctest::Approx(0.75 + pat::kTruePositiveBonus));
    CHECK(f.row(id).outcome == std::optional<std::string>("failure"));
  }

  TEST_CASE("a failure with an unrelated error is neither a false nor a true positive") {
    Fixture f;
    f.save(pattern("p"));
    REQUIRE(pat::template_similarity(pat::failure_template(kUnrelatedError), kTemplate) < kThreshold);
    const auto id = f.verdict(Decision::warn, "toolu_1", {"p"});
    f.outcome("toolu_1", pat::Outcome::failure, kUnrelatedError);

    const FeedbackStats s = f.reconcile();
    CHECK(s.verdicts == 1);
    CHECK(s.true_positives == 0);
    CHECK(s.false_positives == 0);
    const Pattern p = f.get("p");
    CHECK(p.checks.warned == 1);  // the warning itself is counted
    CHECK(p.checks.true_positive == 0);
    CHECK(p.checks.false_positive == 0);
    CHECK(p.confidence == 0.75);
    // The call reported its outcome: the verdict is closed.
    CHECK(f.row(id).outcome == std::optional<std::string>("failure"));
    CHECK(f.row(id).reconciled_at.has_value());
  }

  TEST_CASE("every pattern of a verdict gets the feedback; unknown pattern ids are ignored") {
    Fixture f;
    f.save(pattern("p1"));
    f.save(pattern("p2", "Some other failure <*> entirely"));
    f.verdict(Decision::warn, "toolu_1", {"p1", "p2", "no-such-pattern"});
    f.outcome("toolu_1", pat::Outcome::failure, kSimilarError);

    FeedbackStats s;
    CHECK_NOTHROW(s = f.reconcile());
    CHECK(s.true_positives == 1);  // p1's template only
    CHECK(f.get("p1").checks.true_positive == 1);
    CHECK(f.get("p1").checks.warned == 1);
    CHECK(f.get("p2").checks.true_positive == 0);
    CHECK(f.get("p2").checks.warned == 1);
    CHECK_FALSE(pat::PatternStore(f.store()).get("no-such-pattern").has_value());
  }

  TEST_CASE("a blocked verdict counts as blocked, not warned") {
    Fixture f;
    f.save(pattern("p"));
    const auto id = f.verdict(Decision::block, "toolu_1", {"p"});
    const FeedbackStats s = f.reconcile();
    CHECK(s.verdicts == 1);
    const Pattern p = f.get("p");
    CHECK(p.checks.blocked == 1);
    CHECK(p.checks.warned == 0);
    CHECK(p.confidence == 0.75);
    // A blocked call does not run: no outcome yet, the verdict waits (counted).
    const VerdictRow r = f.row(id);
    CHECK(r.counted);
    CHECK_FALSE(r.outcome.has_value());
    CHECK_FALSE(r.reconciled_at.has_value());
  }

  TEST_CASE("a verdict without an outcome stays open until give_up_after, then is closed as none") {
    Fixture f;
    f.save(pattern("p"));
    const auto id = f.verdict(Decision::warn, "toolu_1", {"p"});

    FeedbackStats s = f.reconcile();  // an hour after the verdict
    CHECK(s.verdicts == 1);
    CHECK(s.closed_without_outcome == 0);
    CHECK_FALSE(f.row(id).reconciled_at.has_value());
    CHECK(f.row(id).counted);

    SUBCASE("moving the clock past the default week") {
      const pat_test::ScopedEnv later("PAT_NOW", "2026-03-08T11:00:01Z");
      s = f.reconcile();
      CHECK(s.closed_without_outcome == 1);
      CHECK(f.row(id).reconciled_at == std::optional<std::string>("2026-03-08T11:00:01.000Z"));
    }
    SUBCASE("a give_up_after shorter than the verdict's age") {
      s = f.reconcile(std::chrono::hours(1));  // exactly its age: not yet
      CHECK(s.closed_without_outcome == 0);
      s = f.reconcile(std::chrono::hours(0));
      CHECK(s.closed_without_outcome == 1);
    }
    CHECK(s.verdicts == 1);
    CHECK(f.row(id).outcome == std::optional<std::string>("none"));
    // Closed: the next run does not see it.
    CHECK(f.reconcile().verdicts == 0);
    const Pattern p = f.get("p");
    CHECK(p.checks.warned == 1);
    CHECK(p.checks.false_positive == 0);
    CHECK(p.confidence == 0.75);
  }

  TEST_CASE("reconciling again does not count a verdict twice") {
    Fixture f;
    f.save(pattern("p"));

    SUBCASE("a closed verdict is not read again") {
      f.verdict(Decision::warn, "toolu_1", {"p"});
      f.outcome("toolu_1", pat::Outcome::success);
      CHECK(f.reconcile().false_positives == 1);
      const FeedbackStats again = f.reconcile();
      CHECK(again.verdicts == 0);
      CHECK(again.false_positives == 0);
      CHECK(f.get("p").checks.warned == 1);
      CHECK(f.get("p").checks.false_positive == 1);
      CHECK(f.get("p").confidence == doctest::Approx(0.70));
    }
    SUBCASE("an open verdict's warning is counted once, its outcome when it comes") {
      f.verdict(Decision::warn, "toolu_1", {"p"});
      f.reconcile();
      f.reconcile();
      CHECK(f.get("p").checks.warned == 1);
      f.outcome("toolu_1", pat::Outcome::success);
      CHECK(f.reconcile().false_positives == 1);
      CHECK(f.reconcile().verdicts == 0);
      const Pattern p = f.get("p");
      CHECK(p.checks.warned == 1);
      CHECK(p.checks.false_positive == 1);
    }
  }

  TEST_CASE("patdetect's stored template of the failure is used instead of templating the error text") {
    Fixture f;
    f.save(pattern("p"));
    // The error's own template is far from the pattern's; patdetect's decision says it is the same.
    const std::string error = "error: object not found in the pack, please retry later";
    REQUIRE(pat::template_similarity(pat::failure_template(error), kTemplate) < kThreshold);

    SUBCASE("with the decision: confirmed") {
      f.verdict(Decision::warn, "toolu_1", {"p"});
      const std::string event = f.outcome("toolu_1", pat::Outcome::failure, error);
      pat::save_failure_decisions(f.store(), {{event, "PARAMETER_FORMAT", true, kTemplate}},
                                  "2026-03-01T11:30:00.000Z");
      CHECK(f.reconcile().true_positives == 1);
      CHECK(f.get("p").checks.true_positive == 1);
    }
    SUBCASE("without it: not confirmed") {
      f.verdict(Decision::warn, "toolu_1", {"p"});
      f.outcome("toolu_1", pat::Outcome::failure, error);
      CHECK(f.reconcile().true_positives == 0);
      CHECK(f.get("p").checks.true_positive == 0);
    }
    SUBCASE("the decision wins over an error text that would have matched") {
      f.verdict(Decision::warn, "toolu_1", {"p"});
      const std::string event = f.outcome("toolu_1", pat::Outcome::failure, kSimilarError);
      pat::save_failure_decisions(f.store(), {{event, "network", false, "Connection reset by peer <*>"}},
                                  "2026-03-01T11:30:00.000Z");
      CHECK(f.reconcile().true_positives == 0);
      CHECK(f.get("p").checks.true_positive == 0);
    }
  }

  TEST_CASE("a verdict still waiting for its outcome makes no new version of its pattern") {
    Fixture f;
    f.save(pattern("p"));
    f.verdict(Decision::warn, "toolu_open", {"p"});
    f.reconcile();  // counts the warning: version 2
    CHECK(f.get("p").version == 2);
    f.reconcile();  // nothing new to count
    f.reconcile();
    CHECK(f.get("p").version == 2);
    CHECK(f.get("p").checks.warned == 1);
  }

  TEST_CASE("a verdict row whose pattern list is not JSON is closed, not reconciled forever") {
    Fixture f;
    const auto id = f.verdict(Decision::warn, "toolu_bad", {"p"});
    f.store().db().exec("UPDATE verdicts SET patterns = 'not json' WHERE id = " + std::to_string(id));
    FeedbackStats s = f.reconcile();
    CHECK(s.verdicts == 1);
    CHECK(s.closed_without_outcome == 1);
    CHECK(f.row(id).outcome == std::optional<std::string>("none"));
    CHECK(f.reconcile().verdicts == 0);
  }
}  // TEST_SUITE
