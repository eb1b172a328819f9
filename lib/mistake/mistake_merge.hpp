#pragma once
// Comparing and merging learned mistakes (patlearn): how alike two checks are, and the check that
// covers both. Observations whose templates and checks are both at least 70 % alike merge into
// one pattern, whose check then covers every observation merged.
#include "mistake/check.hpp"

namespace pat {

// 0..1. Checks that generalise can merge score 0.8 or more; distinct ones 0.5 or less, so that
// they stay apart. Predicates are paired by kind and part:
//   the same predicate                          1.0
//   session: the same tool, another "same"      0.8
//   values: the same part                       0.8 + 0.2 x Jaccard of the sets
//   shapes: the same part, signatures that join 0.9
//   a value set and a shape its values fit      0.8
//   lengths, affixes, paths: the same part and kind, other bounds  0.8
//   anything else                               0.3 on the same part, 0.0 otherwise
// The score is the mean over the predicates of both of their best partner's.
double check_similarity(const Check& a, const Check& b);

// `a` widened to cover `b`: value sets united (at most kMaxValues; a larger union keeps a's),
// signatures joined, length ranges and size thresholds widened, separation counts added. A
// value set joins a shape only when every value fits it. Predicates without a partner in `b`
// stay as they are.
Check generalise(const Check& a, const Check& b);

// The predicates in a canonical order (by kind, then content), so that equal checks are equal.
void normalise(Check& c);

}  // namespace pat
