#pragma once
// Claude Code hook payloads (one JSON object per hook invocation; ARCHITECTURE.md lists the
// fields) as events.
#include <string>

#include "ingest/record_kind.hpp"

namespace pat {

// `received_at` is used as ts when the payload carries no time of its own. The payload's values
// are moved into the event: after a successful call it is left hollow. A rejected payload is left
// untouched.
Normalized normalize_hook_payload(json& payload, const std::string& received_at);

}  // namespace pat
