#include "ingest/text_log.hpp"

#include "util/time_format.hpp"

namespace pat {

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

}  // namespace pat
