#include "records/event.hpp"

#include <array>
#include <string_view>

#include "records/record_fields.hpp"
#include "util/error.hpp"

namespace pat {
namespace {

void put(json& j, const char* key, const std::string& v) {
  if (!v.empty()) j[key] = v;
}

constexpr std::array<std::string_view, 19> kModelled = {
    "kind",    "v",     "id",        "ts",          "source", "session", "event", "tool",   "tool_use_id", "input",
    "outcome", "error", "exit_code", "duration_ms", "cwd",    "agent",   "model", "tokens", "extra"};

}  // namespace

const std::string* input_string(const Event& e, std::string_view key) {
  if (!e.input.is_object()) return nullptr;
  const auto it = e.input.find(key);
  return it != e.input.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}

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
  j["outcome"] = outcome_name(e.outcome);
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

void append_json_string(std::string& out, std::string_view s) {
  static const char* hex = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // start of the current run of bytes that need no escape
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s, run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0xF];
    }
  }
  out.append(s, run, std::string_view::npos);
  out += '"';
}

namespace {

void field(std::string& out, const char* key, std::string_view v) {
  if (v.empty()) return;
  out += ",\"";
  out += key;
  out += "\":";
  append_json_string(out, v);
}

void field(std::string& out, const char* key, const std::optional<std::int64_t>& v) {
  if (!v) return;
  out += ",\"";
  out += key;
  out += "\":";
  out += std::to_string(*v);
}

void json_field(std::string& out, const char* key, const json& v) {
  out += ",\"";
  out += key;
  out += "\":";
  out += dump_json(v);
}

constexpr std::string_view kHead = R"({"kind":"event","v":1,"id":")";

}  // namespace

void serialize_event(const Event& e, bool ts_is_content, SerializedEvent& out) {
  // The content is the record from "ts" (or "source") on; the record is head + id + content.
  // The details are the fields that have no column of their own in the store.
  std::string& c = out.content;
  std::string& d = out.details;
  c.clear();
  d.clear();
  std::string ts;
  append_json_string(ts, e.ts);
  c += "\"source\":";
  append_json_string(c, e.source);
  field(c, "session", e.session);
  c += ",\"event\":";
  append_json_string(c, e.event);
  field(c, "tool", e.tool);
  field(c, "tool_use_id", e.tool_use_id);
  // Each detail is written once, then copied into the content at its place.
  auto detail = [&](auto&& write) {
    const std::size_t from = d.size();
    write(d);
    c.append(d, from, std::string::npos);
  };
  if (!e.input.is_null()) detail([&](std::string& o) { json_field(o, "input", e.input); });
  c += ",\"outcome\":";
  append_json_string(c, outcome_name(e.outcome));
  detail([&](std::string& o) { field(o, "error", e.error); });
  field(c, "exit_code", e.exit_code);
  field(c, "duration_ms", e.duration_ms);
  detail([&](std::string& o) {
    field(o, "cwd", e.cwd);
    field(o, "agent", e.agent);
  });
  field(c, "model", e.model);
  detail([&](std::string& o) {
    if (e.tokens) {
      o += R"(,"tokens":{"input":)" + std::to_string(e.tokens->input) + R"(,"output":)" +
           std::to_string(e.tokens->output) + R"(,"cache_read":)" + std::to_string(e.tokens->cache_read) +
           R"(,"cache_write":)" + std::to_string(e.tokens->cache_write) + "}";
    }
    if (!e.extra.empty()) json_field(o, "extra", e.extra);
  });
  c += '}';
  if (!d.empty()) {
    d[0] = '{';  // every field was written with a leading comma
    d += '}';
  }
  std::string& r = out.record;
  r.clear();
  r.reserve(kHead.size() + 40 + ts.size() + c.size());
  r += kHead;
  r += e.id;
  r += "\",\"ts\":";
  r += ts;
  r += ',';
  r += c;
  if (ts_is_content) c.insert(0, "\"ts\":" + ts + ",");
}

void set_serialized_id(SerializedEvent& s, const std::string& id) { s.record.insert(kHead.size(), id); }

Event event_from_json(const json& j) {
  constexpr std::string_view kind = "event";
  record::expect_kind(j, kind);
  Event e;
  e.id = record::get_string(j, kind, "id");
  e.ts = record::get_string(j, kind, "ts", true);
  e.source = record::get_string(j, kind, "source", true);
  e.session = record::get_string(j, kind, "session");
  e.event = record::get_string(j, kind, "event", true);
  e.tool = record::get_string(j, kind, "tool");
  e.tool_use_id = record::get_string(j, kind, "tool_use_id");
  if (const auto it = j.find("input"); it != j.end()) e.input = *it;
  const std::string outcome = record::get_string(j, kind, "outcome");
  const auto o = outcome.empty() ? Outcome::unknown : parse_outcome(outcome);
  if (!o) throw Error(Exit::data_error, "event record: \"outcome\" is not success, failure or unknown");
  e.outcome = *o;
  e.error = record::get_string(j, kind, "error");
  e.exit_code = record::get_int(j, kind, "exit_code");
  e.duration_ms = record::get_int(j, kind, "duration_ms");
  e.cwd = record::get_string(j, kind, "cwd");
  e.agent = record::get_string(j, kind, "agent");
  e.model = record::get_string(j, kind, "model");
  if (const auto it = j.find("tokens"); it != j.end() && it->is_object()) {
    TokenUsage t;
    t.input = record::get_int(*it, kind, "input").value_or(0);
    t.output = record::get_int(*it, kind, "output").value_or(0);
    t.cache_read = record::get_int(*it, kind, "cache_read").value_or(0);
    t.cache_write = record::get_int(*it, kind, "cache_write").value_or(0);
    e.tokens = t;
  }
  if (const auto it = j.find("extra"); it != j.end() && it->is_object()) e.extra = *it;
  // Fields from a newer writer are kept, not dropped.
  const json unknown = record::unknown_fields(j, kModelled);
  for (auto it = unknown.begin(); it != unknown.end(); ++it) e.extra[it.key()] = *it;
  return e;
}

}  // namespace pat
