#pragma once
// Byte-level text helpers shared by every layer: ASCII character classes (bytes of non-ASCII
// characters are never letters, digits or spaces here), trimming, case folding. Each class is
// named for exactly what it holds, because the tools differ in what they call white space: JSON
// allows four bytes, a shell splits on blanks, C's isspace() knows six.
#include <string>
#include <string_view>
#include <vector>

namespace pat {

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
constexpr bool is_letter(char c) { return is_upper(c) || is_lower(c); }
constexpr bool is_alnum(char c) { return is_letter(c) || is_digit(c); }
constexpr bool is_hex_digit(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
constexpr bool is_non_ascii(char c) { return (static_cast<unsigned char>(c) & 0x80u) != 0; }
constexpr bool is_control(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }

// A byte that can be part of a word in any script: a letter, a digit, '_' or a byte of a non-ASCII
// character.
constexpr bool is_word_byte(char c) { return is_alnum(c) || c == '_' || is_non_ascii(c); }

// Space and tab.
constexpr bool is_blank(char c) { return c == ' ' || c == '\t'; }
// JSON's white space: space, tab, newline, carriage return.
constexpr bool is_json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
// C's isspace() in the "C" locale: space, \t, \n, \v, \f, \r.
inline constexpr std::string_view kAsciiSpace = " \t\n\v\f\r";
constexpr bool is_ascii_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
// A space or any control character.
constexpr bool is_space_or_control(char c) { return c == ' ' || is_control(c); }

constexpr char to_lower(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
std::string to_lower(std::string_view s);

// ASCII case-insensitive comparisons.
bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view s, std::string_view prefix);

// Whether `w` is one of `list` (as written, or ignoring ASCII case).
template <typename List>
bool in_list(std::string_view w, const List& list) {
  for (const auto& item : list)
    if (w == item) return true;
  return false;
}
template <typename List>
bool in_list_ci(std::string_view w, const List& list) {
  for (const auto& item : list)
    if (iequals(w, item)) return true;
  return false;
}

// The parts joined by `separator` (empty parts left out with `skip_empty`).
std::string join(const std::vector<std::string>& parts, std::string_view separator, bool skip_empty = false);

// `s` without the leading and trailing bytes that are in `chars`.
std::string_view trim(std::string_view s, std::string_view chars = kAsciiSpace);

// White space and control character runs to one space, none at the ends: text shown on one
// line (a report cell, a message to the agent), whatever line breaks it held.
std::string squeeze(std::string_view text);

// `text` cut to at most `max_bytes` (never inside a UTF-8 character or a code span), with "..."
// when cut.
std::string clip_text(std::string_view text, std::size_t max_bytes);

}  // namespace pat
