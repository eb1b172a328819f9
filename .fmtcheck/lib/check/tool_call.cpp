#include "check/tool_call.hpp"

#include "ingest/hook_payload.hpp"

namespace pat {
namespace {

std::string string_field(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

HookCall tool_call_from_hook(json payload) {
  HookCall h;
  // The time is not used: a call is judged as it is about to run.
  Normalized n = normalize_hook_payload(payload, "");
  if (!n.event) {
    h.problem = n.error;
    return h;
  }
  Event& e = *n.event;
  h.call.tool = std::move(e.tool);
  if (e.input.is_object()) h.call.input = std::move(e.input);
  h.call.session = std::move(e.session);
  h.call.tool_use_id = std::move(e.tool_use_id);
  h.call.cwd = std::move(e.cwd);
  if (h.call.tool.empty()) h.problem = "hook payload without tool_name";
  return h;
}

HookCall tool_call_from_record(const json& j) {
  HookCall h;
  if (!j.is_object() || !j.contains("tool") || !j["tool"].is_string()) {
    h.problem = "not a call: {\"tool\": \"...\", \"input\": {...}} expected";
    return h;
  }
  h.call.tool = j["tool"].get<std::string>();
  if (const auto it = j.find("input"); it != j.end() && it->is_object()) h.call.input = *it;
  h.call.session = string_field(j, "session");
  h.call.tool_use_id = string_field(j, "tool_use_id");
  h.call.cwd = string_field(j, "cwd");
  return h;
}

}  // namespace pat
