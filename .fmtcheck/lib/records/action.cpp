#include "records/action.hpp"

#include <fmt/format.h>

#include "records/record_fields.hpp"
#include "util/error.hpp"

namespace pat {

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
