#pragma once
// The verdict record (patcheck, man 5 pattools-records): what patcheck decided about one tool
// call, and the patterns that made it decide so.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "records/enums.hpp"
#include "records/prevention.hpp"
#include "util/json_parse.hpp"

namespace pat {

struct VerdictMatch {
  std::string pattern;
  double confidence = 0.0;
  std::int64_t observations = 0;
  std::string root_cause;
  std::vector<Prevention> prevention;
};

struct Verdict {
  std::string tool, tool_use_id;
  Decision decision = Decision::allow;
  std::optional<Level> level;
  std::vector<VerdictMatch> matches;  // highest confidence first
  json unknown = json::object();
};

json to_json(const Verdict& v);
// pat::Error(data_error) naming the field that is wrong.
Verdict verdict_from_json(const json& j);

}  // namespace pat
