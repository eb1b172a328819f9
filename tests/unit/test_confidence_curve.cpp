#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "check_helpers.hpp"
#include "learn/confidence.hpp"
#include "learn/pattern_learner.hpp"
#include "mistake/signature.hpp"
#include "records/observation.hpp"
#include "store/pattern_store.hpp"
#include "store/store.hpp"
#include "store_fixture.hpp"
#include "util/content_hash.hpp"

using pat::json;
using pat::Observation;
using pat::Pattern;
using pat::PatternLearner;

namespace {

constexpr const char* kTool = "mcp__git__show_commit";
constexpr const char* kTemplate = "Invalid SHA <*>: expected 40 hex characters";

// The n-th short SHA: a different value every time, of 7 to 12 hex characters, some of them
// digits only (their own signature is digits{N}, which joins with hex into hex).
std::string short_sha(int n) {
  const std::size_t length = 7 + static_cast<std::size_t>(n % 6);
  std::string digits = std::to_string(n);
  std::string sha = n % 3 == 0 ? std::string(length - digits.size(), '0') + digits
                               : "c" + std::string(length - 1 - digits.size(), '0') + digits;
  REQUIRE(sha.size() == length);
  return sha;
}

// An observation of a failing call with this SHA, its check the SHA's shape, as the detector
// writes it for a single value the error names.
Observation observation(int n) {
  const std::string sha = short_sha(n);
  const auto sig = pat::signature_of(sha);
  REQUIRE(sig.has_value());
  Observation o;
  o.id = pat::content_hash("observation\x1f" + std::to_string(n));
  o.ts = "2026-03-01T10:00:00.000Z";
  o.session = "sess-" + std::to_string(n);
  o.tool = kTool;
  o.category = pat::Category::parameter_format;
  o.template_text = kTemplate;
  o.mistake = {{"all", {{{"part", {{"param", "sha"}}}, {"shape", pat::signature_text(*sig)}}}}};
  o.root_cause = "A short SHA.";
  o.prevention = {{"Pass `sha` as 40 hex characters", "seen " + sha, 0}};
  o.events = {pat::content_hash("event\x1f" + std::to_string(n))};
  return o;
}

}  // namespace

TEST_SUITE("confidence_curve") {
  TEST_CASE("one mistake observed 1, 3, 10, 25, 50 and 100 times: one pattern, confidence on the curve") {
    pat_test::PatternStoreFixture f;
    pat::PatternStore patterns(f.store());
    struct Point {
      int observations;
      double confidence;
      pat::Level level;
    };
    const std::vector<Point> curve = {{1, 0.50, pat::Level::low},     {3, 0.60, pat::Level::low},
                                      {10, 0.75, pat::Level::medium}, {25, 0.85, pat::Level::high},
                                      {50, 0.90, pat::Level::high},   {100, 0.95, pat::Level::critical}};
    int added = 0;
    for (const auto& [observations, confidence, level] : curve) {
      CAPTURE(observations);
      // The observations up to this point arrive in one patlearn run.
      {
        pat::Store::Transaction tx(f.store());
        PatternLearner learner(patterns, {});
        for (; added < observations; ++added) CHECK(learner.add(observation(added)));
        learner.save();
        tx.commit();
      }
      std::vector<Pattern> all;
      patterns.for_each([&](const Pattern& p) { all.push_back(p); });
      REQUIRE(all.size() == 1);
      const Pattern& p = all.front();
      CHECK(p.observations == observations);
      CHECK(p.confidence == confidence);
      CHECK(p.confidence == pat::confidence_for(observations));
      CHECK(p.level == level);
      // The check covers every SHA seen, and still no full one.
      for (int i = 0; i < added; ++i) CHECK(pat_test::input_matches(p.base.mistake, {{"sha", short_sha(i)}}));
      CHECK_FALSE(pat_test::input_matches(p.base.mistake, {{"sha", "0123456789abcdef0123456789abcdef01234567"}}));
    }
    std::vector<Pattern> all;
    patterns.for_each([&](const Pattern& p) { all.push_back(p); });
    REQUIRE(all.size() == 1);
    CHECK(all.front().base.mistake["all"] == json::parse(R"([{"part":{"param":"sha"},"shape":"hex{7,12}"}])"));
  }
}  // TEST_SUITE
