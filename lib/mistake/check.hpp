#pragma once
// What a learned mistake is: a check, the conjunction of at most three predicates over a tool
// call, its session and the machine it runs on, that matched the failing calls it was learned
// from and none of the tool's successful ones. Each predicate is a C++ type; JSON only where
// records are read and written (man 5 pattools-records lists the forms):
//
//   {"param": P, "is": "missing"}               P absent, null or empty ("present": given)
//   {"part": PART, "in": [V, ...]}              the value is one of these
//   {"part": PART, "shape": "hex{7}"}           the value has this form (signature.hpp)
//   {"part": PART, "length": [LO, HI]}          its length in bytes is within (HI null: no bound)
//   {"part": PART, "prefix": X} / "suffix": X   it starts / ends with X
//   {"part": PART, "path": "directory"|"missing"|"file"|"larger_than", "bytes": N}
//                                               a path: a directory, nothing, a file, a file over
//                                               N bytes (relative paths from the call's cwd)
//   {"session": "lacks", "tool": T, "program": X, "subcommand": Y, "same": P, "same_cwd": true}
//                                               no earlier successful call of T in the session
//                                               (running X Y, with the same value of P, in the
//                                               same directory: each only when given)
//
// PART is {"param": P} for a parameter's value, or for a shell command line in P the parts of
// its simple commands (the program as written, `./bin/x` or `x`; "program" filters by base name): {"param": "command",
// "shell": "program" | "subcommand" | "flag" | "flag_value" | "argument" | "env", "program": X (of this program only),
// "name": N (the flag whose value, the variable whose value)}. A shell part has one value per simple command (or per
// flag, argument): a predicate on it holds when one of them satisfies it.
//
// A mistake record is {"all": [PREDICATE, ...], "usual": "...", "separation": {...}}; records of
// the earlier form ({"param", "check": {"type", ...}}, {"requires": {...}}) are read into the
// same predicates.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "mistake/signature.hpp"
#include "util/json_parse.hpp"

namespace pat {

enum class ShellPart { none, program, subcommand, flag, flag_value, argument, env };

struct Part {
  std::string param;
  ShellPart shell = ShellPart::none;
  std::string program;  // shell parts of this program only ("" for any program)
  std::string name;     // flag_value: the flag; env: the variable
  auto operator<=>(const Part&) const = default;
};

// A parameter is missing (absent, null or empty) or present.
struct ParamIs {
  std::string param;
  bool missing = true;
  auto operator<=>(const ParamIs&) const = default;
};

// The value is one of a set (sorted, at most kMaxValues).
inline constexpr std::size_t kMaxValues = 20;
struct ValueIn {
  Part part;
  std::vector<std::string> values;
  auto operator<=>(const ValueIn&) const = default;
};

struct ShapeIs {
  Part part;
  Signature signature;
  bool operator==(const ShapeIs& o) const { return part == o.part && signature == o.signature; }
};

struct LengthIn {
  Part part;
  std::uint64_t lo = 0;
  std::optional<std::uint64_t> hi;  // none: no upper bound
  auto operator<=>(const LengthIn&) const = default;
};

struct AffixIs {
  Part part;
  bool suffix = false;  // false: a prefix
  std::string text;
  auto operator<=>(const AffixIs&) const = default;
};

enum class PathFact { directory, missing, file, larger_than };
struct PathIs {
  Part part;
  PathFact fact = PathFact::missing;
  std::uint64_t bytes = 0;  // larger_than
  auto operator<=>(const PathIs&) const = default;
};

// No earlier successful call in the session of `tool` (running `program` `subcommand`, with the
// same value of `same`, in the same directory: each only when given).
struct SessionLacks {
  std::string tool;
  std::string program, subcommand;
  std::string same;
  bool same_cwd = false;
  auto operator<=>(const SessionLacks&) const = default;
};

using Predicate = std::variant<ParamIs, ValueIn, ShapeIs, LengthIn, AffixIs, PathIs, SessionLacks>;

struct Separation {
  std::int64_t failing = 0, failing_matched = 0, successful = 0, successful_matched = 0;
};

struct Check {
  std::vector<Predicate> all;  // the conjunction, at most kMaxPredicates
  std::string usual;           // what the successful calls pass instead ("40 hex characters")
  std::optional<Separation> separation;
};
inline constexpr std::size_t kMaxPredicates = 3;

// The part a predicate reads, if any (SessionLacks reads none).
const Part* part_of(const Predicate& p);

json to_json(const Part& p);
std::optional<Part> part_from_json(const json& j);  // nullopt: not a part of a known form
json to_json(const Predicate& p);
json to_json(const Check& c);
// A mistake of either form; nullopt for a malformed one or one of an unknown kind (it never
// matches: patcheck lets the call through).
std::optional<Check> check_from_json(const json& mistake);

std::string_view shell_part_name(ShellPart s);
std::string_view path_fact_name(PathFact f);

}  // namespace pat
