#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <doctest/doctest.h>

#include "check_helpers.hpp"
#include "learn/confidence.hpp"
#include "learn/pattern_learner.hpp"
#include "mistake/call_check.hpp"
#include "mistake/describe.hpp"
#include "mistake/mistake_merge.hpp"
#include "store/pattern_store.hpp"
#include "store/store.hpp"
#include "unit_helpers.hpp"
#include "util/content_hash.hpp"
#include "util/error.hpp"

using pat::Category;
using pat::json;
using pat::Level;
using pat::Observation;
using pat::Pattern;
using pat::PatternLearner;
using pat::PatternStore;
using pat::Store;

namespace {

constexpr const char* kTool = "mcp__git__show_commit";
constexpr const char* kShaTemplate = "Invalid SHA <*>: expected 40 hex characters";

json value_check(const std::string& param, std::vector<std::string> values) {
  return {{"param", param}, {"check", {{"type", "value"}, {"values", values}}}};
}

json missing_check(const std::string& param) { return {{"param", param}, {"check", {{"type", "missing"}}}}; }

Observation make_observation(const std::string& name, const json& mistake, const std::string& tmpl = kShaTemplate,
                             const std::string& tool = kTool, Category category = Category::parameter_format,
                             const std::string& ts = "2026-02-25T16:09:44.068Z") {
  Observation o;
  o.id = pat::content_hash("observation\x1f" + name);
  o.ts = ts;
  o.session = "sess-1";
  o.tool = tool;
  o.category = category;
  o.template_text = tmpl;
  o.mistake = mistake;
  o.root_cause = "A value in the wrong format: " + pat_test::describe_mistake(mistake) + ".";
  o.prevention = {
      {"Pass `sha` as 40 hex characters", "`" + tool + "` fails when " + pat_test::describe_mistake(mistake), 0}};
  o.events = {pat::content_hash("event-" + name)};
  return o;
}

Observation short_sha(const std::string& name, const std::string& sha,
                      const std::string& ts = "2026-02-25T16:09:44.068Z") {
  return make_observation(name, value_check("sha", {sha}), kShaTemplate, kTool, Category::parameter_format, ts);
}

// A store in a temporary directory, and the patterns kept in it.
struct Fixture {
  pat_test::TempDir tmp;
  std::unique_ptr<Store> store = Store::open(pat::StoreOptions{tmp / "pat.db", 10000, false});
  PatternStore patterns{*store};

  // One patlearn run: everything `work` does in one transaction, saved at the end.
  std::vector<Pattern> run(const std::function<void(PatternLearner&)>& work, pat::LearnOptions options = {}) {
    Store::Transaction tx(*store);
    PatternLearner learner(patterns, options);
    work(learner);
    auto saved = learner.save();
    tx.commit();
    return saved;
  }

  std::vector<Pattern> all() {
    std::vector<Pattern> out;
    patterns.for_each([&](const Pattern& p) { out.push_back(p); });
    return out;
  }

  Pattern only() {
    auto ps = all();
    REQUIRE(ps.size() == 1);
    return ps.front();
  }

  std::int64_t count(const std::string& sql) { return store->db().execAndGet(sql).getInt64(); }
};

}  // namespace

