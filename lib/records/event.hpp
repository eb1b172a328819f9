#pragma once
// The event record (ARCHITECTURE.md, Records, man 5 pattools-records): one tool call, prompt or session event.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "records/enums.hpp"
#include "util/json_parse.hpp"

namespace pat {

struct TokenUsage {
  std::int64_t input = 0;
  std::int64_t output = 0;
  std::int64_t cache_read = 0;
  std::int64_t cache_write = 0;
};

struct Event {
  std::string id;
  std::string ts;                // RFC 3339 UTC, milliseconds
  bool ts_from_input = true;     // false: the time it was received (not part of the content id)
  const char* ts_key = nullptr;  // the input field ts was read from, while normalising
  std::string source;            // claude-hook | claude-transcript | generic
  std::string session;
  std::string event;  // PreToolUse, PostToolUse, ..., exec, log
  std::string tool;
  std::string tool_use_id;
  json input;  // tool_input (redacted); null when the event has none
  Outcome outcome = Outcome::unknown;
  std::string error;
  std::optional<std::int64_t> exit_code;
  std::optional<std::int64_t> duration_ms;
  std::string cwd;
  std::string agent;
  std::string model;
  std::optional<TokenUsage> tokens;
  json extra = json::object();  // every field the source sent that is not modelled above
};

// The string value of input[key], or null when the input has none.
const std::string* input_string(const Event& e, std::string_view key);

// The record as written: {"kind":"event","v":1,...}; empty optional fields are left out.
json to_json(const Event& e);

// The same record as compact JSON text, fields in the order of to_json, written directly (the hot
// path of bulk ingest). `content` receives the text that identifies the event: everything but
// the id, and without ts when `ts_is_content` is false. `details` receives the fields the store
// keeps as JSON because they have no column of their own.
struct SerializedEvent {
  std::string record;   // {"kind":"event","v":1,"id":"…","ts":…}
  std::string content;  // what the id hashes
  std::string details;  // {"input":…,"error":…,"cwd":…,"agent":…,"tokens":…,"extra":…}, or "" if none
};
void serialize_event(const Event& e, bool ts_is_content, SerializedEvent& out);
// Inserts the id into a serialised record whose id was empty.
void set_serialized_id(SerializedEvent& s, const std::string& id);

// Appends `s` as a JSON string literal (quotes and escapes; `s` must be valid UTF-8).
void append_json_string(std::string& out, std::string_view s);

// Reads a record written by to_json (or by a newer version: unknown fields land in extra).
// Throws pat::Error(data_error) when a required field is missing or has the wrong type.
Event event_from_json(const json& j);

}  // namespace pat
