#pragma once
// The observation record (patdetect, man 5 pattools-records): one instance of a usage mistake,
// with its evidence.
#include <string>
#include <string_view>
#include <vector>

#include "records/enums.hpp"
#include "records/prevention.hpp"
#include "util/json_parse.hpp"

namespace pat {

struct Observation {
  std::string id, ts, session, tool;
  Category category = Category::incorrect_parameter;
  std::string template_text;      // "template": the error with its variable parts as <*>
  json mistake = json::object();  // {param, check} or {requires: {tool, ...}}
  std::string root_cause;
  std::vector<Prevention> prevention;
  std::vector<std::string> events;  // ids of the events that show it
  json unknown = json::object();
};

json to_json(const Observation& o);
// pat::Error(data_error) naming the field that is wrong.
Observation observation_from_json(const json& j);

// The fields an observation shares with the pattern that holds it, for the pattern record.
inline constexpr std::string_view kObservationFields[] = {"id",       "ts",      "session",    "tool",       "category",
                                                          "template", "mistake", "root_cause", "prevention", "events"};
void put_observation_fields(json& j, const Observation& o);
Observation read_observation_fields(const json& j, std::string_view kind);

}  // namespace pat
