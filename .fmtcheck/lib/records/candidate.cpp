#include "records/candidate.hpp"

#include "records/record_fields.hpp"

namespace pat {

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
  c.invariants = record::get_object(j, kind, "invariants");
  c.variables = record::get_object(j, kind, "variables");
  c.template_text = record::get_string(j, kind, "template");
  c.estimated_savings = record::get_object(j, kind, "estimated_savings");
  c.unknown = record::unknown_fields(j, {"id", "ts", "type", "signature", "occurrences", "examples", "invariants",
                                         "variables", "template", "estimated_savings"});
  return c;
}

}  // namespace pat
