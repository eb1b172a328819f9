#include "ingest/transcript.hpp"

#include "ingest/payload_fields.hpp"
#include "util/time_format.hpp"

namespace pat {
namespace {

using namespace payload;

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

using namespace payload;

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
  const bool used = kind == "assistant" ? feed_assistant(r, *message, *content, session, ts, offset, out)
                    : kind == "user"    ? feed_user(r, *content, session, ts, out)
                                        : false;
  if (!used) ++skipped_;
  return out;
}

bool TranscriptPairer::feed_assistant(const json& r, const json& message, const json& content,
                                      const std::string& session, const std::string& ts, std::uint64_t offset,
                                      std::vector<Event>& out) {
  bool used = false;
  const std::string message_id = string_or_empty(find(message, "id"));
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
  for (const auto& block : content) {
    if (!block.is_object() || string_or_empty(find(block, "type")) != "tool_use") continue;
    Event call;
    call.source = "claude-transcript";
    call.event = "PreToolUse";
    call.session = session;
    call.tool = string_or_empty(find(block, "name"));
    call.tool_use_id = string_or_empty(find(block, "id"));
    if (const json* in = find(block, "input")) call.input = *in;
    call.cwd = string_or_empty(find(r, "cwd"));
    call.model = string_or_empty(find(message, "model"));
    call.tokens = usage_of(find(message, "usage"));
    call.ts = ts;
    if (const json* side = find(r, "isSidechain"); side && side->is_boolean() && side->get<bool>())
      call.agent = "subagent";
    if (call.tool_use_id.empty()) continue;
    const std::string id = call.tool_use_id;
    pending_[id] = Pending{std::move(call), offset, message_id};
    used = true;
  }
  return used;
}

bool TranscriptPairer::feed_user(const json& r, const json& content, const std::string& session, const std::string& ts,
                                 std::vector<Event>& out) {
  bool used = false;
  for (const auto& block : content) {
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
      if (k != "type" && k != "message" && k != "timestamp" && k != "sessionId" && k != "cwd" && k != "toolUseResult")
        rest[k] = *it;
    }
    out.push_back(std::move(e));
    used = true;
  }
  return used;
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
