#include "records/pattern.hpp"

#include <fmt/format.h>

#include "records/record_fields.hpp"
#include "util/error.hpp"

namespace pat {

json to_json(const Pattern& p) {
  json j = record::start("pattern", p.base.unknown);
  put_observation_fields(j, p.base);
  j["observations"] = p.observations;
  j["confidence"] = p.confidence;
  j["level"] = level_name(p.level);
  record::put(j, "first_seen", p.first_seen);
  record::put(j, "last_seen", p.last_seen);
  j["status"] = status_name(p.status);
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
  const std::string status = record::get_string(j, kind, "status");
  const auto s = status.empty() ? PatternStatus::active : parse_status(status);
  if (!s) throw Error(Exit::data_error, fmt::format("pattern record: unknown status \"{}\"", status));
  p.status = *s;
  p.version = record::get_int(j, kind, "version").value_or(1);
  const json checks = record::get_object(j, kind, "checks");
  p.checks.warned = record::get_int(checks, kind, "warned").value_or(0);
  p.checks.blocked = record::get_int(checks, kind, "blocked").value_or(0);
  p.checks.true_positive = record::get_int(checks, kind, "true_positive").value_or(0);
  p.checks.false_positive = record::get_int(checks, kind, "false_positive").value_or(0);
  p.decay = record::get_number(j, kind, "decay").value_or(0.0);
  if (p.decay < 0.0 || p.decay > 1.0) throw Error(Exit::data_error, "pattern record: \"decay\" is not between 0 and 1");
  std::vector<std::string_view> known(std::begin(kObservationFields), std::end(kObservationFields));
  known.insert(known.end(), {"observations", "confidence", "level", "first_seen", "last_seen", "status", "version",
                             "checks", "decay"});
  p.base.unknown = record::unknown_fields(j, known);
  return p;
}

}  // namespace pat
