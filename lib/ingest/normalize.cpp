#include "ingest/normalize.hpp"

#include <cmath>

#include "ingest/failure_text.hpp"
#include "util/time_format.hpp"

namespace pat {
namespace {

const json* find(const json& j, const char* key) {
  const auto it = j.find(key);
  return (it == j.end() || it->is_null()) ? nullptr : &*it;
}

class FieldIndex;
const json* lookup(const json& j, const char* key) { return find(j, key); }
const json* lookup(const FieldIndex& f, const char* key);

std::string string_or_empty(const json* v) {
  if (!v) return {};
  if (v->is_string()) return v->get<std::string>();
  return dump_json(*v);
}

// The first of `keys` that is present: its key and value.
std::pair<const char*, const json*> first_of(const json& j, std::initializer_list<const char*> keys) {
  for (const char* k : keys)
    if (const json* v = find(j, k)) return {k, v};
  return {nullptr, nullptr};
}

// The fields of one small object, looked up many times: a flat list compared by length first
// is several times cheaper than as many std::map lookups (this runs for every generic record).
class FieldIndex {
public:
  explicit FieldIndex(json& obj) {
    for (auto it = obj.begin(); it != obj.end(); ++it)
      if (!it->is_null()) fields_.push_back({it.key(), &*it});
  }
  json* get(std::string_view key) const {
    for (const auto& f : fields_)
      if (f.key.size() == key.size() && f.key == key) return f.value;
    return nullptr;
  }
  std::pair<const char*, json*> first_of(std::initializer_list<const char*> keys) const {
    for (const char* k : keys)
      if (json* v = get(k)) return {k, v};
    return {nullptr, nullptr};
  }

private:
  struct Field {
    std::string_view key;
    json* value;
  };
  std::vector<Field> fields_;
};

std::optional<std::string> time_of(const json& v) {
  if (v.is_string()) return normalize_time(v.get_ref<const std::string&>());
  if (v.is_number()) {
    if (auto t = parse_epoch(v.get<double>())) return format_rfc3339(*t);
  }
  return std::nullopt;
}

std::optional<std::int64_t> integer_of(const json& v) {
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::isfinite(d) && std::fabs(d) < 9e15) return static_cast<std::int64_t>(std::llround(d));
  }
  return std::nullopt;
}

const json* lookup(const FieldIndex& f, const char* key) { return f.get(key); }

// Moves every field of `record` not named in `used` into e.extra.
void keep_rest(json& record, std::initializer_list<const char*> used, Event& e) {
  for (auto it = record.begin(); it != record.end(); ++it) {
    bool is_used = false;
    for (const char* m : used) is_used = is_used || (m && it.key() == m);
    if (!is_used) e.extra[it.key()] = std::move(it.value());
  }
}

template <typename Lookup>
void set_time(Event& e, const Lookup& record, std::initializer_list<const char*> keys,
              const std::string& received_at) {
  for (const char* k : keys) {
    if (const json* v = lookup(record, k)) {
      if (auto t = time_of(*v)) {
        e.ts = *t;
        e.ts_from_input = true;
        e.ts_key = k;
        return;
      }
    }
  }
  e.ts = received_at;
  e.ts_from_input = false;
}

void set_failure(Event& e, std::string_view text) {
  FailureText f = unwrap_failure_text(text);
  e.error = std::move(f.error);
  if (f.exit_code) e.exit_code = f.exit_code;
}

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

std::string text_of_tool_result(const json& content) {
  if (content.is_string()) return content.get<std::string>();
  std::string out;
  if (content.is_array()) {
    for (const auto& block : content) {
      if (block.is_object()) {
        if (const json* t = find(block, "text"); t && t->is_string()) {
          if (!out.empty()) out += '\n';
          out += t->get<std::string>();
        }
      }
    }
  }
  return out;
}

