#pragma once
// The records that carry learned knowledge between the tools (DESIGN.md §2, man 5
// pattools-records): observations (patdetect), candidates (patdetect), patterns (patlearn),
// verdicts (patcheck) and actions (patprune). Each converts to and from its JSONL form; fields a
// reader does not know are kept in `unknown` and written back.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "json_parse.hpp"

namespace pat {

enum class Category { parameter_format, incorrect_parameter, workflow_sequence, missing_prerequisite };
std::string_view category_name(Category c);             // "PARAMETER_FORMAT", ...
std::optional<Category> parse_category(std::string_view name);

enum class Level { low, medium, high, critical };
std::string_view level_name(Level l);                   // "low", ...
std::optional<Level> parse_level(std::string_view name);

struct Prevention {
  std::string action;
  std::string reason;
};

// One instance of a usage mistake, with its evidence.
struct Observation {
  std::string id, ts, session, tool;
  Category category = Category::incorrect_parameter;
  std::string template_text;          // "template": the error with its variable parts as <*>
  json mistake = json::object();      // {param, check} or {requires: {tool, ...}}
  std::string root_cause;
  std::vector<Prevention> prevention;
  std::vector<std::string> events;    // ids of the events that show it
  json unknown = json::object();
};

// A repeated piece of work worth automating.
struct Candidate {
  std::string id, ts, signature;
  std::string type;                   // repeated_execution | file_template | anti_pattern
  std::int64_t occurrences = 0;
  std::vector<std::string> examples;  // event ids
  json invariants = json::object();
  json variables = json::object();
  std::string template_text;
  json estimated_savings = json::object();
  json unknown = json::object();
};

struct CheckCounts {
  std::int64_t warned = 0, blocked = 0, true_positive = 0, false_positive = 0;
};

// A learned mistake: an observation's fields plus what patlearn keeps about it.
struct Pattern {
  Observation base;                   // id, tool, category, template, mistake, root cause, ...
  std::int64_t observations = 0;
  double confidence = 0.0;
  Level level = Level::low;
  std::string first_seen, last_seen;
  std::string status = "active";      // active | archived
  std::int64_t version = 1;
  CheckCounts checks;
  double decay = 0.0;                 // confidence lost while unseen (patprune); 0 once seen again
};

struct VerdictMatch {
  std::string pattern;
  double confidence = 0.0;
  std::int64_t observations = 0;
  std::string root_cause;
  std::vector<Prevention> prevention;
};

// patcheck's answer for one tool call.
struct Verdict {
  std::string tool, tool_use_id;
  std::string decision = "allow";     // allow | warn | block
  std::optional<Level> level;
  std::vector<VerdictMatch> matches;
  json unknown = json::object();
};

// One change patprune makes (or would make, with --dry-run).
struct Action {
  std::string action;                 // decay | prune | restore
  std::string pattern;
  json from, to;
  std::string reason;
  json unknown = json::object();
};

json to_json(const Observation& o);
json to_json(const Candidate& c);
json to_json(const Pattern& p);
json to_json(const Verdict& v);
json to_json(const Action& a);

// Each throws pat::Error(data_error) naming the record kind and field that is wrong.
Observation observation_from_json(const json& j);
Candidate candidate_from_json(const json& j);
Pattern pattern_from_json(const json& j);
Verdict verdict_from_json(const json& j);
Action action_from_json(const json& j);

}  // namespace pat
