#include <cmath>
#include <cstdint>
#include <limits>

#include <doctest/doctest.h>

#include "learn/confidence.hpp"

using pat::CheckCounts;
using pat::Level;

namespace {

CheckCounts false_positives(std::int64_t n) {
  CheckCounts c;
  c.false_positive = n;
  return c;
}

CheckCounts true_positives(std::int64_t n) {
  CheckCounts c;
  c.true_positive = n;
  return c;
}

}  // namespace

TEST_SUITE("confidence") {
  TEST_CASE("confidence_for: exact at the points ARCHITECTURE.md fixes") {
    CHECK(pat::confidence_for(1) == 0.50);
    CHECK(pat::confidence_for(3) == 0.60);
    CHECK(pat::confidence_for(10) == 0.75);
    CHECK(pat::confidence_for(25) == 0.85);
    CHECK(pat::confidence_for(50) == 0.90);
    CHECK(pat::confidence_for(100) == 0.95);
  }

  TEST_CASE("confidence_for: 100 and more observations stay at 0.95") {
    CHECK(pat::confidence_for(101) == 0.95);
    CHECK(pat::confidence_for(1000) == 0.95);
    CHECK(pat::confidence_for(1000000) == 0.95);
    CHECK(pat::confidence_for(std::numeric_limits<std::int64_t>::max()) == 0.95);
  }

  TEST_CASE("confidence_for: no observations (or a negative count) give 0") {
    CHECK(pat::confidence_for(0) == 0.0);
    CHECK(pat::confidence_for(-1) == 0.0);
    CHECK(pat::confidence_for(std::numeric_limits<std::int64_t>::min()) == 0.0);
  }

  TEST_CASE("confidence_for: monotone non-decreasing from 1 to 200, between its neighbouring points") {
    double previous = pat::confidence_for(0);
    for (std::int64_t n = 1; n <= 200; ++n) {
      CAPTURE(n);
      const double c = pat::confidence_for(n);
      CHECK(c >= previous);
      CHECK(c >= 0.50);
      CHECK(c <= 0.95);
      previous = c;
    }
    // Between the fixed points, strictly between their values.
    CHECK(pat::confidence_for(2) > 0.50);
    CHECK(pat::confidence_for(2) < 0.60);
    CHECK(pat::confidence_for(5) > 0.60);
    CHECK(pat::confidence_for(9) < 0.75);
    CHECK(pat::confidence_for(24) < 0.85);
    CHECK(pat::confidence_for(26) > 0.85);
    CHECK(pat::confidence_for(49) < 0.90);
    CHECK(pat::confidence_for(99) < 0.95);
    CHECK(pat::confidence_for(99) > 0.94);
  }

  TEST_CASE("confidence_for: values are rounded to 4 decimals, so a value just under a level is not printed as it") {
    for (std::int64_t n = 1; n <= 200; ++n) {
      CAPTURE(n);
      const double c = pat::confidence_for(n);
      CHECK(std::round(c * 10000.0) / 10000.0 == c);
    }
    // The levels follow the fixed points exactly.
    CHECK(pat::level_for(pat::confidence_for(9)) == Level::low);
    CHECK(pat::level_for(pat::confidence_for(10)) == Level::medium);
    CHECK(pat::level_for(pat::confidence_for(24)) == Level::medium);
    CHECK(pat::level_for(pat::confidence_for(25)) == Level::high);
    CHECK(pat::level_for(pat::confidence_for(99)) == Level::high);
    CHECK(pat::level_for(pat::confidence_for(100)) == Level::critical);
  }

  TEST_CASE("pattern_confidence: without feedback it is the curve") {
    for (std::int64_t n : {0, 1, 2, 3, 7, 10, 25, 50, 100, 1000}) {
      CAPTURE(n);
      CHECK(pat::pattern_confidence(n, {}) == pat::confidence_for(n));
    }
  }

  TEST_CASE("pattern_confidence: false positives lower it, true positives raise it") {
    const double base = pat::pattern_confidence(10, {});
    REQUIRE(base == 0.75);
    CHECK(pat::pattern_confidence(10, false_positives(1)) < base);
    CHECK(pat::pattern_confidence(10, false_positives(1)) == doctest::Approx(0.75 - pat::kFalsePositivePenalty));
    CHECK(pat::pattern_confidence(10, false_positives(2)) < pat::pattern_confidence(10, false_positives(1)));
    CHECK(pat::pattern_confidence(10, true_positives(1)) > base);
    CHECK(pat::pattern_confidence(10, true_positives(1)) == doctest::Approx(0.75 + pat::kTruePositiveBonus));
    CHECK(pat::pattern_confidence(10, true_positives(3)) > pat::pattern_confidence(10, true_positives(1)));
    // One false positive takes a medium pattern below medium.
    CHECK(pat::level_for(pat::pattern_confidence(10, false_positives(1))) == Level::low);
    // Warned and blocked counts alone change nothing: only the outcome says whether the check was right.
    CheckCounts only_warnings;
    only_warnings.warned = 40;
    only_warnings.blocked = 7;
    CHECK(pat::pattern_confidence(10, only_warnings) == base);
    // Both at once: the penalty and the bonus add up.
    CheckCounts both;
    both.true_positive = 5;
    both.false_positive = 1;
    CHECK(pat::pattern_confidence(10, both) ==
          doctest::Approx(0.75 + 5 * pat::kTruePositiveBonus - pat::kFalsePositivePenalty));
  }

  TEST_CASE("pattern_confidence: clamped to [0, kMaxConfidence]") {
    CHECK(pat::pattern_confidence(1, false_positives(100)) == 0.0);
    CHECK(pat::pattern_confidence(1000, false_positives(1000000)) == 0.0);
    CHECK(pat::pattern_confidence(100, true_positives(1000)) == pat::kMaxConfidence);
    CHECK(pat::pattern_confidence(100, true_positives(std::numeric_limits<std::int64_t>::max() / 2)) ==
          pat::kMaxConfidence);
    CHECK(pat::kMaxConfidence <= 1.0);
    CHECK(pat::kMaxConfidence >= 0.95);
    // Just below the bound: 0.95 + 2 × 0.01.
    CHECK(pat::pattern_confidence(100, true_positives(2)) == doctest::Approx(0.97));
    for (std::int64_t fp = 0; fp <= 30; ++fp)
      for (std::int64_t tp = 0; tp <= 30; tp += 5) {
        CheckCounts c;
        c.false_positive = fp;
        c.true_positive = tp;
        const double v = pat::pattern_confidence(25, c);
        CHECK(v >= 0.0);
        CHECK(v <= pat::kMaxConfidence);
      }
  }

  TEST_CASE("pattern_confidence: rounded to 4 decimals like the curve") {
    const double v = pat::pattern_confidence(10, false_positives(3));
    CHECK(v == 0.6);
    CHECK(pat::pattern_confidence(3, true_positives(7)) == 0.67);
  }

  TEST_CASE("level_for: default thresholds (critical 0.95, high 0.85, medium 0.75)") {
    CHECK(pat::level_for(1.0) == Level::critical);
    CHECK(pat::level_for(0.99) == Level::critical);
    CHECK(pat::level_for(0.95) == Level::critical);
    CHECK(pat::level_for(0.9499) == Level::high);
    CHECK(pat::level_for(0.94) == Level::high);
    CHECK(pat::level_for(0.85) == Level::high);
    CHECK(pat::level_for(0.8499) == Level::medium);
    CHECK(pat::level_for(0.75) == Level::medium);
    CHECK(pat::level_for(0.7499) == Level::low);
    CHECK(pat::level_for(0.5) == Level::low);
    CHECK(pat::level_for(0.0) == Level::low);
    CHECK(pat::level_for(-1.0) == Level::low);
  }

  TEST_CASE("level_for: custom thresholds") {
    pat::LevelThresholds t;
    t.critical = 0.90;
    t.high = 0.60;
    t.medium = 0.50;
    CHECK(pat::level_for(0.90, t) == Level::critical);
    CHECK(pat::level_for(0.89, t) == Level::high);
    CHECK(pat::level_for(0.60, t) == Level::high);
    CHECK(pat::level_for(0.59, t) == Level::medium);
    CHECK(pat::level_for(0.50, t) == Level::medium);
    CHECK(pat::level_for(0.49, t) == Level::low);
    // With the curve: a single observation is already medium here.
    CHECK(pat::level_for(pat::confidence_for(1), t) == Level::medium);

    // A critical threshold above every reachable value: nothing ever blocks.
    pat::LevelThresholds never_block;
    never_block.critical = 1.01;
    CHECK(pat::level_for(pat::kMaxConfidence, never_block) == Level::high);
    CHECK(pat::level_for(1.0, never_block) == Level::high);

    // All thresholds at 0: everything is critical.
    pat::LevelThresholds zero{0.0, 0.0, 0.0};
    CHECK(pat::level_for(0.0, zero) == Level::critical);
  }

}  // TEST_SUITE
