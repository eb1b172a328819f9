#pragma once
// Error templates: an error message with its variable parts (numbers, hashes and SHAs, UUIDs,
// paths, URLs, quoted names, hosts, times, sizes) replaced by <*>, so that the same mistake made
// with other values gives the same template and a different mistake a different one. No
// per-source tuning: one pass over the bytes, no regular expressions, about a microsecond a line.
#include <string>
#include <string_view>

namespace pat {

inline constexpr std::string_view kWildcard = "<*>";

// The template of one line of text (a line of a log, or an error message that fits on one line).
// `out` is overwritten; reusing it across calls avoids allocations on the hot path.
void line_template(std::string_view line, std::string& out);
std::string line_template(std::string_view line);

// The lines of a long, multi-line failure output (Bash) that carry the error: lines that name an
// error, a failure, "not found", "denied", "cannot", a non-zero exit..., at most `max_lines` of
// them, in order, joined by "\n". Lines naming an error or a failure are preferred to lines
// naming a symptom, earlier lines to later ones; a line that only reports an exit status is used
// when no other line qualifies. Text of one line, or with no such line, gives its last non-blank
// lines (up to max_lines). Lines are trimmed and cut to 2048 bytes (never inside a character).
std::string error_lines(std::string_view text, std::size_t max_lines = 3);

// The template of a whole failure text: error_lines, each line templated, joined by " | ", a
// template repeated by several lines given once. A markup element wrapping the whole text
// (<tool_use_error>…</tool_use_error>) is removed first.
std::string failure_template(std::string_view error_text);

// A short stable id of a template: 16 hex digits of its content hash.
std::string template_id(std::string_view template_text);

// How alike two templates are, 0..1: one minus the token edit distance (tokens split on white
// space) over the longer token count, where <*> matches any one token and a token holding <*>
// matches the tokens it fits ('<*>' fits 'src'). Only the first 64 tokens of each count.
double template_similarity(std::string_view a, std::string_view b);

}  // namespace pat
