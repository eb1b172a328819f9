#pragma once
// A prevention step: what the agent should do instead, and why (man 5 pattools-records).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/json_parse.hpp"

namespace pat {

struct Prevention {
  std::string action;
  std::string reason;
  std::int64_t recoveries = 0;  // how many recoveries of the agent applied this fix (0: not a recovery)
};

json prevention_to_json(const std::vector<Prevention>& steps);
// The "prevention" field of a record of `kind`; pat::Error(data_error) when it is malformed.
std::vector<Prevention> prevention_from_json(const json& record, std::string_view kind);

}  // namespace pat
