#pragma once
// Input may hold any bytes. Text is repaired (invalid sequences become U+FFFD) before it is
// parsed or printed; callers keep the raw bytes when a repair happened.
#include <string>
#include <string_view>

namespace pat {

bool is_valid_utf8(std::string_view s);

// Copy of `s` with every invalid UTF-8 sequence replaced by U+FFFD.
std::string repair_utf8(std::string_view s);

// Truncate to at most `max_bytes` without cutting a multi-byte character.
std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes);

// utf8_prefix, with "…" appended when something was cut.
std::string utf8_truncated(std::string_view s, std::size_t max_bytes);

}  // namespace pat
