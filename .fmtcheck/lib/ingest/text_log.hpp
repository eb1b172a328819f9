#pragma once
// Lines of timestamped text logs ("[2026-02-25T16:09:54.407701] message") as log events.
#include <optional>
#include <string>
#include <string_view>

#include "records/event.hpp"

namespace pat {

// A text log line "[2026-02-25T16:09:54.407701] message", or any text with --format text.
Event normalize_log_entry(std::string_view text, const std::string& received_at);
// The time at the start of a log line, if it has one: "[TIME] ..." or "TIME ...".
std::optional<std::string> log_line_time(std::string_view line);

}  // namespace pat
