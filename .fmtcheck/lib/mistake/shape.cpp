#include "mistake/shape.hpp"

#include <algorithm>
#include <array>

#include "mistake/mistake_parts.hpp"
#include "util/text.hpp"

namespace pat {
namespace {

constexpr std::size_t npos = std::string_view::npos;

bool all_chars(std::string_view v, bool (*in_class)(char)) {
  return !v.empty() && std::all_of(v.begin(), v.end(), in_class);
}
bool is_word_char(char c) { return is_alnum(c) || c == '_' || c == '-' || c == '.' || c == ':'; }

bool fits_digits(std::string_view v) { return all_chars(v, is_digit); }
bool fits_hex(std::string_view v) { return all_chars(v, is_hex_digit); }
bool fits_alpha(std::string_view v) { return all_chars(v, is_letter); }
bool fits_alnum(std::string_view v) { return all_chars(v, is_alnum); }
bool fits_word(std::string_view v) { return all_chars(v, is_word_char); }
bool fits_text(std::string_view) { return true; }

bool fits_uuid(std::string_view v) {
  if (v.size() != 36) return false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const bool dash_place = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_place ? v[i] != '-' : !is_hex_digit(v[i])) return false;
  }
  return true;
}

bool fits_url(std::string_view v) {
  const std::size_t sep = v.find("://");
  if (sep == npos || sep == 0 || sep + 3 >= v.size() || !is_letter(v[0])) return false;
  const auto scheme_char = [](char c) { return is_alnum(c) || c == '+' || c == '-' || c == '.'; };
  return std::all_of(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(sep), scheme_char) &&
         std::none_of(v.begin(), v.end(), is_space_or_control);
}

}  // namespace

bool fits_path(std::string_view v) {
  if (v.empty() || v.find("://") != npos || std::any_of(v.begin(), v.end(), is_control)) return false;
  const bool drive = v.size() >= 3 && is_letter(v[0]) && v[1] == ':' && (v[2] == '/' || v[2] == '\\');
  if (v[0] == '/' || v[0] == '~' || v.starts_with("./") || v.starts_with("../") || drive) return true;
  return v.find_first_of("/\\") != npos && v.find(' ') == npos;
}

namespace {

// Ordered most specific first: value_shape returns the first that fits (with hex needing a
// letter and a digit, see value_shape).
constexpr std::array<ShapeClass, 9> kShapes{{
    {"uuid", "word", fits_uuid, "characters (a UUID)", "character (a UUID)"},
    {"digits", "hex", fits_digits, "digits", "digit"},
    {"hex", "alnum", fits_hex, "hex characters", "hex character"},
    {"alpha", "alnum", fits_alpha, "letters", "letter"},
    {"alnum", "word", fits_alnum, "letters and digits", "letter or digit"},
    {"word", "text", fits_word, "word characters", "word character"},
    {"url", "text", fits_url, "characters (a URL)", "character (a URL)"},
    {"path", "text", fits_path, "characters (a path)", "character (a path)"},
    {"text", "", fits_text, "characters", "character"},
}};

}  // namespace

const ShapeClass* find_shape(std::string_view name) {
  for (const ShapeClass& s : kShapes)
    if (s.name == name) return &s;
  return nullptr;
}

// The shape and its wider classes, narrowest first.
std::vector<std::string_view> shape_ancestry(std::string_view shape) {
  std::vector<std::string_view> chain;
  for (const ShapeClass* s = find_shape(shape); s != nullptr && chain.size() < kShapes.size();
       s = find_shape(s->parent))
    chain.push_back(s->name);
  return chain;
}

// The narrowest class both shapes belong to ("digits" and "hex" → "hex").
std::string_view shape_join(std::string_view a, std::string_view b) {
  const auto chain_a = shape_ancestry(a);
  for (std::string_view s : shape_ancestry(b))
    if (std::find(chain_a.begin(), chain_a.end(), s) != chain_a.end()) return s;
  return "text";
}

