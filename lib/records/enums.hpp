#pragma once
// The closed vocabularies of the records (man 5 pattools-records): enums in C++, their names only
// where records are read and written as JSON or rows.
#include <optional>
#include <string_view>

#include "util/json_parse.hpp"

namespace pat {

// What kind of usage mistake a pattern is.
enum class Category { parameter_format, incorrect_parameter, workflow_sequence, missing_prerequisite };
std::string_view category_name(Category c);  // "PARAMETER_FORMAT", ...
std::optional<Category> parse_category(std::string_view name);

// How confident a pattern is, in the steps that decide what patcheck does with it.
enum class Level { low, medium, high, critical };
std::string_view level_name(Level l);  // "low", ...
std::optional<Level> parse_level(std::string_view name);

// The confidences from which a pattern is medium, high and critical (every one a flag and a
// config key).
struct LevelThresholds {
  double critical = 0.95, high = 0.85, medium = 0.75;
};
Level level_for(double confidence, const LevelThresholds& t = {});

// How a tool call ended.
enum class Outcome { unknown, success, failure };
std::string_view outcome_name(Outcome o);  // "unknown", "success", "failure"
std::optional<Outcome> parse_outcome(std::string_view name);

// What patcheck does with a call.
enum class Decision { allow, warn, block };
std::string_view decision_name(Decision d);  // "allow", "warn", "block"
std::optional<Decision> parse_decision(std::string_view name);

// Whether patcheck uses a pattern (active) or it was pruned (archived, restorable).
enum class PatternStatus { active, archived };
std::string_view status_name(PatternStatus s);  // "active", "archived"
std::optional<PatternStatus> parse_status(std::string_view name);

// In JSON every one of them is its name, never its number.
NLOHMANN_JSON_SERIALIZE_ENUM(Category, {{Category::parameter_format, "PARAMETER_FORMAT"},
                                        {Category::incorrect_parameter, "INCORRECT_PARAMETER"},
                                        {Category::workflow_sequence, "WORKFLOW_SEQUENCE"},
                                        {Category::missing_prerequisite, "MISSING_PREREQUISITE"}})
NLOHMANN_JSON_SERIALIZE_ENUM(
    Level, {{Level::low, "low"}, {Level::medium, "medium"}, {Level::high, "high"}, {Level::critical, "critical"}})
NLOHMANN_JSON_SERIALIZE_ENUM(Outcome, {{Outcome::unknown, "unknown"},
                                       {Outcome::success, "success"},
                                       {Outcome::failure, "failure"}})
NLOHMANN_JSON_SERIALIZE_ENUM(Decision,
                             {{Decision::allow, "allow"}, {Decision::warn, "warn"}, {Decision::block, "block"}})
NLOHMANN_JSON_SERIALIZE_ENUM(PatternStatus, {{PatternStatus::active, "active"}, {PatternStatus::archived, "archived"}})

}  // namespace pat
