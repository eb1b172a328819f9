#pragma once
// Generic execution records from any agent or script (man 5 pattools-records): {"command" |
// "tool" | "tool_name", "params" | "input", "outcome" | "success" | "status", "error",
// "exit_code", "timestamp", "session", "duration_ms", ...} as events.
#include <string>

#include "ingest/record_kind.hpp"

namespace pat {

// As normalize_hook_payload: values are moved into the event; a rejected record is untouched.
Normalized normalize_generic_record(json& record, const std::string& received_at);

}  // namespace pat
