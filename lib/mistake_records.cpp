#include "mistake_records.hpp"

#include <array>

#include <fmt/format.h>

#include "error.hpp"
#include "record_fields.hpp"

namespace pat {
namespace {

constexpr std::array<std::string_view, 4> kCategories = {"PARAMETER_FORMAT", "INCORRECT_PARAMETER",
                                                          "WORKFLOW_SEQUENCE", "MISSING_PREREQUISITE"};
constexpr std::array<std::string_view, 4> kLevels = {"low", "medium", "high", "critical"};

json prevention_json(const std::vector<Prevention>& ps) {
  json out = json::array();
  for (const auto& p : ps) out.push_back({{"action", p.action}, {"reason", p.reason}});
  return out;
}

std::vector<Prevention> prevention_from(const json& j, std::string_view kind) {
  std::vector<Prevention> out;
  const auto it = j.find("prevention");
  if (it == j.end() || it->is_null()) return out;
  if (!it->is_array()) throw Error(Exit::data_error, fmt::format("{} record: \"prevention\" is not an array", kind));
  for (const auto& p : *it) {
    if (!p.is_object())
      throw Error(Exit::data_error, fmt::format("{} record: a \"prevention\" entry is not an object", kind));
    out.push_back({record::get_string(p, kind, "action", true), record::get_string(p, kind, "reason")});
  }
  return out;
}

json object_field(const json& j, std::string_view kind, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return json::object();
  if (!it->is_object()) throw Error(Exit::data_error, fmt::format("{} record: \"{}\" is not an object", kind, key));
  return *it;
}

Category category_field(const json& j, std::string_view kind) {
  const std::string name = record::get_string(j, kind, "category", true);
  const auto c = parse_category(name);
  if (!c) throw Error(Exit::data_error, fmt::format("{} record: unknown category \"{}\"", kind, name));
  return *c;
}


void put_observation_fields(json& j, const Observation& o) {
  record::put(j, "id", o.id);
  record::put(j, "ts", o.ts);
  record::put(j, "session", o.session);
  j["tool"] = o.tool;
  j["category"] = category_name(o.category);
  j["template"] = o.template_text;
  j["mistake"] = o.mistake;
  record::put(j, "root_cause", o.root_cause);
  j["prevention"] = prevention_json(o.prevention);
  j["events"] = o.events;
}

Observation read_observation_fields(const json& j, std::string_view kind) {
  Observation o;
  o.id = record::get_string(j, kind, "id");
  o.ts = record::get_string(j, kind, "ts");
  o.session = record::get_string(j, kind, "session");
  o.tool = record::get_string(j, kind, "tool", true);
  o.category = category_field(j, kind);
  o.template_text = record::get_string(j, kind, "template");
  o.mistake = object_field(j, kind, "mistake");
  o.root_cause = record::get_string(j, kind, "root_cause");
  o.prevention = prevention_from(j, kind);
  o.events = record::get_strings(j, kind, "events");
  return o;
}

}  // namespace

std::string_view category_name(Category c) { return kCategories[static_cast<std::size_t>(c)]; }
std::optional<Category> parse_category(std::string_view name) {
  for (std::size_t i = 0; i < kCategories.size(); ++i)
    if (kCategories[i] == name) return static_cast<Category>(i);
  return std::nullopt;
}

std::string_view level_name(Level l) { return kLevels[static_cast<std::size_t>(l)]; }
std::optional<Level> parse_level(std::string_view name) {
  for (std::size_t i = 0; i < kLevels.size(); ++i)
    if (kLevels[i] == name) return static_cast<Level>(i);
  return std::nullopt;
}

json to_json(const Observation& o) {
  json j = record::start("observation", o.unknown);
  put_observation_fields(j, o);
  return j;
}

Observation observation_from_json(const json& j) {
  record::expect_kind(j, "observation");
  Observation o = read_observation_fields(j, "observation");
  o.unknown = record::unknown_fields(
      j, {"id", "ts", "session", "tool", "category", "template", "mistake", "root_cause", "prevention", "events"});
  return o;
}

json to_json(const Candidate& c) {
  json j = record::start("candidate", c.unknown);
  record::put(j, "id", c.id);
  record::put(j, "ts", c.ts);
  record::put(j, "type", c.type);
  j["signature"] = c.signature;
  j["occurrences"] = c.occurrences;
  j["examples"] = c.examples;
  j["invariants"] = c.invariants;
  j["variables"] = c.variables;
  record::put(j, "template", c.template_text);
  j["estimated_savings"] = c.estimated_savings;
  return j;
}

Candidate candidate_from_json(const json& j) {
  constexpr std::string_view kind = "candidate";
  record::expect_kind(j, kind);
  Candidate c;
  c.id = record::get_string(j, kind, "id");
  c.ts = record::get_string(j, kind, "ts");
  c.type = record::get_string(j, kind, "type");
  c.signature = record::get_string(j, kind, "signature", true);
  c.occurrences = *record::get_int(j, kind, "occurrences", true);
  c.examples = record::get_strings(j, kind, "examples");
  c.invariants = object_field(j, kind, "invariants");
  c.variables = object_field(j, kind, "variables");
  c.template_text = record::get_string(j, kind, "template");
  c.estimated_savings = object_field(j, kind, "estimated_savings");
  c.unknown = record::unknown_fields(j, {"id", "ts", "type", "signature", "occurrences", "examples", "invariants",
                                         "variables", "template", "estimated_savings"});
  return c;
}

json to_json(const Pattern& p) {
  json j = record::start("pattern", p.base.unknown);
  put_observation_fields(j, p.base);
  j["observations"] = p.observations;
  j["confidence"] = p.confidence;
  j["level"] = level_name(p.level);
  record::put(j, "first_seen", p.first_seen);
  record::put(j, "last_seen", p.last_seen);
  j["status"] = p.status;
  j["version"] = p.version;
  j["checks"] = {{"warned", p.checks.warned},
                 {"blocked", p.checks.blocked},
                 {"true_positive", p.checks.true_positive},
                 {"false_positive", p.checks.false_positive}};
  if (p.decay > 0) j["decay"] = p.decay;
  return j;
}

Pattern pattern_from_json(const json& j) {
  constexpr std::string_view kind = "pattern";
  record::expect_kind(j, kind);
  Pattern p;
  p.base = read_observation_fields(j, kind);
  p.observations = record::get_int(j, kind, "observations").value_or(0);
  p.confidence = *record::get_number(j, kind, "confidence", true);
  if (p.confidence < 0.0 || p.confidence > 1.0)
    throw Error(Exit::data_error, "pattern record: \"confidence\" is not between 0 and 1");
  const std::string level = record::get_string(j, kind, "level", true);
  const auto l = parse_level(level);
  if (!l) throw Error(Exit::data_error, fmt::format("pattern record: unknown level \"{}\"", level));
  p.level = *l;
  p.first_seen = record::get_string(j, kind, "first_seen");
  p.last_seen = record::get_string(j, kind, "last_seen");
  p.status = record::get_string(j, kind, "status");
  if (p.status.empty()) p.status = "active";
  if (p.status != "active" && p.status != "archived")
    throw Error(Exit::data_error, fmt::format("pattern record: unknown status \"{}\"", p.status));
  p.version = record::get_int(j, kind, "version").value_or(1);
  const json checks = object_field(j, kind, "checks");
  p.checks.warned = record::get_int(checks, kind, "warned").value_or(0);
  p.checks.blocked = record::get_int(checks, kind, "blocked").value_or(0);
  p.checks.true_positive = record::get_int(checks, kind, "true_positive").value_or(0);
  p.checks.false_positive = record::get_int(checks, kind, "false_positive").value_or(0);
  p.decay = record::get_number(j, kind, "decay").value_or(0.0);
  if (p.decay < 0.0 || p.decay > 1.0) throw Error(Exit::data_error, "pattern record: \"decay\" is not between 0 and 1");
  std::initializer_list<std::string_view> known = {
      "id", "ts", "session", "tool", "category", "template", "mistake", "root_cause", "prevention", "events",
      "observations", "confidence", "level", "first_seen", "last_seen", "status", "version", "checks", "decay"};
  p.base.unknown = record::unknown_fields(j, known);
  return p;
}

json to_json(const Verdict& v) {
  json j = record::start("verdict", v.unknown);
  j["tool"] = v.tool;
  record::put(j, "tool_use_id", v.tool_use_id);
  j["decision"] = v.decision;
  if (v.level) j["level"] = level_name(*v.level);
  json matches = json::array();
  for (const auto& m : v.matches) {
    matches.push_back({{"pattern", m.pattern},
                       {"confidence", m.confidence},
                       {"observations", m.observations},
                       {"root_cause", m.root_cause},
                       {"prevention", prevention_json(m.prevention)}});
  }
  j["matches"] = std::move(matches);
  return j;
}

Verdict verdict_from_json(const json& j) {
  constexpr std::string_view kind = "verdict";
  record::expect_kind(j, kind);
  Verdict v;
  v.tool = record::get_string(j, kind, "tool", true);
  v.tool_use_id = record::get_string(j, kind, "tool_use_id");
  v.decision = record::get_string(j, kind, "decision", true);
  if (v.decision != "allow" && v.decision != "warn" && v.decision != "block")
    throw Error(Exit::data_error, fmt::format("verdict record: unknown decision \"{}\"", v.decision));
  if (const std::string level = record::get_string(j, kind, "level"); !level.empty()) {
    v.level = parse_level(level);
    if (!v.level) throw Error(Exit::data_error, fmt::format("verdict record: unknown level \"{}\"", level));
  }
  if (const auto it = j.find("matches"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) throw Error(Exit::data_error, "verdict record: \"matches\" is not an array");
    for (const auto& m : *it) {
      if (!m.is_object()) throw Error(Exit::data_error, "verdict record: a match is not an object");
      VerdictMatch vm;
      vm.pattern = record::get_string(m, kind, "pattern", true);
      vm.confidence = record::get_number(m, kind, "confidence").value_or(0.0);
      vm.observations = record::get_int(m, kind, "observations").value_or(0);
      vm.root_cause = record::get_string(m, kind, "root_cause");
      vm.prevention = prevention_from(m, kind);
      v.matches.push_back(std::move(vm));
    }
  }
  v.unknown = record::unknown_fields(j, {"tool", "tool_use_id", "decision", "level", "matches"});
  return v;
}

json to_json(const Action& a) {
  json j = record::start("action", a.unknown);
  j["action"] = a.action;
  j["pattern"] = a.pattern;
  j["from"] = a.from;
  j["to"] = a.to;
  record::put(j, "reason", a.reason);
  return j;
}

Action action_from_json(const json& j) {
  constexpr std::string_view kind = "action";
  record::expect_kind(j, kind);
  Action a;
  a.action = record::get_string(j, kind, "action", true);
  if (a.action != "decay" && a.action != "prune" && a.action != "restore")
    throw Error(Exit::data_error, fmt::format("action record: unknown action \"{}\"", a.action));
  a.pattern = record::get_string(j, kind, "pattern", true);
  if (const auto it = j.find("from"); it != j.end()) a.from = *it;
  if (const auto it = j.find("to"); it != j.end()) a.to = *it;
  a.reason = record::get_string(j, kind, "reason");
  a.unknown = record::unknown_fields(j, {"action", "pattern", "from", "to", "reason"});
  return a;
}

}  // namespace pat
