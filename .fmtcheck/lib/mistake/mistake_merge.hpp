#pragma once
// Comparing and merging mistakes (patlearn): how alike two are, and the mistake that covers both.
#include "util/json_parse.hpp"

namespace pat {

// How alike two mistakes are, 0..1. Mistakes that generalise_mistake can merge score 0.8 or
// more; distinct ones that it cannot merge score 0.5 or less, so they stay separate patterns:
//   requires / requires     same tool and same "same" 1.0, same tool 0.8, other tool 0.2
//   requires / param check  0.0; malformed 0.0
//   other param             0.3 for the same check type, else 0.2
//   same param, other type  0.8 when a value set fits the other's shape, else 0.5
//   missing                 1.0
//   value                   0.8 + 0.2 x Jaccard of the value sets
//   shape                   identical 1.0, same class 0.9, classes joining below text 0.8, else 0.5
//   path                    identical 1.0, sharing a directory other than / 0.8, else 0.5
//   program                 same base name 1.0 (whatever the rest of the command), else 0.5
//   subcommand, flag        identical 1.0, else 0.5 (git pushh and git comit stay apart)
double mistake_similarity(const json& a, const json& b);

// The mistake that covers both (`a` with a wider check): value sets whose values all share an
// identifier class (digits, hex, uuid: two short SHAs) become that shape with a length range,
// other value sets their sorted union (at most 20); two shapes the narrowest class holding both,
// with a length range; a value set and a shape it fits, that shape widened; two path prefixes
// their common directory. Anything else keeps a's check. Separation counts add up.
json generalise_mistake(const json& a, const json& b);

}  // namespace pat
