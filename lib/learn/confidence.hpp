#pragma once
// The learning model's numbers (ARCHITECTURE.md, Learning model): confidence from the number of observations, the
// effect of patcheck's feedback, and the levels that decide what patcheck does.
#include <cstdint>

#include "records/enums.hpp"
#include "records/pattern.hpp"

namespace pat {

// 1→0.50, 3→0.60, 10→0.75, 25→0.85, 50→0.90, 100+→0.95; exact at those points, linear in
// log(observations) between them (so monotone), 0 for none.
double confidence_for(std::int64_t observations);

// Each confirmed false positive (a warned call that then succeeded) takes this much away, each
// confirmed prediction (a warned call that failed as predicted) adds this much; the result stays
// within [0, kMaxConfidence].
inline constexpr double kFalsePositivePenalty = 0.05;
inline constexpr double kTruePositiveBonus = 0.01;
inline constexpr double kMaxConfidence = 0.99;

// The confidence of a pattern: the curve, corrected by patcheck's feedback, less the decay it has
// suffered while unseen (patprune).
double pattern_confidence(std::int64_t observations, const CheckCounts& checks, double decay = 0.0);

}  // namespace pat
