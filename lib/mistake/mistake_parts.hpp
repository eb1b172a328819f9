#pragma once
// A mistake's JSON read into its parts, never throwing: what the check, merge and description
// code shares. The language itself:
//
// A mistake is JSON, one of:
//   {"param": P, "check": {"type": "missing"}}                       P absent or empty
//   {"param": P, "check": {"type": "shape", "shape": S, "length": N}} or {"min_length", "max_length"}
//       S is a character class of the whole value (see value_shape); lengths are in bytes, and
//       a check with no length field matches any length
//   {"param": P, "check": {"type": "value", "values": [V...]}}       the value is one of these
//   {"param": P, "check": {"type": "path", "prefix": X}}             a path value starting with X
//   {"param": "command", "check": {"type": "program", "program": N}} a simple command runs N
//   {"param": "command", "check": {"type": "subcommand", "program": N, "subcommand": S}}
//   {"param": "command", "check": {"type": "flag", "program": N, "flag": F}}
//   {"requires": {"tool": T, "same": P}}   T must have run earlier in the session (with the same
//                                         value of P when "same" is given); T may be a list of
//                                         tools, any of which will do. With "unless": "new_file"
//                                         the requirement holds only for a P that names an
//                                         existing file (writing a new file needs no Read).
// plus "separation": {"failing", "failing_matched", "successful", "successful_matched"}, which
// says how well the check separated the calls it was learned from.
//
// Values are compared as text: strings as they are, numbers and booleans as JSON writes them;
// objects, arrays and null never match a shape, value or path check. Command checks split the
// param (normally "command") with split_command_line and match when any simple command has that
// program base name (and subcommand, or flag). A malformed or unknown check never matches.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/json_parse.hpp"

namespace pat::parts {

// A value check listing more values than this is no longer a pattern.
inline constexpr std::size_t kMaxValues = 20;

const json* member(const json& j, std::string_view key);
std::optional<std::string> string_member(const json& j, std::string_view key);
// A count or length: a non-negative integer.
std::optional<std::uint64_t> count_member(const json& j, std::string_view key);
// A parameter value as text: strings as they are, numbers and booleans as written in JSON.
// Objects, arrays and null have no text here (checks skip them).
std::optional<std::string> scalar_text(const json* v);
// Absent, null or the empty string.
bool is_missing(const json* v);
// string_member or "".
std::string check_string(const json& check, std::string_view key);

// program, subcommand, flag: the checks of a command line's parts.
bool is_command_check(std::string_view type);

// {"param": P, "check": {"type": T, ...}}
struct ParamCheck {
  std::string param;
  std::string type;
  const json* check = nullptr;
};
std::optional<ParamCheck> param_check(const json& mistake);

// {"requires": {"tool": T or [T...], "same": P, "unless": "new_file"}}: any of the tools will do.
struct Requirement {
  std::vector<std::string> tools;  // sorted
  std::optional<std::string> same;
  bool unless_new_file = false;    // "unless": "new_file": only an existing file needs it
  std::string tool_names() const;  // `Read` or `Write`
};
std::optional<Requirement> requirement(const json& mistake);

// The distinct texts of a value check's values, sorted.
std::vector<std::string> value_texts(const json& check);

// separation[key] of a mistake, 0 when absent or malformed.
std::int64_t separation_count(const json& mistake, std::string_view key);

}  // namespace pat::parts
