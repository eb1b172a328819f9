#pragma once
// Checks that recognise a mistake in a tool call before it runs (the "mistake" of an
// observation or pattern, man 5 pattools-records), learned by contrasting the failing calls of a
// tool with its successful ones, evaluated by patcheck, compared and generalised by patlearn.
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
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/json_parse.hpp"

namespace pat {

// Character classes, each of the whole, non-empty value (bytes, ASCII classes):
//   digits  [0-9]+                      hex     [0-9a-fA-F]+
//   alpha   [A-Za-z]+                   alnum   [A-Za-z0-9]+
//   word    [A-Za-z0-9_.:-]+            uuid    8-4-4-4-12 hex digits with dashes
//   url     scheme://rest, no whitespace
//   path    no control characters or "://", and starting with / ~ ./ ../ or a drive (C:\ C:/),
//           or holding a / or \ and no space
//   text    anything, the empty value too
// The classes nest: digits in hex, hex and alpha in alnum, alnum and uuid in word; word, url
// and path in text. A shape check matches a value that belongs to its class (a "hex" check
// matches "1234567" and "deadbee").
//
// The most specific class of a value: uuid, digits, hex (only with both a digit and a letter,
// so "cafe" is alpha), alpha, alnum, word, url, path, text — the first that fits.
std::string_view value_shape(std::string_view value);

// Whether the whole value belongs to the class named `shape` (false for an unknown class).
bool shape_fits(std::string_view value, std::string_view shape);

// True when the call's input (tool_input) shows the mistake. A "requires" mistake never matches
// here: see requirement_missing.
bool check_matches(const json& mistake, const json& input);

// check_matches for many mistakes on one call: the call's command line is split once, not once
// per mistake (patcheck evaluates every pattern of a tool on the same call).
class CallChecker {
public:
  explicit CallChecker(const json& input);
  ~CallChecker();
  CallChecker(const CallChecker&) = delete;
  CallChecker& operator=(const CallChecker&) = delete;
  bool matches(const json& mistake) const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// For a "requires" mistake: `seen(tool, param, value)` answers whether the session already ran
// `tool` (with input[param] == value when param is non-empty), and `exists(path)`, when given,
// whether a file exists (for "unless": "new_file"; without it every file is taken to exist).
// True when the requirement is not met, so the call would repeat the mistake.
bool requirement_missing(const json& mistake, const json& input,
                         const std::function<bool(std::string_view tool, std::string_view param,
                                                  std::string_view value)>& seen,
                         const std::function<bool(std::string_view path)>& exists = {});

// The best check for the failing calls of one tool, contrasted with its successful calls.
// `error` is the failure text of the first failing call (it may name the culprit: "command not
// found: just", "unknown option --foo"). The check matches every failing call and none of the
// successful ones; nullopt when no check separates them. Preference, most useful first: a
// program or subcommand that fails, a flag, a missing parameter, a value of the wrong shape or
// length, a path prefix, a specific value, and for a command line the one command itself.
// Without successful calls there is nothing to contrast with: only what the error text names
// (a program not found, a subcommand or flag it quotes, a parameter or value it mentions) and
// the single failing command are learned. Null pointers are skipped.
std::optional<json> learn_check(std::string_view tool, const std::vector<const json*>& failing,
                                const std::vector<const json*>& successful, std::string_view error);

// How alike two mistakes are, 0..1. Mistakes that generalise_mistake can merge score 0.8 or
// more; distinct ones that it cannot merge score 0.5 or less, so they stay separate patterns:
//   requires / requires     same tool and same "same" 1.0, same tool 0.8, other tool 0.2
//   requires / param check  0.0; malformed 0.0
//   other param             0.3 for the same check type, else 0.2
//   same param, other type  0.8 when a value set fits the other's shape, else 0.5
//   missing                 1.0
//   value                   0.8 + 0.2 x Jaccard of the value sets
//   shape                   identical 1.0, same class 0.9, classes joining below text 0.8, else 0.5
//   path                    identical 1.0, sharing a directory other than / 0.8, else 0.5
//   program                 same base name 1.0 (whatever the rest of the command), else 0.5
//   subcommand, flag        identical 1.0, else 0.5 (git pushh and git comit stay apart)
double mistake_similarity(const json& a, const json& b);

// The mistake that covers both (`a` with a wider check): value sets whose values all share an
// identifier class (digits, hex, uuid: two short SHAs) become that shape with a length range,
// other value sets their sorted union (at most 20); two shapes the narrowest class holding both,
// with a length range; a value set and a shape it fits, that shape widened; two path prefixes
// their common directory. Anything else keeps a's check. Separation counts add up.
json generalise_mistake(const json& a, const json& b);

// A short human description: "`sha` is 7 hex characters", "the program `just` is run",
// "`git` subcommand `pushh`", "the flag `--foo` of `npm`", "`file_path` is missing",
// "`file_path` starts with `/etc/`", "`namespace` is `prod`", and for a requirement "no earlier
// `Read` of the same `file_path` in the session".
std::string describe_mistake(const json& mistake);

// The same, naming the tool the call was for: "`Edit` before `Read` of the same `file_path`".
std::string describe_mistake(const json& mistake, std::string_view tool);

}  // namespace pat
