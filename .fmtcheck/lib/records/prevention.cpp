#include "records/prevention.hpp"

#include <fmt/format.h>

#include "records/record_fields.hpp"
#include "util/error.hpp"

namespace pat {

json prevention_to_json(const std::vector<Prevention>& steps) {
  json out = json::array();
  for (const auto& p : steps) out.push_back({{"action", p.action}, {"reason", p.reason}, {"recoveries", p.recoveries}});
  return out;
}

std::vector<Prevention> prevention_from_json(const json& j, std::string_view kind) {
  std::vector<Prevention> out;
  const auto it = j.find("prevention");
  if (it == j.end() || it->is_null()) return out;
  if (!it->is_array()) throw Error(Exit::data_error, fmt::format("{} record: \"prevention\" is not an array", kind));
  for (const auto& p : *it) {
    if (!p.is_object())
      throw Error(Exit::data_error, fmt::format("{} record: a \"prevention\" entry is not an object", kind));
    const auto recoveries = record::get_int(p, kind, "recoveries").value_or(0);
    if (recoveries < 0) throw Error(Exit::data_error, fmt::format("{} record: \"recoveries\" is negative", kind));
    out.push_back({record::get_string(p, kind, "action", true), record::get_string(p, kind, "reason"), recoveries});
  }
  return out;
}

}  // namespace pat
