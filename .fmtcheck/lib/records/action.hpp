#pragma once
// The action record (patprune, man 5 pattools-records): one change patprune makes to a pattern,
// or would make with --dry-run.
#include <string>

#include "util/json_parse.hpp"

namespace pat {

struct Action {
  std::string action;  // decay | prune | restore
  std::string pattern;
  json from, to;
  std::string reason;
  json unknown = json::object();
};

json to_json(const Action& a);
// pat::Error(data_error) naming the field that is wrong.
Action action_from_json(const json& j);

}  // namespace pat
