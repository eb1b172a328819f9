#include "ingest/generic_record.hpp"

#include <cctype>
#include <cmath>

#include "ingest/payload_fields.hpp"

namespace pat {
namespace {

Outcome outcome_word(const json& v) {
  if (v.is_boolean()) return v.get<bool>() ? Outcome::success : Outcome::failure;
  if (!v.is_string()) return Outcome::unknown;
  std::string s = v.get<std::string>();
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* w : {"success", "succeeded", "ok", "passed", "pass", "true", "done", "completed"})
    if (s == w) return Outcome::success;
  for (const char* w : {"failure", "failed", "fail", "error", "errored", "false", "timeout", "crashed"})
    if (s == w) return Outcome::failure;
  return Outcome::unknown;
}

}  // namespace

using namespace payload;

Normalized normalize_generic_record(json& r, const std::string& received_at) {
  Normalized n;
  if (!r.is_object()) {
    n.error = "not an execution record: not a JSON object";
    return n;
  }
  const FieldIndex f(r);
  const auto [tool_key, tool] = f.first_of({"tool_name", "tool", "command"});
  if (!tool || !tool->is_string() ||
      tool->get_ref<const std::string&>().find_first_not_of(" \t\r\n") == std::string::npos) {
    n.error = "not an execution record: no \"command\", \"tool\" or \"tool_name\" string";
    return n;
  }
  Event e;
  e.source = "generic";
  e.event = "exec";
  if (const json* ev = f.get("event"); ev && ev->is_string()) e.event = ev->get<std::string>();
  const auto [input_key, input] = f.first_of({"tool_input", "input", "inputs", "params"});
  e.tool = tool->get<std::string>();
  const char* tool_key_used = tool_key;
  // A command line names a program: the tool is the program, the whole line is input.
  if (std::string_view(tool_key) == "command") {
    const std::string& cmd = tool->get_ref<const std::string&>();
    const auto first_space = cmd.find_first_of(" \t\n");
    if (first_space != std::string::npos) {
      const auto start = cmd.find_first_not_of(" \t\n");
      const auto end = cmd.find_first_of(" \t\n", start);
      e.tool = cmd.substr(start, end - start);
      const bool input_is_object = !input || input->is_object();
      if (input_is_object && !(input && input->contains("command")))
        e.input = json{{"command", cmd}};
      else
        tool_key_used = nullptr;  // the whole line stays in extra as "command"
    }
  }
  // Of alternative names for one field, the first present is used; the others go to extra.
  auto string_field = [&f](std::initializer_list<const char*> keys, std::string& out) -> const char* {
    const auto [k, v] = f.first_of(keys);
    if (!v || !v->is_string()) return nullptr;
    out = v->get<std::string>();
    return k;
  };
  const char* session_key = string_field({"session_id", "session"}, e.session);
  const char* call_key = string_field({"tool_use_id", "call_id", "id"}, e.tool_use_id);
  const char* cwd_key = string_field({"cwd"}, e.cwd);
  const char* agent_key = string_field({"agent"}, e.agent);
  const char* model_key = string_field({"model"}, e.model);
  const char* event_key = nullptr;
  if (const json* ev = f.get("event"); ev && ev->is_string()) event_key = "event";
  const auto [outcome_key, outcome] = f.first_of({"outcome", "success", "status"});
  if (outcome) e.outcome = outcome_word(*outcome);
  const auto [error_key, error] = f.first_of({"error", "message", "stderr"});
  if (error) {
    set_failure(e, string_or_empty(error));
    if (e.outcome == Outcome::unknown && std::string_view(error_key) == "error") e.outcome = Outcome::failure;
  }
  const char* exit_key = nullptr;
  if (const auto [k, v] = f.first_of({"exit_code", "exit_status", "returncode", "status_code"}); v) {
    if (auto code = integer_of(*v)) {
      exit_key = k;
      e.exit_code = code;
      if (e.outcome == Outcome::unknown) e.outcome = *code == 0 ? Outcome::success : Outcome::failure;
    }
  }
  const char* duration_key = nullptr;
  if (const json* d = f.get("duration_ms"); d && d->is_number()) {
    e.duration_ms = integer_of(*d);
    duration_key = "duration_ms";
  } else if (const json* s = f.get("time_taken_seconds"); s && s->is_number()) {
    e.duration_ms = static_cast<std::int64_t>(std::llround(s->get<double>() * 1000.0));
    duration_key = "time_taken_seconds";
  }
  set_time(e, f, {"timestamp", "ts", "time"}, received_at);
  if (input) {
    json moved = std::move(*input);
    if (e.input.is_object() && moved.is_object()) {
      for (auto it = moved.begin(); it != moved.end(); ++it)
        if (!e.input.contains(it.key())) e.input[it.key()] = std::move(it.value());
    } else if (e.input.is_null()) {
      e.input = std::move(moved);
    } else {
      e.extra[input_key] = std::move(moved);
    }
  }
  keep_rest(r,
            {tool_key_used, input_key, session_key, call_key, cwd_key, agent_key, model_key, outcome_key, error_key,
             exit_key, duration_key, e.ts_key, event_key},
            e);
  n.event = std::move(e);
  return n;
}

}  // namespace pat
