#pragma once
// A tool call about to run, as patcheck judges it: from a hook payload (read by the same code
// that patlog stores it with), a JSONL call record, or TOOL key=value arguments.
#include <string>

#include "util/json_parse.hpp"

namespace pat {

struct ToolCall {
  std::string tool;
  json input = json::object();
  std::string session;
  std::string tool_use_id;
  std::string cwd;  // relative paths in the input are taken from here ("" for the current directory)
};

// A PreToolUse hook payload. `problem` says why it is not a call (not a payload, no tool_name).
struct HookCall {
  ToolCall call;
  std::string problem;
};
HookCall tool_call_from_hook(json payload);

// {"tool": T, "input": {...}, "session": S, "tool_use_id": U, "cwd": D}: `problem` when there is
// no "tool" string; fields of another type are taken as absent.
HookCall tool_call_from_record(const json& record);

}  // namespace pat
