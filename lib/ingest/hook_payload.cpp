#include "ingest/hook_payload.hpp"

#include "ingest/payload_fields.hpp"

namespace pat {

using namespace payload;

Normalized normalize_hook_payload(json& p, const std::string& received_at) {
  Normalized n;
  if (!p.is_object()) {
    n.error = "not a hook payload: not a JSON object";
    return n;
  }
  const json* name = find(p, "hook_event_name");
  if (!name || !name->is_string()) {
    n.error = "not a hook payload: no \"hook_event_name\"";
    return n;
  }
  Event e;
  e.source = "claude-hook";
  e.event = name->get<std::string>();
  e.session = string_or_empty(find(p, "session_id"));
  e.tool = string_or_empty(find(p, "tool_name"));
  e.tool_use_id = string_or_empty(find(p, "tool_use_id"));
  e.cwd = string_or_empty(find(p, "cwd"));
  if (auto it = p.find("tool_input"); it != p.end() && !it->is_null()) e.input = std::move(*it);
  if (const json* d = find(p, "duration_ms"); d && d->is_number()) e.duration_ms = integer_of(*d);
  if (const json* m = find(p, "model")) e.model = m->is_object() ? string_or_empty(find(*m, "id")) : string_or_empty(m);
  e.agent = string_or_empty(find(p, "agent_type"));
  set_time(e, p, {"timestamp", "ts", "logged_at"}, received_at);
  if (e.event == "PostToolUse") {
    e.outcome = Outcome::success;
  } else if (e.event == "PostToolUseFailure") {
    e.outcome = Outcome::failure;
    set_failure(e, string_or_empty(find(p, "error")));
  }
  // Every field not modelled goes to extra; of the time fields only the one that became ts is
  // modelled, and "error" only where it became the event's error.
  const char* model_key = e.model.empty() ? nullptr : "model";
  const char* duration_key = e.duration_ms ? "duration_ms" : nullptr;
  keep_rest(p,
            {"hook_event_name", "session_id", "tool_name", "tool_use_id", "cwd", "tool_input", duration_key, model_key,
             "agent_type", e.outcome == Outcome::failure ? "error" : nullptr, e.ts_key},
            e);
  n.event = std::move(e);
  return n;
}

}  // namespace pat
