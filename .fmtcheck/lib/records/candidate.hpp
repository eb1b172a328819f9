#pragma once
// The candidate record (patdetect, man 5 pattools-records): a repeated piece of work worth
// automating.
#include <cstdint>
#include <string>
#include <vector>

#include "util/json_parse.hpp"

namespace pat {

struct Candidate {
  std::string id, ts, signature;
  std::string type;  // repeated_execution | file_template | anti_pattern
  std::int64_t occurrences = 0;
  std::vector<std::string> examples;  // event ids
  json invariants = json::object();
  json variables = json::object();
  std::string template_text;
  json estimated_savings = json::object();
  json unknown = json::object();
};

json to_json(const Candidate& c);
// pat::Error(data_error) naming the field that is wrong.
Candidate candidate_from_json(const json& j);

}  // namespace pat
