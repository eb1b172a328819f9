#include "event.hpp"

#include <array>
#include <string_view>

#include "error.hpp"

namespace pat {
namespace {

void put(json& j, const char* key, const std::string& v) {
  if (!v.empty()) j[key] = v;
}

std::string get_string(const json& j, const char* key, bool required = false) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) throw Error(Exit::data_error, std::string("event record has no \"") + key + "\"");
    return {};
  }
  if (!it->is_string())
    throw Error(Exit::data_error, std::string("event field \"") + key + "\" is not a string");
  return it->get<std::string>();
}

std::optional<std::int64_t> get_int(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (!it->is_number())
    throw Error(Exit::data_error, std::string("event field \"") + key + "\" is not a number");
  return it->get<std::int64_t>();
}

constexpr std::array<std::string_view, 19> kModelled = {
    "kind", "v", "id", "ts", "source", "session", "event", "tool", "tool_use_id", "input",
    "outcome", "error", "exit_code", "duration_ms", "cwd", "agent", "model", "tokens", "extra"};

}  // namespace

json to_json(const Event& e) {
  json j = json::object();
  j["kind"] = "event";
  j["v"] = 1;
  put(j, "id", e.id);
  j["ts"] = e.ts;
  j["source"] = e.source;
  put(j, "session", e.session);
  j["event"] = e.event;
  put(j, "tool", e.tool);
  put(j, "tool_use_id", e.tool_use_id);
  if (!e.input.is_null()) j["input"] = e.input;
  j["outcome"] = e.outcome;
  put(j, "error", e.error);
  if (e.exit_code) j["exit_code"] = *e.exit_code;
  if (e.duration_ms) j["duration_ms"] = *e.duration_ms;
  put(j, "cwd", e.cwd);
  put(j, "agent", e.agent);
  put(j, "model", e.model);
  if (e.tokens) {
    j["tokens"] = {{"input", e.tokens->input},
                   {"output", e.tokens->output},
                   {"cache_read", e.tokens->cache_read},
                   {"cache_write", e.tokens->cache_write}};
  }
  if (!e.extra.empty()) j["extra"] = e.extra;
  return j;
}

Event event_from_json(const json& j) {
  if (!j.is_object()) throw Error(Exit::data_error, "event record is not a JSON object");
  if (get_string(j, "kind", true) != "event")
    throw Error(Exit::data_error, "record kind is not \"event\"");
  Event e;
  e.id = get_string(j, "id");
  e.ts = get_string(j, "ts", true);
  e.source = get_string(j, "source", true);
  e.session = get_string(j, "session");
  e.event = get_string(j, "event", true);
  e.tool = get_string(j, "tool");
  e.tool_use_id = get_string(j, "tool_use_id");
  if (const auto it = j.find("input"); it != j.end()) e.input = *it;
  e.outcome = get_string(j, "outcome");
  if (e.outcome.empty()) e.outcome = "unknown";
  if (e.outcome != "success" && e.outcome != "failure" && e.outcome != "unknown")
    throw Error(Exit::data_error, "event outcome is not success, failure or unknown");
  e.error = get_string(j, "error");
  e.exit_code = get_int(j, "exit_code");
  e.duration_ms = get_int(j, "duration_ms");
  e.cwd = get_string(j, "cwd");
  e.agent = get_string(j, "agent");
  e.model = get_string(j, "model");
  if (const auto it = j.find("tokens"); it != j.end() && it->is_object()) {
    TokenUsage t;
    t.input = get_int(*it, "input").value_or(0);
    t.output = get_int(*it, "output").value_or(0);
    t.cache_read = get_int(*it, "cache_read").value_or(0);
    t.cache_write = get_int(*it, "cache_write").value_or(0);
    e.tokens = t;
  }
  if (const auto it = j.find("extra"); it != j.end() && it->is_object()) e.extra = *it;
  // Fields from a newer writer are kept, not dropped.
  for (const auto& [key, value] : j.items()) {
    bool known = false;
    for (const auto k : kModelled) known = known || k == key;
    if (!known) e.extra[key] = value;
  }
  return e;
}

}  // namespace pat
