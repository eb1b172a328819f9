#include "ingest/record_kind.hpp"

#include "ingest/payload_fields.hpp"

namespace pat {

using payload::find;
using payload::first_of;

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

}  // namespace pat