std::optional<TokenUsage> usage_of(const json* usage) {
  if (!usage || !usage->is_object()) return std::nullopt;
  TokenUsage t;
  auto get = [usage](const char* k) -> std::int64_t {
    const json* v = find(*usage, k);
    return v && v->is_number() ? integer_of(*v).value_or(0) : 0;
  };
  t.input = get("input_tokens");
  t.output = get("output_tokens");
  t.cache_read = get("cache_read_input_tokens");
  t.cache_write = get("cache_creation_input_tokens");
  return t;
}

}  // namespace

RecordKind parse_record_kind(std::string_view name) {
  if (name == "hook") return RecordKind::hook;
  if (name == "transcript") return RecordKind::transcript;
  if (name == "generic") return RecordKind::generic;
  if (name == "text") return RecordKind::text;
  return RecordKind::unknown;
}

std::string_view record_kind_name(RecordKind k) {
  switch (k) {
    case RecordKind::hook: return "hook";
    case RecordKind::transcript: return "transcript";
    case RecordKind::generic: return "generic";
    case RecordKind::text: return "text";
    case RecordKind::unknown: break;
  }
  return "unknown";
}

RecordKind classify_record(const json& r) {
  if (!r.is_object()) return RecordKind::unknown;
  if (const json* h = find(r, "hook_event_name"); h && h->is_string()) return RecordKind::hook;
  if (const json* t = find(r, "type"); t && t->is_string() &&
      (r.contains("sessionId") || r.contains("uuid") || r.contains("message") ||
       r.contains("messageId") || r.contains("parentUuid")))
    return RecordKind::transcript;
  if (first_of(r, {"command", "tool", "tool_name"}).second) return RecordKind::generic;
  return RecordKind::unknown;
}

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
  keep_rest(p, {"hook_event_name", "session_id", "tool_name", "tool_use_id", "cwd", "tool_input", duration_key,
                model_key, "agent_type", e.outcome == Outcome::failure ? "error" : nullptr, e.ts_key},
            e);
  n.event = std::move(e);
  return n;
}

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
      if (input_is_object && !(input && input->contains("command"))) e.input = json{{"command", cmd}};
      else tool_key_used = nullptr;  // the whole line stays in extra as "command"
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
  keep_rest(r, {tool_key_used, input_key, session_key, call_key, cwd_key, agent_key, model_key, outcome_key, error_key,
                exit_key, duration_key, e.ts_key, event_key},
            e);
  n.event = std::move(e);
  return n;
}

std::optional<std::string> log_line_time(std::string_view line) {
  std::string_view s = line;
  if (!s.empty() && s.front() == '[') {
    const auto close = s.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    return normalize_time(s.substr(1, close - 1));
  }
  // "2026-02-25T16:09:54.407701 message" / "2026-02-25 16:09:54,123 message"
  for (std::size_t end = std::min<std::size_t>(s.size(), 35); end >= 19; --end) {
    if (end == s.size() || s[end] == ' ' || s[end] == '\t') {
      if (auto t = normalize_time(s.substr(0, end))) return t;
    }
  }
  return std::nullopt;
}

Event normalize_log_entry(std::string_view text, const std::string& received_at) {
  Event e;
  e.source = "generic";
  e.event = "log";
  if (auto t = log_line_time(text)) {
    e.ts = *t;
    e.ts_from_input = true;
  } else {
    e.ts = received_at;
    e.ts_from_input = false;
  }
  e.extra["message"] = std::string(text);
  return e;
}

