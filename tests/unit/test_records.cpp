#include <doctest/doctest.h>

#include "records/action.hpp"
#include "records/candidate.hpp"
#include "records/enums.hpp"
#include "records/observation.hpp"
#include "records/pattern.hpp"
#include "records/verdict.hpp"
#include "unit_helpers.hpp"
#include "util/error.hpp"

using pat::json;

namespace {

json sample_observation() {
  return json::parse(R"J({
    "kind": "observation", "v": 1, "id": "0f3c", "ts": "2026-11-20T10:00:00.000Z", "session": "s1",
    "tool": "Bash", "category": "PARAMETER_FORMAT",
    "template": "gh: No commit found for SHA: <*> (HTTP 422)",
    "mistake": {"param": "command", "check": {"kind": "shape", "pattern": "[0-9a-f]{7}"}},
    "root_cause": "A 7-character SHA where the API needs the full 40.",
    "prevention": [{"action": "Pass the full 40-character SHA", "reason": "the API does not expand short SHAs",
                    "recoveries": 0}],
    "events": ["e1", "e2"], "seen_by": "a newer patdetect"})J");
}

}  // namespace

TEST_SUITE("mistake_records") {
  TEST_CASE("observation: round trip keeps every field and the unknown ones") {
    const json in = sample_observation();
    const pat::Observation o = pat::observation_from_json(in);
    CHECK(o.category == pat::Category::parameter_format);
    CHECK(o.prevention.size() == 1);
    CHECK(o.events == std::vector<std::string>{"e1", "e2"});
    CHECK(o.unknown == json{{"seen_by", "a newer patdetect"}});
    CHECK(pat::to_json(o) == in);
  }

  TEST_CASE("observation: wrong kind, version, category or types are data errors") {
    json j = sample_observation();
    j["kind"] = "pattern";
    CHECK(pat_test::error_of([&] { pat::observation_from_json(j); }).code == pat::Exit::data_error);
    j = sample_observation();
    j["v"] = 2;
    CHECK(pat_test::error_of([&] { pat::observation_from_json(j); }).code == pat::Exit::data_error);
    j = sample_observation();
    j["category"] = "TYPO";
    CHECK(pat_test::error_of([&] { pat::observation_from_json(j); }).code == pat::Exit::data_error);
    j = sample_observation();
    j["events"] = "e1";
    CHECK(pat_test::error_of([&] { pat::observation_from_json(j); }).code == pat::Exit::data_error);
    j = sample_observation();
    j.erase("tool");
    CHECK(pat_test::error_of([&] { pat::observation_from_json(j); }).code == pat::Exit::data_error);
    j = sample_observation();
    j["prevention"][0]["recoveries"] = -1;
    CHECK(pat_test::error_of([&] { pat::observation_from_json(j); }).code == pat::Exit::data_error);
  }

  TEST_CASE("prevention: the recoveries behind a step are a number, 0 when the record has none") {
    json j = sample_observation();
    j["prevention"] = json::parse(R"J([{"action": "Run `make`", "reason": "the agent recovered this way 6 times",
    "recoveries": 6}, {"action": "Check it", "reason": "an older record"}])J");
    const pat::Observation o = pat::observation_from_json(j);
    REQUIRE(o.prevention.size() == 2);
    CHECK(o.prevention[0].recoveries == 6);
    CHECK(o.prevention[1].recoveries == 0);
  }

  TEST_CASE("pattern: round trip, defaults, and range checks") {
    json j = sample_observation();
    j["kind"] = "pattern";
    j["observations"] = 10;
    j["confidence"] = 0.75;
    j["level"] = "medium";
    j["first_seen"] = "2026-11-01T00:00:00.000Z";
    j["last_seen"] = "2026-11-20T00:00:00.000Z";
    j["status"] = "active";
    j["version"] = 3;
    j["checks"] = {{"warned", 4}, {"blocked", 1}, {"true_positive", 3}, {"false_positive", 1}};
    const pat::Pattern p = pat::pattern_from_json(j);
    CHECK(p.level == pat::Level::medium);
    CHECK(p.checks.false_positive == 1);
    CHECK(pat::to_json(p) == j);
    j["confidence"] = 1.5;
    CHECK(pat_test::error_of([&] { pat::pattern_from_json(j); }).code == pat::Exit::data_error);
    j["confidence"] = 0.5;
    j["status"] = "deleted";
    CHECK(pat_test::error_of([&] { pat::pattern_from_json(j); }).code == pat::Exit::data_error);
  }

  TEST_CASE("candidate, verdict and action: round trips") {
    const json c = json::parse(R"J({"kind":"candidate","v":1,"id":"c1","signature":"test:pytest:backend",
    "occurrences":5,"examples":["e1","e2","e3"],"invariants":{"tool":"pytest"},"variables":{"path":["a","b"]},
    "template":"pytest -q <*>","estimated_savings":{"seconds_per_run":12.5}})J");
    CHECK(pat::to_json(pat::candidate_from_json(c)) == c);
    const json v = json::parse(R"J({"kind":"verdict","v":1,"tool":"Bash","tool_use_id":"toolu_1","decision":"block",
    "level":"critical","matches":[{"pattern":"p1","confidence":0.96,"observations":120,"root_cause":"r",
    "prevention":[{"action":"a","reason":"b","recoveries":4}]}]})J");
    CHECK(pat::to_json(pat::verdict_from_json(v)) == v);
    const json a = json::parse(R"J({"kind":"action","v":1,"action":"decay","pattern":"p1","from":0.8,"to":0.75,
    "reason":"unseen for 30 days"})J");
    CHECK(pat::to_json(pat::action_from_json(a)) == a);
    json bad = v;
    bad["decision"] = "maybe";
    CHECK(pat_test::error_of([&] { pat::verdict_from_json(bad); }).code == pat::Exit::data_error);
    bad = a;
    bad["action"] = "delete";
    CHECK(pat_test::error_of([&] { pat::action_from_json(bad); }).code == pat::Exit::data_error);
  }

  TEST_CASE("category and level names") {
    for (const auto* name : {"PARAMETER_FORMAT", "INCORRECT_PARAMETER", "WORKFLOW_SEQUENCE", "MISSING_PREREQUISITE"})
      CHECK(pat::category_name(*pat::parse_category(name)) == name);
    CHECK_FALSE(pat::parse_category("parameter_format"));
    for (const auto* name : {"low", "medium", "high", "critical"})
      CHECK(pat::level_name(*pat::parse_level(name)) == name);
    CHECK_FALSE(pat::parse_level("CRITICAL"));
  }

}  // TEST_SUITE