TEST_SUITE("pattern_learner") {
  TEST_CASE("a first observation creates a pattern: 1 observation, confidence 0.5, level low, version 1") {
    Fixture f;
    const Observation o = short_sha("a", "abc1234");
    bool added = false;
    const auto saved = f.run([&](PatternLearner& l) { added = l.add(o); });
    CHECK(added);
    REQUIRE(saved.size() == 1);
    const Pattern p = f.only();
    CHECK(p.observations == 1);
    CHECK(p.confidence == 0.5);
    CHECK(p.level == Level::low);
    CHECK(p.version == 1);
    CHECK(p.status == pat::PatternStatus::active);
    CHECK(p.base.tool == kTool);
    CHECK(p.base.category == Category::parameter_format);
    CHECK(p.base.template_text == kShaTemplate);
    CHECK(p.base.mistake["param"] == "sha");
    CHECK(p.base.mistake["check"] == o.mistake["check"]);
    CHECK(p.base.root_cause == o.root_cause);
    CHECK(p.base.events == o.events);
    CHECK(p.first_seen == o.ts);
    CHECK(p.last_seen == o.ts);
    CHECK(p.base.id.size() == 32);
    CHECK(p.base.id != o.id);
    // What save() returned is what the store holds.
    CHECK(saved.front().base.id == p.base.id);
    CHECK(saved.front().observations == 1);
    // The columns patcheck reads agree with the record.
    SQLite::Statement q(f.store->db(),
                        "SELECT tool, category, status, confidence, level, observations, version FROM patterns");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getString() == kTool);
    CHECK(q.getColumn(1).getString() == "PARAMETER_FORMAT");
    CHECK(q.getColumn(2).getString() == "active");
    CHECK(q.getColumn(3).getDouble() == 0.5);
    CHECK(q.getColumn(4).getString() == "low");
    CHECK(q.getColumn(5).getInt64() == 1);
    CHECK(q.getColumn(6).getInt64() == 1);
    CHECK(f.count("SELECT count(*) FROM pattern_versions") == 1);
    CHECK(f.count("SELECT count(*) FROM merged_observations") == 1);
  }

  TEST_CASE("the pattern id is a hash of the first observation's id: the same input gives the same pattern") {
    Fixture a, b;
    a.run([](PatternLearner& l) { l.add(short_sha("a", "abc1234")); });
    b.run([](PatternLearner& l) { l.add(short_sha("a", "abc1234")); });
    CHECK(a.only().base.id == b.only().base.id);
    CHECK(a.only().base.id == pat::content_hash("pattern\x1f" + short_sha("a", "abc1234").id));
  }

  TEST_CASE("two short-SHA value checks with different values merge, the check growing as a set") {
    Fixture f;
    const Observation o1 = short_sha("a", "abc1234", "2026-02-25T10:00:00.000Z");
    const Observation o2 = short_sha("b", "def5678", "2026-02-26T10:00:00.000Z");
    REQUIRE(pat_test::mistake_similarity(o1.mistake, o2.mistake) >= 0.7);
    f.run([&](PatternLearner& l) { CHECK(l.add(o1)); });
    f.run([&](PatternLearner& l) { CHECK(l.add(o2)); });
    const Pattern p = f.only();
    CHECK(p.observations == 2);
    CHECK(p.confidence == pat::confidence_for(2));
    CHECK(p.confidence > 0.5);
    CHECK(p.level == Level::low);
    CHECK(p.version == 2);
    CHECK(p.first_seen == o1.ts);
    CHECK(p.last_seen == o2.ts);
    // Without the successes to test a wider form against, merging does not generalise: the set grows.
    CHECK(p.base.mistake["all"] == json::parse(R"([{"part":{"param":"sha"},"in":["abc1234","def5678"]}])"));
    CHECK(pat_test::input_matches(p.base.mistake, {{"sha", "def5678"}}));
    CHECK_FALSE(pat_test::input_matches(p.base.mistake, {{"sha", "0123abc"}}));
    // The root cause follows the wider check, the events of both are kept.
    CHECK(p.base.root_cause.find("`abc1234` or `def5678`") != std::string::npos);
    CHECK(p.base.events == std::vector<std::string>{o1.events.front(), o2.events.front()});
    CHECK(f.count("SELECT count(*) FROM merged_observations") == 2);
  }

  TEST_CASE("a similar observation in the same run merges: templates differing in one value token join with <*>") {
    Fixture f;
    const Observation o1 = make_observation("a", value_check("sha", {"abc1234"}), "fatal: bad object <*> in repo demo");
    const Observation o2 =
        make_observation("b", value_check("sha", {"abc1234"}), "fatal: bad object <*> in repo infra");
    const auto saved = f.run([&](PatternLearner& l) {
      CHECK(l.add(o1));
      CHECK(l.add(o2));
    });
    CHECK(saved.size() == 1);
    const Pattern p = f.only();
    CHECK(p.observations == 2);
    CHECK(p.base.template_text == "fatal: bad object <*> in repo <*>");
    // Created and merged in one run: one version.
    CHECK(p.version == 1);
    CHECK(f.count("SELECT count(*) FROM pattern_versions") == 1);
  }

  TEST_CASE("merging keeps the prevention backed by the most recoveries, read from the record, not its words") {
    Fixture f;
    Observation weak = short_sha("w", "abc1234");
    weak.prevention = {{"Pass `sha` as 40 hex characters", "the agent recovered this way 9 times", 1}};
    Observation strong = short_sha("s", "def5678");
    strong.prevention = {{"Use the full SHA from `git rev-parse`", "three recoveries", 3}};
    Observation weaker = short_sha("x", "0123abc");
    weaker.prevention = {{"Something else", "the agent recovered this way 50 times", 2}};
    f.run([&](PatternLearner& l) {
      CHECK(l.add(weak));
      CHECK(l.add(strong));
      CHECK(l.add(weaker));
    });
    const Pattern p = f.only();
    REQUIRE(p.base.prevention.size() == 1);
    CHECK(p.base.prevention[0].action == "Use the full SHA from `git rev-parse`");
    CHECK(p.base.prevention[0].recoveries == 3);
  }

  TEST_CASE("a dissimilar observation creates a second pattern") {
    Fixture f;
    f.run([](PatternLearner& l) { l.add(short_sha("a", "abc1234")); });
    SUBCASE("same tool and category, another template and mistake") {
      f.run([](PatternLearner& l) {
        CHECK(l.add(make_observation("b", missing_check("repo_path"), "repo_path is required")));
      });
    }
    SUBCASE("same template, a mistake that does not generalise with it") {
      REQUIRE(pat_test::mistake_similarity(value_check("sha", {"abc1234"}), missing_check("sha")) < 0.7);
      f.run([](PatternLearner& l) { CHECK(l.add(make_observation("b", missing_check("sha")))); });
    }
    SUBCASE("same template and mistake, another tool") {
      f.run([](PatternLearner& l) {
        CHECK(l.add(make_observation("b", value_check("sha", {"abc1234"}), kShaTemplate, "mcp__git__diff")));
      });
    }
    SUBCASE("same template and mistake, another category") {
      f.run([](PatternLearner& l) {
        CHECK(l.add(make_observation("b", value_check("sha", {"abc1234"}), kShaTemplate, kTool,
                                     Category::incorrect_parameter)));
      });
    }
    const auto ps = f.all();
    REQUIRE(ps.size() == 2);
    for (const auto& p : ps) {
      CHECK(p.observations == 1);
      CHECK(p.version == 1);
      CHECK(p.confidence == 0.5);
    }
  }

  TEST_CASE("merge_threshold decides what is similar enough") {
    Fixture f;
    pat::LearnOptions strict;
    strict.merge_threshold = 0.9;  // two value sets with nothing in common score 0.8
    f.run([](PatternLearner& l) { l.add(short_sha("a", "abc1234")); }, strict);
    f.run([](PatternLearner& l) { l.add(short_sha("b", "def5678")); }, strict);
    CHECK(f.all().size() == 2);
  }

  TEST_CASE("the same observation id again changes nothing") {
    Fixture f;
    const Observation o = short_sha("a", "abc1234");
    f.run([&](PatternLearner& l) {
      CHECK(l.add(o));
      CHECK_FALSE(l.add(o));  // within the run
    });
    const Pattern before = f.only();
    const auto saved = f.run([&](PatternLearner& l) { CHECK_FALSE(l.add(o)); });  // in a later run
    CHECK(saved.empty());
    // Even with other content: the id says it was merged already.
    Observation changed = short_sha("a", "fff9999");
    REQUIRE(changed.id == o.id);
    CHECK(f.run([&](PatternLearner& l) { CHECK_FALSE(l.add(changed)); }).empty());
    const Pattern after = f.only();
    CHECK(after.observations == before.observations);
    CHECK(after.version == before.version);
    CHECK(after.base.mistake == before.base.mistake);
    CHECK(f.count("SELECT count(*) FROM pattern_versions") == 1);
    CHECK(f.count("SELECT count(*) FROM merged_observations") == 1);
  }

  TEST_CASE("an observation is not merged when the run's transaction is rolled back") {
    Fixture f;
    {
      Store::Transaction tx(*f.store);
      PatternLearner l(f.patterns, {});
      CHECK(l.add(short_sha("a", "abc1234")));
      l.save();
    }  // no commit
    CHECK(f.all().empty());
    f.run([](PatternLearner& l) { CHECK(l.add(short_sha("a", "abc1234"))); });
    CHECK(f.only().observations == 1);
  }

  TEST_CASE("save() makes one new version per changed pattern per call") {
    Fixture f;
    f.run([](PatternLearner& l) {
      l.add(short_sha("a", "abc1234"));
      l.add(make_observation("x", missing_check("repo_path"), "repo_path is required"));
    });
    CHECK(f.count("SELECT count(*) FROM pattern_versions") == 2);
    // Three observations of the first pattern in one run: one new version of it, none of the other.
    const auto saved = f.run([](PatternLearner& l) {
      l.add(short_sha("b", "def5678"));
      l.add(short_sha("c", "0a1b2c3"));
      l.add(short_sha("d", "9f8e7d6"));
    });
    REQUIRE(saved.size() == 1);
    CHECK(saved.front().observations == 4);
    CHECK(saved.front().version == 2);
    const std::string sha_id = saved.front().base.id;
    CHECK(f.count("SELECT count(*) FROM pattern_versions") == 3);
    CHECK(f.count("SELECT max(version) FROM pattern_versions WHERE pattern = '" + sha_id + "'") == 2);

    // Two saves in one run: two versions; a save with nothing changed: none.
    f.run([&](PatternLearner& l) {
      l.add(short_sha("e", "1111aaa"));
      auto first = l.save();
      REQUIRE(first.size() == 1);
      CHECK(first.front().version == 3);
      CHECK(l.save().empty());
      l.add(short_sha("f", "2222bbb"));
    });
    CHECK(f.patterns.get(sha_id)->version == 4);
    CHECK(f.patterns.get(sha_id)->observations == 6);
    CHECK(f.count("SELECT count(*) FROM pattern_versions WHERE pattern = '" + sha_id + "'") == 4);
    // A version row holds the record of that version.
    SQLite::Statement q(f.store->db(),
                        "SELECT record, reason FROM pattern_versions WHERE pattern = ?1 AND version = 2");
    q.bind(1, sha_id);
    REQUIRE(q.executeStep());
    const Pattern v2 = pat::pattern_from_json(json::parse(q.getColumn(0).getString()));
    CHECK(v2.version == 2);
    CHECK(v2.observations == 4);
    CHECK_FALSE(q.getColumn(1).getString().empty());
  }

  TEST_CASE("rollback restores the previous version") {
    Fixture f;
    f.run([](PatternLearner& l) { l.add(short_sha("a", "abc1234")); });
    const Pattern v1 = f.only();
    f.run([](PatternLearner& l) { l.add(short_sha("b", "def5678")); });
    const Pattern v2 = f.only();
    REQUIRE(v2.version == 2);
    REQUIRE(v2.base.mistake != v1.base.mistake);

    const Pattern restored = [&] {
      Store::Transaction tx(*f.store);
      Pattern p = f.patterns.rollback(v1.base.id);
      tx.commit();
      return p;
    }();
    CHECK(restored.version == 1);
    CHECK(restored.observations == 1);
    const Pattern now = f.only();
    CHECK(now.version == 1);
    CHECK(now.observations == 1);
    CHECK(now.confidence == 0.5);
    CHECK(now.base.mistake == v1.base.mistake);
    CHECK(now.base.template_text == v1.base.template_text);
    CHECK(f.count("SELECT count(*) FROM pattern_versions") == 1);
    CHECK(f.count("SELECT observations FROM patterns") == 1);

    // The next change after a rollback is version 2 again.
    f.run([](PatternLearner& l) { l.add(short_sha("c", "0a1b2c3")); });
    CHECK(f.only().version == 2);
    CHECK(f.only().observations == 2);
  }

  TEST_CASE("rollback: no earlier version, or an unknown id, is a data error") {
    Fixture f;
    f.run([](PatternLearner& l) { l.add(short_sha("a", "abc1234")); });
    const std::string id = f.only().base.id;
    auto err = pat_test::error_of([&] { f.patterns.rollback(id); });
    CHECK(err.code == pat::Exit::data_error);
    CHECK(err.message.find(id) != std::string::npos);
    // Nothing changed.
    CHECK(f.only().version == 1);
    CHECK(f.count("SELECT count(*) FROM pattern_versions") == 1);

    err = pat_test::error_of([&] { f.patterns.rollback(pat::content_hash("no such pattern")); });
    CHECK(err.code == pat::Exit::data_error);
    CHECK(err.message.find(pat::content_hash("no such pattern")) != std::string::npos);

    // Two rollbacks of a version-3 pattern reach version 1; a third fails.
    f.run([](PatternLearner& l) { l.add(short_sha("b", "def5678")); });
    f.run([](PatternLearner& l) { l.add(short_sha("c", "0a1b2c3")); });
    REQUIRE(f.only().version == 3);
    CHECK(f.patterns.rollback(id).version == 2);
    CHECK(f.patterns.rollback(id).version == 1);
    CHECK(pat_test::error_of([&] { f.patterns.rollback(id); }).code == pat::Exit::data_error);
  }

  TEST_CASE("import: a pattern record from another store merges into the matching pattern") {
    Fixture f;
    f.run([](PatternLearner& l) { l.add(short_sha("a", "abc1234", "2026-02-25T10:00:00.000Z")); });
    const Pattern local = f.only();

    // The same mistake learned elsewhere from other events: another id, 5 observations.
    Fixture other;
    other.run([](PatternLearner& l) {
      l.add(short_sha("r1", "fedcba9", "2026-01-05T10:00:00.000Z"));
      for (int i = 2; i <= 5; ++i)
        l.add(short_sha("r" + std::to_string(i), "fedcba9", "2026-03-0" + std::to_string(i) + "T10:00:00.000Z"));
    });
    const Pattern remote = other.only();
    REQUIRE(remote.observations == 5);
    REQUIRE(remote.base.id != local.base.id);
    // Through its JSONL form, as patlearn reads it.
    const Pattern record = pat::pattern_from_json(json::parse(pat::dump_json(pat::to_json(remote))));

    bool imported = false;
    const auto saved = f.run([&](PatternLearner& l) { imported = l.import(record); });
    CHECK(imported);
    REQUIRE(saved.size() == 1);
    const Pattern merged = f.only();
    CHECK(merged.base.id == local.base.id);
    CHECK(merged.observations == 6);
    CHECK(merged.confidence == pat::confidence_for(6));
    CHECK(merged.version == 2);
    CHECK(merged.first_seen == "2026-01-05T10:00:00.000Z");
    CHECK(merged.last_seen == "2026-03-05T10:00:00.000Z");
    CHECK(merged.base.mistake["all"][0]["in"] == json::array({"abc1234", "fedcba9"}));

    // The exact same record again: nothing changes.
    const auto again = f.run([&](PatternLearner& l) { CHECK_FALSE(l.import(record)); });
    CHECK(again.empty());
    const Pattern after = f.only();
    CHECK(after.observations == 6);
    CHECK(after.version == 2);
    CHECK(f.count("SELECT count(*) FROM merged_imports") == 1);

    // A later export of the same remote pattern (it has grown) is a new record: it adds up.
    Pattern grown = record;
    grown.observations = 7;
    grown.version = record.version + 1;
    CHECK(f.run([&](PatternLearner& l) { CHECK(l.import(grown)); }).size() == 1);
    CHECK(f.only().observations == 13);
  }

  TEST_CASE("import: a pattern with nothing to merge into is created, its confidence from its own counts") {
    Fixture f;
    Pattern p;
    p.base = make_observation("imp", missing_check("repo_path"), "repo_path is required");
    p.base.id = pat::content_hash("remote pattern");
    p.observations = 10;
    p.confidence = 0.99;  // not trusted: recomputed from the counts
    p.level = Level::critical;
    p.version = 7;
    p.first_seen = "2026-01-01T00:00:00.000Z";
    p.last_seen = "2026-02-01T00:00:00.000Z";
    p.checks.false_positive = 1;
    CHECK(f.run([&](PatternLearner& l) { CHECK(l.import(p)); }).size() == 1);
    const Pattern got = f.only();
    CHECK(got.base.id == p.base.id);
    CHECK(got.observations == 10);
    CHECK(got.version == 1);
    CHECK(got.confidence == pat::pattern_confidence(10, p.checks));
    CHECK(got.confidence == doctest::Approx(0.70));
    CHECK(got.level == Level::low);
    CHECK(got.checks.false_positive == 1);
    CHECK(f.run([&](PatternLearner& l) { CHECK_FALSE(l.import(p)); }).empty());
    CHECK(f.only().observations == 10);
  }

  TEST_CASE("feedback: a false positive lowers confidence, a confirmed prediction raises it") {
    Fixture f;
    Pattern p;
    p.base = short_sha("a", "abc1234");
    p.base.id = pat::content_hash("p");
    p.observations = 10;
    f.run([&](PatternLearner& l) { l.import(p); });
    REQUIRE(f.only().confidence == 0.75);
    REQUIRE(f.only().level == Level::medium);
    const std::string id = f.only().base.id;

    pat::CheckCounts fp;
    fp.warned = 1;
    fp.false_positive = 1;
    const auto saved = f.run([&](PatternLearner& l) { l.feedback(id, fp); });
    REQUIRE(saved.size() == 1);
    Pattern now = f.only();
    CHECK(now.confidence < 0.75);
    CHECK(now.confidence == doctest::Approx(0.75 - pat::kFalsePositivePenalty));
    CHECK(now.level == Level::low);
    CHECK(now.checks.false_positive == 1);
    CHECK(now.checks.warned == 1);
    CHECK(now.observations == 10);
    CHECK(now.version == 2);

    pat::CheckCounts tp;
    tp.blocked = 1;
    tp.true_positive = 2;
    f.run([&](PatternLearner& l) { l.feedback(id, tp); });
    now = f.only();
    CHECK(now.confidence == doctest::Approx(0.75 - pat::kFalsePositivePenalty + 2 * pat::kTruePositiveBonus));
    CHECK(now.checks.true_positive == 2);
    CHECK(now.checks.blocked == 1);
    CHECK(now.version == 3);

    // The feedback survives the next observation: confidence is the curve corrected by it.
    f.run([](PatternLearner& l) { l.add(short_sha("b", "def5678")); });
    now = f.only();
    CHECK(now.observations == 11);
    CHECK(now.confidence == pat::pattern_confidence(11, now.checks));

    // Unknown pattern ids are ignored.
    CHECK(f.run([](PatternLearner& l) { l.feedback(pat::content_hash("nope"), {0, 0, 0, 5}); }).empty());
  }

  TEST_CASE("an archived pattern seen again is active again") {
    Fixture f;
    f.run([](PatternLearner& l) { l.add(short_sha("a", "abc1234")); });
    Pattern p = f.only();
    p.status = pat::PatternStatus::archived;
    f.patterns.save(p, "archived by a test");
    REQUIRE(f.only().status == pat::PatternStatus::archived);
    f.run([](PatternLearner& l) { l.add(short_sha("b", "def5678")); });
    CHECK(f.only().status == pat::PatternStatus::active);
    CHECK(f.only().observations == 2);
  }

  TEST_CASE("template_of: from this run or the store; none for an unknown id") {
    Fixture f;
    f.run([](PatternLearner& l) { l.add(short_sha("a", "abc1234")); });
    const std::string id = f.only().base.id;
    Store::Transaction tx(*f.store);
    PatternLearner l(f.patterns, {});
    CHECK(l.template_of(id) == std::optional<std::string>(kShaTemplate));
    CHECK_FALSE(l.template_of(pat::content_hash("nope")).has_value());
    l.add(make_observation("n", missing_check("repo_path"), "repo_path is required"));
    CHECK(l.template_of(pat::content_hash("pattern\x1f" + make_observation("n", missing_check("x")).id)) ==
          std::optional<std::string>("repo_path is required"));
  }

  TEST_CASE("PatternStore::find returns a tool's patterns of one category") {
    Fixture f;
    f.run([](PatternLearner& l) {
      l.add(short_sha("a", "abc1234"));
      l.add(make_observation("b", missing_check("repo_path"), "repo_path is required"));
      l.add(make_observation("c", value_check("sha", {"abc1234"}), kShaTemplate, "mcp__git__diff"));
    });
    CHECK(f.patterns.find(kTool, Category::parameter_format).size() == 2);
    CHECK(f.patterns.find("mcp__git__diff", Category::parameter_format).size() == 1);
    CHECK(f.patterns.find(kTool, Category::workflow_sequence).empty());
    CHECK_FALSE(f.patterns.get(pat::content_hash("nope")).has_value());
  }

}  // TEST_SUITE