std::vector<Event> TranscriptPairer::feed(const json& r, std::uint64_t offset, std::string& error) {
  std::vector<Event> out;
  if (!r.is_object()) {
    error = "not a transcript record: not a JSON object";
    return out;
  }
  const json* type = find(r, "type");
  const json* message = find(r, "message");
  const json* content = message && message->is_object() ? find(*message, "content") : nullptr;
  if (!type || !type->is_string() || !content || !content->is_array()) {
    ++skipped_;
    return out;
  }
  const std::string& kind = type->get_ref<const std::string&>();
  const std::string session = string_or_empty(find(r, "sessionId"));
  std::string ts;
  if (const json* t = find(r, "timestamp")) ts = time_of(*t).value_or("");
  bool used = false;
  if (kind == "assistant") {
    const std::string message_id = string_or_empty(find(*message, "id"));
    // A new assistant message means the calls of earlier messages that never got a result were
    // interrupted: they are final now.
    if (!message_id.empty() && message_id != last_message_id_) {
      for (auto it = pending_.begin(); it != pending_.end();) {
        if (it->second.message_id != message_id && !it->second.message_id.empty() &&
            it->second.message_id != last_message_id_) {
          out.push_back(std::move(it->second.call));
          it = pending_.erase(it);
        } else {
          ++it;
        }
      }
      last_message_id_ = message_id;
    }
    for (const auto& block : *content) {
      if (!block.is_object() || string_or_empty(find(block, "type")) != "tool_use") continue;
      Event call;
      call.source = "claude-transcript";
      call.event = "PreToolUse";
      call.session = session;
      call.tool = string_or_empty(find(block, "name"));
      call.tool_use_id = string_or_empty(find(block, "id"));
      if (const json* in = find(block, "input")) call.input = *in;
      call.cwd = string_or_empty(find(r, "cwd"));
      call.model = string_or_empty(find(*message, "model"));
      call.tokens = usage_of(find(*message, "usage"));
      call.ts = ts;
      if (const json* side = find(r, "isSidechain"); side && side->is_boolean() && side->get<bool>())
        call.agent = "subagent";
      if (call.tool_use_id.empty()) continue;
      const std::string id = call.tool_use_id;
      pending_[id] = Pending{std::move(call), offset, message_id};
      used = true;
    }
  } else if (kind == "user") {
    for (const auto& block : *content) {
      if (!block.is_object() || string_or_empty(find(block, "type")) != "tool_result") continue;
      const std::string id = string_or_empty(find(block, "tool_use_id"));
      Event e;
      if (const auto it = pending_.find(id); it != pending_.end()) {
        e = std::move(it->second.call);
        pending_.erase(it);
      } else {
        e.source = "claude-transcript";
        e.session = session;
        e.tool_use_id = id;
        e.cwd = string_or_empty(find(r, "cwd"));
        e.extra["unpaired"] = true;  // its tool_use was not in this input
      }
      const json* is_error = find(block, "is_error");
      const bool failed = is_error && is_error->is_boolean() && is_error->get<bool>();
      e.outcome = failed ? Outcome::failure : Outcome::success;
      e.event = failed ? "PostToolUseFailure" : "PostToolUse";
      const json* result = find(block, "content");
      if (failed) {
        set_failure(e, result ? text_of_tool_result(*result) : std::string());
      } else if (result) {
        e.extra["result"] = *result;
      }
      if (!ts.empty()) {
        const auto start = parse_time(e.ts), end = parse_time(ts);
        if (start && end && *end >= *start) e.duration_ms = (*end - *start).count();
        e.ts = ts;
      }
      if (e.ts.empty()) e.ts = ts;
      e.ts_from_input = !e.ts.empty();
      // The result record's own fields (uuid, version, gitBranch, ...) stay with the event.
      json& rest = e.extra["transcript"];
      for (auto it = r.begin(); it != r.end(); ++it) {
        const std::string& k = it.key();
        if (k != "type" && k != "message" && k != "timestamp" && k != "sessionId" && k != "cwd" &&
            k != "toolUseResult")
          rest[k] = *it;
      }
      out.push_back(std::move(e));
      used = true;
    }
  }
  if (!used) ++skipped_;
  return out;
}

std::vector<Event> TranscriptPairer::drain_pending() {
  std::vector<Event> out;
  for (auto& [id, p] : pending_) out.push_back(std::move(p.call));
  pending_.clear();
  return out;
}

std::optional<std::uint64_t> TranscriptPairer::earliest_pending_offset() const {
  std::optional<std::uint64_t> best;
  for (const auto& [id, p] : pending_)
    if (!best || p.offset < *best) best = p.offset;
  return best;
}

}  // namespace pat
