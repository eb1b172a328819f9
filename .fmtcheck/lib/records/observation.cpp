#include "records/observation.hpp"

#include <fmt/format.h>

#include "records/record_fields.hpp"
#include "util/error.hpp"

namespace pat {

void put_observation_fields(json& j, const Observation& o) {
  record::put(j, "id", o.id);
  record::put(j, "ts", o.ts);
  record::put(j, "session", o.session);
  j["tool"] = o.tool;
  j["category"] = category_name(o.category);
  j["template"] = o.template_text;
  j["mistake"] = o.mistake;
  record::put(j, "root_cause", o.root_cause);
  j["prevention"] = prevention_to_json(o.prevention);
  j["events"] = o.events;
}

Observation read_observation_fields(const json& j, std::string_view kind) {
  Observation o;
  o.id = record::get_string(j, kind, "id");
  o.ts = record::get_string(j, kind, "ts");
  o.session = record::get_string(j, kind, "session");
  o.tool = record::get_string(j, kind, "tool", true);
  const std::string category = record::get_string(j, kind, "category", true);
  const auto c = parse_category(category);
  if (!c) throw Error(Exit::data_error, fmt::format("{} record: unknown category \"{}\"", kind, category));
  o.category = *c;
  o.template_text = record::get_string(j, kind, "template");
  o.mistake = record::get_object(j, kind, "mistake");
  o.root_cause = record::get_string(j, kind, "root_cause");
  o.prevention = prevention_from_json(j, kind);
  o.events = record::get_strings(j, kind, "events");
  return o;
}

json to_json(const Observation& o) {
  json j = record::start("observation", o.unknown);
  put_observation_fields(j, o);
  return j;
}

Observation observation_from_json(const json& j) {
  record::expect_kind(j, "observation");
  Observation o = read_observation_fields(j, "observation");
  o.unknown = record::unknown_fields(j, kObservationFields);
  return o;
}

}  // namespace pat
