#pragma once
// The template of one line of an error message: its variable parts (numbers, hashes and SHAs,
// UUIDs, paths, URLs, quoted names, hosts, times, sizes) replaced by <*>, so that the same
// mistake made with other values gives the same template and a different mistake a different
// one. No per-source tuning: one pass over the bytes, no regular expressions, about a
// microsecond a line.
#include <string>
#include <string_view>

namespace pat {

// `out` is overwritten; reusing it across calls avoids allocations on the hot path.
void line_template(std::string_view line, std::string& out);
std::string line_template(std::string_view line);

// A short stable id of a template: 16 hex digits of its content hash.
std::string template_id(std::string_view template_text);

}  // namespace pat
