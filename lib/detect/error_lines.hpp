#pragma once
// Which lines of a failure's output carry the error, and the template of a whole failure text.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace pat {

// The lines of a long, multi-line failure output (Bash) that carry the error: lines that name an
// error, a failure, "not found", "denied", "cannot", a non-zero exit..., at most `max_lines` of
// them, in order, joined by "\n". Lines naming an error or a failure are preferred to lines
// naming a symptom, earlier lines to later ones; a line that only reports an exit status is used
// when no other line qualifies. Text of one line, or with no such line, gives its last non-blank
// lines (up to max_lines). Lines are trimmed and cut to 2048 bytes (never inside a character).
std::string error_lines(std::string_view text, std::size_t max_lines = 3);

// The template of a whole failure text: error_lines, each line templated (line_template.hpp),
// joined by " | ", a template repeated by several lines given once. A markup element wrapping
// the whole text (<tool_use_error>…</tool_use_error>) is removed first. A whole token of the
// text equal to one of `call_values` (what the failing call passed: an error quoting it is about
// that value) is a value too, whatever its form: "nib overflow on <*>" for any slug.
std::string failure_template(std::string_view error_text, const std::vector<std::string>& call_values = {});

}  // namespace pat