// Shapes that identify a kind of value by its length (a short SHA, a too-long number). A name, a
// word or a path of some length says nothing: those are learned as values or prefixes.
bool is_identifier_shape(std::string_view s) { return s == "digits" || s == "hex" || s == "uuid"; }

void LengthRange::cover(const LengthRange& o) {
  lo = std::min(lo, o.lo);
  hi = std::max(hi, o.hi);
}

// The length constraint of a shape check; nullopt when it is malformed.
std::optional<LengthRange> shape_length(const json& check) {
  LengthRange r;
  if (parts::member(check, "length") != nullptr) {
    const auto n = parts::count_member(check, "length");
    if (!n) return std::nullopt;
    r.lo = r.hi = *n;
  }
  if (parts::member(check, "min_length") != nullptr) {
    const auto n = parts::count_member(check, "min_length");
    if (!n) return std::nullopt;
    r.lo = std::max(r.lo, *n);
  }
  if (parts::member(check, "max_length") != nullptr) {
    const auto n = parts::count_member(check, "max_length");
    if (!n) return std::nullopt;
    r.hi = std::min(r.hi, *n);
  }
  return r;
}

json shape_check(std::string_view shape, const LengthRange& r) {
  json check = {{"type", "shape"}, {"shape", shape}};
  if (r.lo == r.hi) {
    check["length"] = r.lo;
  } else {
    if (r.lo != 0) check["min_length"] = r.lo;
    if (r.hi != std::numeric_limits<std::uint64_t>::max()) check["max_length"] = r.hi;
  }
  return check;
}

LengthRange exact_length(std::size_t n) { return {n, n}; }

// The longest prefix of both that ends at a directory separator.
std::string common_directory(std::string_view a, std::string_view b) {
  std::size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  const std::size_t sep = a.substr(0, n).find_last_of("/\\");
  return sep == npos ? std::string() : std::string(a.substr(0, sep + 1));
}

// A prefix that holds (nearly) every path says nothing.
bool is_trivial_prefix(std::string_view p) {
  if (p.size() <= 1 || p == "~/" || p == "./" || p == "../") return true;
  return p.size() == 3 && is_letter(p[0]) && p[1] == ':';
}

namespace {

std::string describe_length(const LengthRange& r, const ShapeClass& s) {
  const auto noun = [&](std::uint64_t n) { return std::string(n == 1 ? s.singular : s.plural); };
  constexpr auto kNoMax = std::numeric_limits<std::uint64_t>::max();
  if (r.lo == r.hi) return std::to_string(r.lo) + " " + noun(r.lo);
  if (r.hi == kNoMax) return "at least " + std::to_string(r.lo) + " " + noun(r.lo);
  if (r.lo == 0) return "at most " + std::to_string(r.hi) + " " + noun(r.hi);
  return std::to_string(r.lo) + " to " + std::to_string(r.hi) + " " + noun(r.hi);
}

}  // namespace

std::string describe_shape(const json& check) {
  const ShapeClass* s = find_shape(parts::check_string(check, "shape"));
  const auto lengths = shape_length(check);
  if (s == nullptr || !lengths) return "of an unknown shape";
  if (lengths->bounded()) return describe_length(*lengths, *s);
  return "made of " + std::string(s->plural);
}

std::string_view value_shape(std::string_view value) {
  if (value.empty()) return "text";
  const bool has_digit = std::any_of(value.begin(), value.end(), is_digit);
  const bool has_letter = std::any_of(value.begin(), value.end(), is_letter);
  for (const ShapeClass& s : kShapes) {
    if (s.name == "hex" && !(has_digit && has_letter)) continue;  // "123" is digits, "cafe" letters
    if (s.fits(value)) return s.name;
  }
  return "text";
}

bool shape_fits(std::string_view value, std::string_view shape) {
  const ShapeClass* s = find_shape(shape);
  return s != nullptr && s->fits(value);
}

}  // namespace pat
