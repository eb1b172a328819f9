#include <memory>
#include <string>
#include <vector>

#include <SQLiteCpp/Statement.h>
#include <doctest/doctest.h>

#include "learn/aging.hpp"
#include "learn/confidence.hpp"
#include "learn/pruner.hpp"
#include "records/candidate.hpp"
#include "records/pattern.hpp"
#include "store/pattern_store.hpp"
#include "store/store.hpp"
#include "store_fixture.hpp"
#include "unit_helpers.hpp"
#include "util/content_hash.hpp"
#include "util/error.hpp"

using pat::AgingOptions;
using pat::json;
using pat::Pattern;
using pat::PatternStatus;
using pat::PruneResult;

namespace {

pat::TimePoint at(const char* text) { return *pat::parse_time(text); }

// Every aging test runs at this time; the last_seen times below are whole days before it.
const pat::TimePoint kNow = at("2026-11-21T12:00:00Z");
constexpr const char* k20DaysAgo = "2026-11-01T12:00:00.000Z";
constexpr const char* k31DaysAgo = "2026-10-21T12:00:00.000Z";
constexpr const char* k95DaysAgo = "2026-08-18T12:00:00.000Z";

// A pattern whose stored confidence is what its observations give (the pruner recomputes it
// from observations, feedback and decay): 10 observations 0.75, 100 observations 0.95.
Pattern pattern(const std::string& id, std::int64_t observations, const std::string& last_seen) {
  Pattern p;
  p.base.id = id;
  p.base.tool = "mcp__git__show_commit";
  p.base.category = pat::Category::parameter_format;
  p.base.template_text = "Invalid SHA <*>";
  p.base.mistake = {{"param", "sha"}, {"check", {{"type", "value"}, {"values", {id}}}}};
  p.base.root_cause = "A value in the wrong format.";
  p.observations = observations;
  p.confidence = pat::pattern_confidence(observations, p.checks);
  p.level = pat::level_for(p.confidence);
  p.first_seen = p.last_seen = last_seen;
  return p;
}

std::string eid(const std::string& name) { return pat::content_hash("event\x1f" + name); }

class Fixture : public pat_test::PatternStoreFixture {
public:
  // One patprune run as the CLI makes it: everything in one transaction.
  PruneResult age(pat::TimePoint now, bool dry_run = false, const AgingOptions& aging = {}) {
    PruneResult r;
    pat::Store::Transaction tx(store());
    pat::age_patterns(store(), now, aging, pat::LevelThresholds{}, dry_run, r);
    tx.commit();
    return r;
  }

  PruneResult restore(const std::string& id, bool dry_run = false) {
    PruneResult r;
    pat::Store::Transaction tx(store());
    pat::restore_pattern(store(), id, pat::LevelThresholds{}, dry_run, r);
    tx.commit();
    return r;
  }

  void event(const std::string& name, const std::string& ts) {
    pat::Event e;
    e.id = eid(name);
    e.ts = ts;
    e.source = "generic";
    e.event = "exec";
    e.tool = "make";
    e.outcome = pat::Outcome::failure;
    pat::Store::Transaction tx(store());
    REQUIRE(store().insert_event(e, json{{"error", "make: *** failed"}}.dump()) == pat::InsertResult::stored);
    tx.commit();
  }

  std::int64_t count(const std::string& sql) { return store().db().execAndGet(sql).getInt64(); }
  std::int64_t versions(const std::string& id) {
    return count("SELECT count(*) FROM pattern_versions WHERE pattern = '" + id + "'");
  }
  bool has_event(const std::string& name) {
    return count("SELECT count(*) FROM events WHERE id = '" + eid(name) + "'") == 1;
  }
};

}  // namespace

