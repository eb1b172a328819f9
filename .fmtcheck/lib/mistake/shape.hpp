#pragma once
// The form of a value: its character class and length ("7 hex characters", "a path"), and the
// directory a path is under. Shape checks compare values by their form, so that a check learned
// from some values recognises others of the same form.
#include <cstddef>
#include <cstdint>
#include <limits>
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

// A class and how to say it: "hex characters", "hex character".
struct ShapeClass {
  std::string_view name;
  std::string_view parent;  // the next wider class; every value of this class fits the parent
  bool (*fits)(std::string_view);
  std::string_view plural;  // "7 hex characters"
  std::string_view singular;
};
const ShapeClass* find_shape(std::string_view name);
// The shape and its wider classes, narrowest first.
std::vector<std::string_view> shape_ancestry(std::string_view shape);
// The narrowest class both shapes belong to ("digits" and "hex" → "hex").
std::string_view shape_join(std::string_view a, std::string_view b);
// Shapes that identify a kind of value by its length (a short SHA, a too-long number). A name, a
// word or a path of some length says nothing: those are learned as values or prefixes.
bool is_identifier_shape(std::string_view s);
bool fits_path(std::string_view v);

struct LengthRange {
  std::uint64_t lo = 0;
  std::uint64_t hi = std::numeric_limits<std::uint64_t>::max();
  bool bounded() const { return lo != 0 || hi != std::numeric_limits<std::uint64_t>::max(); }
  bool contains(std::uint64_t n) const { return n >= lo && n <= hi; }
  void cover(const LengthRange& o);
};
LengthRange exact_length(std::size_t n);
// The length constraint of a shape check; nullopt when it is malformed.
std::optional<LengthRange> shape_length(const json& check);
// {"type": "shape", "shape": S, "length": N} or with "min_length"/"max_length".
json shape_check(std::string_view shape, const LengthRange& r);
// "7 hex characters", "at least 3 digits", "made of letters".
std::string describe_shape(const json& check);

// The longest prefix of both that ends at a directory separator.
std::string common_directory(std::string_view a, std::string_view b);
// A prefix that holds (nearly) every path says nothing.
bool is_trivial_prefix(std::string_view p);

}  // namespace pat
