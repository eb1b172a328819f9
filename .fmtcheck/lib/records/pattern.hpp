#pragma once
// The pattern record (patlearn, man 5 pattools-records): a learned mistake, an observation's
// fields plus what patlearn keeps about it.
#include <cstdint>
#include <string>

#include "records/enums.hpp"
#include "records/observation.hpp"
#include "util/json_parse.hpp"

namespace pat {

// What patcheck did with a pattern and what came of it.
struct CheckCounts {
  std::int64_t warned = 0, blocked = 0, true_positive = 0, false_positive = 0;
};

struct Pattern {
  Observation base;  // id, tool, category, template, mistake, root cause, ...
  std::int64_t observations = 0;
  double confidence = 0.0;
  Level level = Level::low;
  std::string first_seen, last_seen;
  PatternStatus status = PatternStatus::active;
  std::int64_t version = 1;
  CheckCounts checks;
  double decay = 0.0;  // confidence lost while unseen (patprune); 0 once seen again
};

json to_json(const Pattern& p);
// pat::Error(data_error) naming the field that is wrong.
Pattern pattern_from_json(const json& j);

}  // namespace pat