TEST_SUITE("pruner") {
  TEST_CASE("aging: whole days unseen, decay per whole period, prune only active, long unseen and low") {
    Pattern p = pattern("p", 10, k31DaysAgo);
    const AgingOptions o;
    CHECK(pat::days_unseen(p, kNow) == 31);
    CHECK(pat::decay_due(p, kNow, o) == doctest::Approx(0.05));
    CHECK(pat::days_unseen(p, at("2026-11-21T11:59:59Z")) == 30);                      // 30 days and 23:59:59
    CHECK(pat::decay_due(p, at("2026-11-20T11:59:59Z"), o) == 0.0);                    // 29 whole days
    CHECK(pat::decay_due(p, at("2026-12-21T12:00:00Z"), o) == doctest::Approx(0.10));  // 61 days: 2 periods
    CHECK(pat::decay_due(p, at("2027-01-20T12:00:00Z"), o) == doctest::Approx(0.15));  // 91 days: 3 periods
    p.last_seen = "";
    CHECK(pat::days_unseen(p, kNow) == 0);
    p.last_seen = "2026-12-01T00:00:00.000Z";  // in the future
    CHECK(pat::days_unseen(p, kNow) == 0);
    CHECK(pat::decay_due(p, kNow, o) == 0.0);

    AgingOptions off;
    off.decay_period_days = 0;
    CHECK(pat::decay_due(pattern("q", 10, k95DaysAgo), kNow, off) == 0.0);

    // prune_due reads the confidence as it is: the caller decays first.
    Pattern old = pattern("o", 10, k95DaysAgo);
    CHECK_FALSE(pat::prune_due(old, kNow, o));  // 0.75 is not under 0.70
    old.confidence = 0.60;
    CHECK(pat::prune_due(old, kNow, o));
    CHECK_FALSE(pat::prune_due(old, at("2026-11-15T12:00:00Z"), o));  // 89 days
    CHECK(pat::prune_due(old, at("2026-11-16T12:00:00Z"), o));        // 90 days
    old.status = PatternStatus::archived;
    CHECK_FALSE(pat::prune_due(old, kNow, o));
  }

  TEST_CASE("a pattern unseen for 31 days decays by 0.05, once however often the run is repeated") {
    Fixture f;
    f.save(pattern("p", 10, k31DaysAgo));
    f.save(pattern("fresh", 10, k20DaysAgo));

    const PruneResult r = f.age(kNow);
    CHECK(r.decayed == 1);
    CHECK(r.pruned == 0);
    CHECK(r.confidence_change == doctest::Approx(-0.05));
    REQUIRE(r.actions.size() == 1);
    CHECK(r.actions[0].action == "decay");
    CHECK(r.actions[0].pattern == "p");
    CHECK(r.actions[0].from["confidence"] == 0.75);
    CHECK(r.actions[0].from["decay"] == 0.0);
    CHECK(r.actions[0].to["confidence"].get<double>() == doctest::Approx(0.70));
    CHECK(r.actions[0].to["decay"].get<double>() == doctest::Approx(0.05));
    CHECK(r.actions[0].reason == "unseen for 31 days");

    Pattern p = f.get("p");
    CHECK(p.decay == doctest::Approx(0.05));
    CHECK(p.confidence == doctest::Approx(0.70));
    CHECK(p.level == pat::Level::low);
    CHECK(p.status == PatternStatus::active);
    CHECK(p.version == 2);
    CHECK(f.get("fresh").version == 1);
    CHECK(f.get("fresh").confidence == 0.75);

    // The same `now` again, and a day later: the decay is already there.
    CHECK(f.age(kNow).actions.empty());
    CHECK(f.age(at("2026-11-22T12:00:00Z")).actions.empty());
    p = f.get("p");
    CHECK(p.confidence == doctest::Approx(0.70));
    CHECK(p.version == 2);

    // A run 30 days later catches up to the second period: 0.05 more, not 0.10.
    const PruneResult later = f.age(at("2026-12-21T12:00:00Z"));
    CHECK(later.decayed == 2);  // "fresh" is now 50 days unseen
    CHECK(f.get("p").decay == doctest::Approx(0.10));
    CHECK(f.get("p").confidence == doctest::Approx(0.65));
    CHECK(f.get("fresh").decay == doctest::Approx(0.05));
  }

  TEST_CASE("unseen for 95 days and under 0.70 after decay: decayed and archived in one version") {
    Fixture f;
    f.save(pattern("low", 10, k95DaysAgo));
    const PruneResult r = f.age(kNow);
    CHECK(r.decayed == 1);
    CHECK(r.pruned == 1);
    REQUIRE(r.actions.size() == 2);
    CHECK(r.actions[0].action == "decay");
    CHECK(r.actions[1].action == "prune");
    CHECK(r.actions[1].pattern == "low");
    CHECK(r.actions[1].from["status"] == "active");
    CHECK(r.actions[1].to["status"] == "archived");

    const Pattern p = f.get("low");
    CHECK(p.status == PatternStatus::archived);
    CHECK(p.decay == doctest::Approx(0.15));  // three whole periods
    CHECK(p.confidence == doctest::Approx(0.60));
    CHECK(p.version == 2);
    CHECK(f.count("SELECT count(*) FROM patterns WHERE id = 'low' AND status = 'archived'") == 1);

    // Archived patterns age no further.
    CHECK(f.age(at("2027-06-01T12:00:00Z")).actions.empty());
    CHECK(f.get("low").version == 2);
  }

  TEST_CASE("a strong pattern unseen for 95 days is decayed but stays active while at or above 0.70") {
    Fixture f;
    f.save(pattern("high", 100, k95DaysAgo));
    REQUIRE(f.get("high").confidence == 0.95);
    const PruneResult r = f.age(kNow);
    CHECK(r.decayed == 1);
    CHECK(r.pruned == 0);
    const Pattern p = f.get("high");
    CHECK(p.status == PatternStatus::active);
    CHECK(p.confidence == doctest::Approx(0.80));
    CHECK(p.level == pat::Level::medium);

    // Exactly at the limit is not under it.
    AgingOptions at_limit;
    at_limit.prune_below = 0.80;
    CHECK(f.age(kNow, false, at_limit).pruned == 0);
    AgingOptions above;
    above.prune_below = 0.8001;
    CHECK(f.age(kNow, false, above).pruned == 1);
    CHECK(f.get("high").status == PatternStatus::archived);
  }

  TEST_CASE("dry_run returns the actions and changes nothing in the store") {
    Fixture f;
    f.save(pattern("p", 10, k31DaysAgo));
    f.save(pattern("low", 10, k95DaysAgo));
    const std::string before_p = f.store().db().execAndGet("SELECT record FROM patterns WHERE id = 'p'").getString();
    const std::string before_low =
        f.store().db().execAndGet("SELECT record FROM patterns WHERE id = 'low'").getString();

    const PruneResult dry = f.age(kNow, true);
    CHECK(dry.decayed == 2);
    CHECK(dry.pruned == 1);
    CHECK(dry.actions.size() == 3);
    CHECK(f.store().db().execAndGet("SELECT record FROM patterns WHERE id = 'p'").getString() == before_p);
    CHECK(f.store().db().execAndGet("SELECT record FROM patterns WHERE id = 'low'").getString() == before_low);
    CHECK(f.count("SELECT count(*) FROM pattern_versions") == 2);

    // The real run then does what the dry run said.
    const PruneResult real = f.age(kNow);
    CHECK(real.decayed == dry.decayed);
    CHECK(real.pruned == dry.pruned);
    REQUIRE(real.actions.size() == dry.actions.size());
    for (std::size_t i = 0; i < real.actions.size(); ++i) {
      CHECK(real.actions[i].action == dry.actions[i].action);
      CHECK(real.actions[i].pattern == dry.actions[i].pattern);
      CHECK(real.actions[i].to == dry.actions[i].to);
    }
  }

  TEST_CASE("each change is a new version, and rolling it back undoes it") {
    Fixture f;
    f.save(pattern("p", 10, k31DaysAgo));
    REQUIRE(f.versions("p") == 1);
    f.age(kNow);
    CHECK(f.versions("p") == 2);
    CHECK(
        f.count(
            "SELECT count(*) FROM pattern_versions WHERE pattern = 'p' AND version = 2 AND reason LIKE 'patprune:%'") ==
        1);
    f.age(kNow);  // nothing to do: no version
    CHECK(f.versions("p") == 2);
    f.age(at("2026-12-21T12:00:00Z"));
    CHECK(f.versions("p") == 3);
    CHECK(f.get("p").version == 3);

    {
      pat::Store::Transaction tx(f.store());
      pat::PatternStore(f.store()).rollback("p");
      tx.commit();
    }
    CHECK(f.get("p").version == 2);
    CHECK(f.get("p").decay == doctest::Approx(0.05));
  }

  TEST_CASE("restore_pattern makes an archived pattern active; refuses an active or unknown id") {
    Fixture f;
    f.save(pattern("low", 10, k95DaysAgo));
    f.age(kNow);
    REQUIRE(f.get("low").status == PatternStatus::archived);

    SUBCASE("restored") {
      const PruneResult r = f.restore("low");
      CHECK(r.restored == 1);
      REQUIRE(r.actions.size() == 1);
      CHECK(r.actions[0].action == "restore");
      CHECK(r.actions[0].pattern == "low");
      CHECK(r.actions[0].from["status"] == "archived");
      CHECK(r.actions[0].to["status"] == "active");
      const Pattern p = f.get("low");
      CHECK(p.status == PatternStatus::active);
      CHECK(p.version == 3);
      CHECK(f.versions("low") == 3);
      CHECK(p.confidence == doctest::Approx(0.60));  // its decay stays until it is seen again
      // Active now: a second restore is refused.
      CHECK(pat_test::error_of([&] { f.restore("low"); }).code == pat::Exit::data_error);
    }
    SUBCASE("dry run") {
      const PruneResult r = f.restore("low", true);
      CHECK(r.restored == 1);
      CHECK(r.actions.size() == 1);
      CHECK(f.get("low").status == PatternStatus::archived);
      CHECK(f.get("low").version == 2);
    }
    SUBCASE("an active pattern") {
      f.save(pattern("active", 10, k20DaysAgo));
      const auto e = pat_test::error_of([&] { f.restore("active"); });
      CHECK(e.code == pat::Exit::data_error);
      CHECK(e.message.find("active") != std::string::npos);
      CHECK(f.get("active").version == 1);
    }
    SUBCASE("an unknown id") {
      const auto e = pat_test::error_of([&] { f.restore("no-such-pattern"); });
      CHECK(e.code == pat::Exit::data_error);
      CHECK(e.message.find("no-such-pattern") != std::string::npos);
    }
  }

  TEST_CASE("remove_old_events removes old events except those patterns and candidates cite") {
    Fixture f;
    f.event("old-plain", "2026-01-01T00:00:00.000Z");
    f.event("old-other", "2026-05-31T23:59:59.999Z");
    f.event("old-cited", "2026-01-02T00:00:00.000Z");
    f.event("old-example", "2026-01-03T00:00:00.000Z");
    f.event("at-cutoff", "2026-06-01T00:00:00.000Z");
    f.event("new", "2026-11-01T00:00:00.000Z");
    Pattern p = pattern("p", 10, k20DaysAgo);
    p.base.events = {eid("old-cited"), eid("new")};
    f.save(p);
    pat::Candidate c;
    c.id = "cand";
    c.type = "repeated_execution";
    c.signature = "build:make";
    c.occurrences = 3;
    c.ts = "2026-01-03T00:00:00.000Z";
    c.examples = {eid("old-example")};
    {
      pat::Store::Transaction tx(f.store());
      pat::PatternStore(f.store()).save_candidate(c);
      tx.commit();
    }
    const pat::TimePoint cutoff = at("2026-06-01T00:00:00Z");

    PruneResult dry;
    pat::remove_old_events(f.store(), cutoff, true, dry);
    CHECK(dry.events_removed == 2);
    CHECK(f.count("SELECT count(*) FROM events") == 6);

    PruneResult r;
    {
      pat::Store::Transaction tx(f.store());
      pat::remove_old_events(f.store(), cutoff, false, r);
      tx.commit();
    }
    CHECK(r.events_removed == 2);
    CHECK_FALSE(f.has_event("old-plain"));
    CHECK_FALSE(f.has_event("old-other"));
    CHECK(f.has_event("old-cited"));
    CHECK(f.has_event("old-example"));
    CHECK(f.has_event("at-cutoff"));
    CHECK(f.has_event("new"));

    // Nothing more to remove.
    PruneResult again;
    pat::remove_old_events(f.store(), cutoff, false, again);
    CHECK(again.events_removed == 0);
  }

}  // TEST_SUITE
