#include "records/verdict.hpp"

#include <fmt/format.h>

#include "records/record_fields.hpp"
#include "util/error.hpp"

namespace pat {

json to_json(const Verdict& v) {
  json j = record::start("verdict", v.unknown);
  j["tool"] = v.tool;
  record::put(j, "tool_use_id", v.tool_use_id);
  j["decision"] = decision_name(v.decision);
  if (v.level) j["level"] = level_name(*v.level);
  json matches = json::array();
  for (const auto& m : v.matches) {
    matches.push_back({{"pattern", m.pattern},
                       {"confidence", m.confidence},
                       {"observations", m.observations},
                       {"root_cause", m.root_cause},
                       {"prevention", prevention_to_json(m.prevention)}});
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
  const std::string decision = record::get_string(j, kind, "decision", true);
  const auto d = parse_decision(decision);
  if (!d) throw Error(Exit::data_error, fmt::format("verdict record: unknown decision \"{}\"", decision));
  v.decision = *d;
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
      vm.prevention = prevention_from_json(m, kind);
      v.matches.push_back(std::move(vm));
    }
  }
  v.unknown = record::unknown_fields(j, {"tool", "tool_use_id", "decision", "level", "matches"});
  return v;
}

}  // namespace pat
