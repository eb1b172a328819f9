#include "mistake/mistake_check.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <utility>

#include "util/command_line.hpp"

namespace pat {
namespace {

constexpr std::size_t npos = std::string_view::npos;

// Values longer than this are messages, documents or code, not identifiers worth a check.
constexpr std::size_t kMaxValueBytes = 200;
// A value check listing more values than this is no longer a pattern.
constexpr std::size_t kMaxValues = 20;
// The error text is only searched this far for the names it blames.
constexpr std::size_t kMaxErrorBytes = 64 * 1024;

// Parameters whose value changes with every call: never a shape, value or path check. A command
// line has checks of its own (and the whole command as the very last resort).
bool is_free_text_param(std::string_view p) {
  return p == "description" || p == "old_string" || p == "new_string" || p == "content" || p == "prompt" ||
         p == "command";
}

// ---- JSON access that never throws --------------------------------------------------------------

const json* member(const json& j, std::string_view key) {
  if (!j.is_object()) return nullptr;
  const auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

std::optional<std::string> string_member(const json& j, std::string_view key) {
  const json* m = member(j, key);
  if (m == nullptr || !m->is_string()) return std::nullopt;
  return m->get<std::string>();
}

// A count or length: a non-negative integer.
std::optional<std::uint64_t> count_member(const json& j, std::string_view key) {
  const json* m = member(j, key);
  if (m == nullptr) return std::nullopt;
  if (m->is_number_unsigned()) return m->get<std::uint64_t>();
  if (m->is_number_integer() && m->get<std::int64_t>() >= 0) return static_cast<std::uint64_t>(m->get<std::int64_t>());
  return std::nullopt;
}

// A parameter value as text: strings as they are, numbers and booleans as written in JSON.
// Objects, arrays and null have no text here (checks skip them).
std::optional<std::string> scalar_text(const json* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_string()) return v->get<std::string>();
  if (v->is_number() || v->is_boolean()) return v->dump();
  return std::nullopt;
}

bool is_missing(const json* v) {
  return v == nullptr || v->is_null() || (v->is_string() && v->get_ref<const std::string&>().empty());
}

std::string basename_of(std::string_view program) {
  const std::size_t slash = program.find_last_of("/\\");
  return std::string(slash == npos ? program : program.substr(slash + 1));
}

// ---- Shapes -------------------------------------------------------------------------------------

bool all_chars(std::string_view v, bool (*in_class)(char)) {
  return !v.empty() && std::all_of(v.begin(), v.end(), in_class);
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_digit(c) || is_letter(c); }
bool is_word_char(char c) { return is_alnum(c) || c == '_' || c == '-' || c == '.' || c == ':'; }
bool is_control(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }
bool is_space(char c) { return c == ' ' || is_control(c); }

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
         std::none_of(v.begin(), v.end(), is_space);
}

bool fits_path(std::string_view v) {
  if (v.empty() || v.find("://") != npos || std::any_of(v.begin(), v.end(), is_control)) return false;
  const bool drive = v.size() >= 3 && is_letter(v[0]) && v[1] == ':' && (v[2] == '/' || v[2] == '\\');
  if (v[0] == '/' || v[0] == '~' || v.starts_with("./") || v.starts_with("../") || drive) return true;
  return v.find_first_of("/\\") != npos && v.find(' ') == npos;
}

struct ShapeClass {
  std::string_view name;
  std::string_view parent;  // the next wider class; every value of this class fits the parent
  bool (*fits)(std::string_view);
  std::string_view plural;  // "7 hex characters"
  std::string_view singular;
};

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

struct LengthRange {
  std::uint64_t lo = 0;
  std::uint64_t hi = std::numeric_limits<std::uint64_t>::max();
  bool bounded() const { return lo != 0 || hi != std::numeric_limits<std::uint64_t>::max(); }
  bool contains(std::uint64_t n) const { return n >= lo && n <= hi; }
  void cover(const LengthRange& o) {
    lo = std::min(lo, o.lo);
    hi = std::max(hi, o.hi);
  }
};

// The length constraint of a shape check; nullopt when it is malformed.
std::optional<LengthRange> shape_length(const json& check) {
  LengthRange r;
  if (member(check, "length") != nullptr) {
    const auto n = count_member(check, "length");
    if (!n) return std::nullopt;
    r.lo = r.hi = *n;
  }
  if (member(check, "min_length") != nullptr) {
    const auto n = count_member(check, "min_length");
    if (!n) return std::nullopt;
    r.lo = std::max(r.lo, *n);
  }
  if (member(check, "max_length") != nullptr) {
    const auto n = count_member(check, "max_length");
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

// ---- Paths --------------------------------------------------------------------------------------

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

// ---- Calls --------------------------------------------------------------------------------------

// One tool call's input, with its command line split once however many checks look at it. The
// split is of the first param asked for: every command check of one learner or one mistake reads
// the same param.
class Call {
public:
  explicit Call(const json& input) : input_(input) {}
  const json& input() const { return input_; }
  const std::vector<SimpleCommand>& commands(const std::string& param) const {
    if (!commands_) {
      const json* c = member(input_, param);
      commands_.emplace(c != nullptr && c->is_string() ? split_command_line(c->get_ref<const std::string&>())
                                                        : std::vector<SimpleCommand>{});
    }
    return *commands_;
  }

private:
  const json& input_;
  mutable std::optional<std::vector<SimpleCommand>> commands_;
};

bool is_command_check(std::string_view type) { return type == "program" || type == "subcommand" || type == "flag"; }

bool command_check_matches(std::string_view type, const std::string& param, const json& check, const Call& call) {
  const auto program = string_member(check, "program");
  if (!program || program->empty()) return false;
  const std::string name = basename_of(*program);
  const auto detail = type == "program" ? std::optional<std::string>("")
                                        : string_member(check, type == "subcommand" ? "subcommand" : "flag");
  if (!detail) return false;
  for (const SimpleCommand& c : call.commands(param)) {
    if (c.name != name) continue;
    if (type == "program") return true;
    if (type == "subcommand" && c.subcommand == *detail) return true;
    if (type == "flag" && std::find(c.flags.begin(), c.flags.end(), *detail) != c.flags.end()) return true;
  }
  return false;
}

bool shape_check_matches(const json& check, const json* value) {
  const auto text = scalar_text(value);
  const auto shape = string_member(check, "shape");
  if (!text || !shape || !shape_fits(*text, *shape)) return false;
  const auto length = shape_length(check);
  return length && length->contains(text->size());
}

bool value_check_matches(const json& check, const json* value) {
  const json* values = member(check, "values");
  const auto text = scalar_text(value);
  if (values == nullptr || !values->is_array() || !text) return false;
  return std::any_of(values->begin(), values->end(), [&](const json& v) { return scalar_text(&v) == text; });
}

bool path_check_matches(const json& check, const json* value) {
  const auto prefix = string_member(check, "prefix");
  return prefix && !prefix->empty() && value != nullptr && value->is_string() &&
         value->get_ref<const std::string&>().starts_with(*prefix);
}

bool matches(const json& mistake, const Call& call) {
  const auto param = string_member(mistake, "param");
  const json* check = member(mistake, "check");
  if (!param || check == nullptr || !call.input().is_object()) return false;
  const auto type = string_member(*check, "type");
  if (!type) return false;
  const json* value = member(call.input(), *param);
  if (*type == "missing") return is_missing(value);
  if (*type == "shape") return shape_check_matches(*check, value);
  if (*type == "value") return value_check_matches(*check, value);
  if (*type == "path") return path_check_matches(*check, value);
  if (is_command_check(*type)) return command_check_matches(*type, *param, *check, call);
  return false;
}

// ---- What the error text names ------------------------------------------------------------------

bool is_name_char(char c) { return is_alnum(c) || c == '_' || c == '-'; }

// Whether `word` occurs in the text as a whole token.
bool mentions(std::string_view text, std::string_view word) {
  if (word.empty()) return false;
  for (std::size_t at = text.find(word); at != npos; at = text.find(word, at + 1)) {
    const bool starts = at == 0 || !is_name_char(text[at - 1]) || word[0] == '-';
    const std::size_t end = at + word.size();
    if (starts && (end == text.size() || !is_name_char(text[end]))) return true;
  }
  return false;
}

// A flag the error blames: "unknown option '--foo'", "ls: invalid option -- 'z'".
bool names_flag(std::string_view error, std::string_view flag) {
  if (mentions(error, flag)) return true;
  if (flag.size() != 2 || flag[0] != '-') return false;
  const std::string getopt_form = std::string("option -- '") + flag[1] + "'";
  return error.find(getopt_form) != npos;
}

std::string_view trim(std::string_view s, std::string_view chars) {
  const std::size_t b = s.find_first_not_of(chars);
  if (b == npos) return {};
  return s.substr(b, s.find_last_not_of(chars) - b + 1);
}

// The last token of what precedes "...: command not found": "bash: line 1: just" → "just".
std::string_view last_token(std::string_view s) {
  s = trim(s, " \t:");
  if (const std::size_t colon = s.rfind(": "); colon != npos) s = s.substr(colon + 2);
  if (const std::size_t space = s.find_last_of(" \t"); space != npos) s = s.substr(space + 1);
  return trim(s, "'\"`");
}

std::string_view first_token(std::string_view s) {
  s = trim(s, " \t'\"`");
  const std::size_t end = s.find_first_of(" \t'\"`,");
  return end == npos ? s : s.substr(0, end);
}

// Programs the error says do not exist: "bash: just: command not found", "zsh: command not found:
// just", "sh: 1: just: not found", "'just' is not recognized as ...", "Command 'just' not found",
// "bash: ./run.sh: No such file or directory", "just is not installed". Base names, in order.
std::vector<std::string> programs_not_found(std::string_view error) {
  static constexpr std::string_view kPhrases[] = {"command not found", ": not found", "No such file or directory",
                                                  " is not recognized", " not found", "not installed"};
  std::vector<std::string> names;
  error = error.substr(0, std::min(error.size(), kMaxErrorBytes));
  while (!error.empty()) {
    const std::size_t eol = std::min(error.find('\n'), error.size());
    const std::string_view line = error.substr(0, eol);
    error.remove_prefix(std::min(eol + 1, error.size()));
    for (std::string_view phrase : kPhrases) {
      const std::size_t at = line.find(phrase);
      if (at == npos) continue;
      const std::string_view after = line.substr(at + phrase.size());
      if (after.starts_with(": ")) names.push_back(basename_of(first_token(after.substr(2))));
      names.push_back(basename_of(last_token(line.substr(0, at))));
      break;
    }
  }
  std::erase_if(names, [](const std::string& n) { return n.empty(); });
  return names;
}

// ---- Learning -----------------------------------------------------------------------------------

json param_mistake(std::string_view param, json check) { return {{"param", param}, {"check", std::move(check)}}; }

json command_check(std::string_view type, std::string_view program, std::string_view key = {},
                   std::string_view value = {}) {
  json check = {{"type", type}, {"program", program}};
  if (!key.empty()) check[std::string(key)] = value;
  return check;
}

// Sort key: lower is preferred; ties keep the order of first appearance.
template <typename T>
void sort_by_preference(std::vector<std::pair<int, T>>& v) {
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
}

// A name a program can have. What a shell runs out of a broken quote (`$(`, `{`) is not one,
// and "install `$(`" would be no advice.
bool plausible_program_name(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '+' || c >= 0x80;
  });
}

class Learner {
public:
  Learner(const std::vector<const json*>& failing, const std::vector<const json*>& successful, std::string_view error)
      : error_(error.substr(0, std::min(error.size(), kMaxErrorBytes))) {
    for (const json* f : failing)
      if (f != nullptr) failing_.emplace_back(*f);
    for (const json* s : successful)
      if (s != nullptr) successful_.emplace_back(*s);
  }

  std::optional<json> learn() {
    if (failing_.empty()) return std::nullopt;
    for (auto stage : {&Learner::command_checks, &Learner::missing_checks, &Learner::shape_checks,
                       &Learner::path_checks, &Learner::value_checks, &Learner::whole_command_check})
      if (auto found = (this->*stage)()) return found;
    return std::nullopt;
  }

private:
  const json& first_input() const { return failing_.front().input(); }
  bool have_successes() const { return !successful_.empty(); }

  // The mistake with its separation, when it matches every failing call and no successful one.
  std::optional<json> separating(json mistake) const {
    for (const Call& f : failing_)
      if (!matches(mistake, f)) return std::nullopt;
    for (const Call& s : successful_)
      if (matches(mistake, s)) return std::nullopt;
    mistake["separation"] = {{"failing", failing_.size()},
                             {"failing_matched", failing_.size()},
                             {"successful", successful_.size()},
                             {"successful_matched", 0}};
    return mistake;
  }

  template <typename T, typename Make>
  std::optional<json> first_separating(std::vector<std::pair<int, T>> candidates, Make make) const {
    sort_by_preference(candidates);
    for (const auto& c : candidates)
      if (auto found = separating(make(c.second))) return found;
    return std::nullopt;
  }

  // (1) Programs, subcommands and flags of a command line. Without successful calls to contrast
  // with, only what the error text blames is learned.
  std::optional<json> command_checks() const {
    const std::string param = "command";
    const json* command = member(first_input(), param);
    if (command == nullptr || !command->is_string()) return std::nullopt;
    const auto& commands = failing_.front().commands(param);
    std::set<std::string> succeeded;
    for (const Call& s : successful_)
      for (const SimpleCommand& c : s.commands(param)) succeeded.insert(c.name);

    std::vector<std::pair<int, std::string>> programs;
    const auto not_found = programs_not_found(error_);
    for (const std::string& n : not_found) programs.emplace_back(0, n);
    std::vector<std::pair<int, std::pair<std::string, std::string>>> subcommands, flags;
    // When the error names some of the programs ("ls: cannot access ..."), the mistake is in
    // their commands: a program beside them that merely never ran elsewhere (`pwd && ls x`) is
    // not to blame.
    const bool error_names_a_program = std::any_of(commands.begin(), commands.end(), [&](const SimpleCommand& c) {
      return !c.name.empty() && mentions(error_, c.name);
    });
    for (const SimpleCommand& c : commands) {
      if (!plausible_program_name(c.name) || (error_names_a_program && !mentions(error_, c.name))) continue;
      const bool ran_elsewhere = succeeded.count(c.name) != 0;
      if (have_successes()) programs.emplace_back(mentions(error_, c.name) ? 1 : 2, c.name);
      if (!c.subcommand.empty() && (have_successes() || mentions(error_, c.subcommand)))
        subcommands.emplace_back((ran_elsewhere ? 0 : 2) + (mentions(error_, c.subcommand) ? 0 : 1),
                                 std::pair{c.name, c.subcommand});
      for (const std::string& f : c.flags)
        if (have_successes() || names_flag(error_, f))
          flags.emplace_back((names_flag(error_, f) ? 0 : 2) + (ran_elsewhere ? 0 : 1), std::pair{c.name, f});
    }
    const auto program_of = [&](const std::string& n) { return param_mistake(param, command_check("program", n)); };
    if (auto found = first_separating(std::move(programs), program_of)) return found;
    const auto subcommand_of = [&](const std::pair<std::string, std::string>& p) {
      return param_mistake(param, command_check("subcommand", p.first, "subcommand", p.second));
    };
    if (auto found = first_separating(std::move(subcommands), subcommand_of)) return found;
    const auto flag_of = [&](const std::pair<std::string, std::string>& p) {
      return param_mistake(param, command_check("flag", p.first, "flag", p.second));
    };
    return first_separating(std::move(flags), flag_of);
  }

  // (2) A parameter every successful call gives and the failing calls leave out.
  std::optional<json> missing_checks() const {
    if (!have_successes() || !successful_.front().input().is_object()) return std::nullopt;
    std::vector<std::pair<int, std::string>> params;
    for (const auto& [key, value] : successful_.front().input().items())
      if (!is_missing(&value)) params.emplace_back(0, key);
    return first_separating(std::move(params),
                            [](const std::string& p) { return param_mistake(p, {{"type", "missing"}}); });
  }

  // The texts of a parameter in every failing call, or nullopt when some call has none worth a
  // check (absent, empty, not a scalar, too long).
  std::optional<std::vector<std::string>> failing_texts(const std::string& param) const {
    std::vector<std::string> texts;
    for (const Call& f : failing_) {
      auto t = scalar_text(member(f.input(), param));
      if (!t || t->empty() || t->size() > kMaxValueBytes) return std::nullopt;
      texts.push_back(std::move(*t));
    }
    return texts;
  }

  struct ParamValues {
    std::string param;
    std::vector<std::string> texts;  // in every failing call, in order
    bool named = false;              // the error text names the parameter or its first value
  };

  bool some_success_gives(const std::string& param) const {
    return std::any_of(successful_.begin(), successful_.end(),
                       [&](const Call& s) { return !is_missing(member(s.input(), param)); });
  }

  // Parameters of the first failing call that may carry a shape, value or path check: the ones
  // the error text names first, then by name. A parameter the successful calls never give only
  // separates by being there (a Bash timeout), which says nothing about its value.
  std::vector<ParamValues> candidate_params() const {
    std::vector<std::pair<int, ParamValues>> ranked;
    if (!first_input().is_object()) return {};
    for (const auto& item : first_input().items()) {
      if (is_free_text_param(item.key()) || (have_successes() && !some_success_gives(item.key()))) continue;
      auto texts = failing_texts(item.key());
      if (!texts) continue;
      const bool named = mentions(error_, item.key()) || mentions(error_, texts->front());
      ranked.emplace_back(named ? 0 : 1, ParamValues{item.key(), std::move(*texts), named});
    }
    sort_by_preference(ranked);
    std::vector<ParamValues> out;
    for (auto& r : ranked) out.push_back(std::move(r.second));
    return out;
  }

  // (3) An identifier of the wrong length: a 7-character SHA where 40 are needed.
  std::optional<json> shape_checks() const {
    if (!have_successes()) return std::nullopt;
    for (const auto& [param, texts, named] : candidate_params()) {
      std::string_view shape = value_shape(texts.front());
      LengthRange lengths = exact_length(texts.front().size());
      for (const std::string& t : texts) {
        shape = shape_join(shape, value_shape(t));
        lengths.cover(exact_length(t.size()));
      }
      for (std::string_view s : shape_ancestry(shape)) {
        if (!is_identifier_shape(s)) break;
        if (auto found = separating(param_mistake(param, shape_check(s, lengths)))) return found;
      }
    }
    return std::nullopt;
  }

  // (4) Paths under a directory that the successful calls never touch.
  std::optional<json> path_checks() const {
    if (!have_successes()) return std::nullopt;
    for (const auto& [param, texts, named] : candidate_params()) {
      if (!std::all_of(texts.begin(), texts.end(), [](const std::string& t) { return fits_path(t); })) continue;
      std::string prefix = common_directory(texts.front(), texts.front());
      for (const std::string& t : texts) prefix = common_directory(prefix, t);
      if (is_trivial_prefix(prefix)) continue;
      if (auto found = separating(param_mistake(param, {{"type", "path"}, {"prefix", prefix}}))) return found;
    }
    return std::nullopt;
  }

  // The distinct failing values of a parameter, ordered by their text, as they were typed.
  json distinct_values(const std::string& param) const {
    std::map<std::string, json> by_text;
    for (const Call& f : failing_) {
      const json* v = member(f.input(), param);
      if (const auto t = scalar_text(v)) by_text.emplace(*t, *v);
    }
    json values = json::array();
    for (auto& [text, v] : by_text) values.push_back(v);
    return values;
  }

  // (5) The very values that failed, when no successful call used them. Without successful calls
  // any value would do (a Bash timeout, a line limit): only one the error text names is taken.
  std::optional<json> value_checks() const {
    std::vector<std::pair<int, std::string>> params;
    for (const auto& [param, texts, named] : candidate_params()) {
      const std::set<std::string> distinct(texts.begin(), texts.end());
      if (distinct.size() > kMaxValues || (!named && !have_successes())) continue;
      params.emplace_back((named ? 0 : static_cast<int>(kMaxValues) + 1) + static_cast<int>(distinct.size()), param);
    }
    return first_separating(std::move(params), [&](const std::string& p) {
      return param_mistake(p, {{"type", "value"}, {"values", distinct_values(p)}});
    });
  }

  // The last resort for a command line: the one command that failed, as it was written.
  std::optional<json> whole_command_check() const {
    const std::string param = "command";
    const auto first = string_member(first_input(), param);
    if (!first || first->empty() || first->size() > kMaxValueBytes) return std::nullopt;
    for (const Call& f : failing_)
      if (string_member(f.input(), param) != first) return std::nullopt;
    return separating(param_mistake(param, {{"type", "value"}, {"values", {*first}}}));
  }

  std::string_view error_;
  std::vector<Call> failing_, successful_;
};

// ---- Comparing and merging ----------------------------------------------------------------------

struct ParamCheck {
  std::string param;
  std::string type;
  const json* check = nullptr;
};

std::optional<ParamCheck> param_check(const json& mistake) {
  auto param = string_member(mistake, "param");
  const json* check = member(mistake, "check");
  if (!param || check == nullptr) return std::nullopt;
  auto type = string_member(*check, "type");
  if (!type) return std::nullopt;
  return ParamCheck{std::move(*param), std::move(*type), check};
}

// "tool" is one tool or a list of tools, any of which satisfies the requirement ("Read or
// Write of the same file_path").
struct Requirement {
  std::vector<std::string> tools;
  std::optional<std::string> same;
  bool unless_new_file = false;  // "unless": "new_file": only an existing file needs it
  std::string tool_names() const {  // `Read` or `Write`
    std::string out;
    for (std::size_t i = 0; i < tools.size(); ++i)
      out += (i == 0 ? "`" : i + 1 == tools.size() ? " or `" : ", `") + tools[i] + "`";
    return out;
  }
};

std::optional<Requirement> requirement(const json& mistake) {
  const json* req = member(mistake, "requires");
  if (req == nullptr) return std::nullopt;
  Requirement r;
  if (auto tool = string_member(*req, "tool"); tool && !tool->empty()) r.tools.push_back(std::move(*tool));
  if (const json* list = member(*req, "tool"); list != nullptr && list->is_array())
    for (const json& t : *list)
      if (t.is_string() && !t.get_ref<const std::string&>().empty()) r.tools.push_back(t.get<std::string>());
  if (r.tools.empty()) return std::nullopt;
  std::sort(r.tools.begin(), r.tools.end());
  r.same = string_member(*req, "same");
  r.unless_new_file = string_member(*req, "unless").value_or("") == "new_file";
  return r;
}

std::vector<std::string> value_texts(const json& check) {
  std::vector<std::string> texts;
  if (const json* values = member(check, "values"); values != nullptr && values->is_array())
    for (const json& v : *values)
      if (auto t = scalar_text(&v)) texts.push_back(std::move(*t));
  std::sort(texts.begin(), texts.end());
  texts.erase(std::unique(texts.begin(), texts.end()), texts.end());
  return texts;
}

double jaccard(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> common;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
  const std::size_t all = a.size() + b.size() - common.size();
  return all == 0 ? 1.0 : static_cast<double>(common.size()) / static_cast<double>(all);
}

std::string check_string(const json& check, std::string_view key) { return string_member(check, key).value_or(""); }

// The shape check covering a shape check and some values, when every value fits its class.
std::optional<json> shape_with_values(const json& shape, const std::vector<std::string>& values) {
  const std::string s = check_string(shape, "shape");
  auto lengths = shape_length(shape);
  if (!find_shape(s) || !lengths) return std::nullopt;
  for (const std::string& v : values) {
    if (!shape_fits(v, s)) return std::nullopt;
    lengths->cover(exact_length(v.size()));
  }
  return lengths->bounded() ? shape_check(s, *lengths) : json{{"type", "shape"}, {"shape", s}};
}

// Two identifiers of the same kind (two short SHAs) become that kind; other values stay values.
json merged_values(const json& a, const json& b) {
  std::vector<std::string> texts = value_texts(a);
  const std::vector<std::string> more = value_texts(b);
  texts.insert(texts.end(), more.begin(), more.end());
  if (!texts.empty()) {
    std::string_view shape = value_shape(texts.front());
    LengthRange lengths = exact_length(texts.front().size());
    for (const std::string& t : texts) {
      shape = shape_join(shape, value_shape(t));
      lengths.cover(exact_length(t.size()));
    }
    if (is_identifier_shape(shape)) return shape_check(shape, lengths);
  }
  std::map<std::string, json> by_text;
  for (const json* check : {&a, &b})
    if (const json* values = member(*check, "values"); values != nullptr && values->is_array())
      for (const json& v : *values)
        if (const auto t = scalar_text(&v)) by_text.emplace(*t, v);
  json values = json::array();
  for (auto& [text, v] : by_text)
    if (values.size() < kMaxValues) values.push_back(v);
  return {{"type", "value"}, {"values", values}};
}

std::optional<json> merged_shapes(const json& a, const json& b) {
  const std::string_view shape = shape_join(check_string(a, "shape"), check_string(b, "shape"));
  auto la = shape_length(a);
  const auto lb = shape_length(b);
  if (shape == "text" || !la || !lb) return std::nullopt;
  la->cover(*lb);
  return la->bounded() ? shape_check(shape, *la) : json{{"type", "shape"}, {"shape", shape}};
}

std::optional<json> merged_checks(const ParamCheck& a, const ParamCheck& b) {
  if (a.param != b.param) return std::nullopt;
  if (a.type == "value" && b.type == "value") return merged_values(*a.check, *b.check);
  if (a.type == "shape" && b.type == "shape") return merged_shapes(*a.check, *b.check);
  if (a.type == "shape" && b.type == "value") return shape_with_values(*a.check, value_texts(*b.check));
  if (a.type == "value" && b.type == "shape") return shape_with_values(*b.check, value_texts(*a.check));
  if (a.type == "path" && b.type == "path") {
    const std::string prefix = common_directory(check_string(*a.check, "prefix"), check_string(*b.check, "prefix"));
    if (!is_trivial_prefix(prefix)) return json{{"type", "path"}, {"prefix", prefix}};
  }
  return std::nullopt;
}

double same_type_similarity(const ParamCheck& a, const ParamCheck& b) {
  const json& ca = *a.check;
  const json& cb = *b.check;
  if (a.type == "missing" || ca == cb) return 1.0;
  if (a.type == "value") return 0.8 + 0.2 * jaccard(value_texts(ca), value_texts(cb));
  if (a.type == "shape") {
    if (check_string(ca, "shape") == check_string(cb, "shape")) return 0.9;
    return merged_shapes(ca, cb) ? 0.8 : 0.5;
  }
  if (a.type == "path") return merged_checks(a, b) ? 0.8 : 0.5;
  if (a.type == "program")
    return basename_of(check_string(ca, "program")) == basename_of(check_string(cb, "program")) ? 1.0 : 0.5;
  return 0.5;  // another subcommand or flag, or a check type this version does not know
}

std::int64_t separation_count(const json& mistake, std::string_view key) {
  const json* sep = member(mistake, "separation");
  if (sep == nullptr) return 0;
  const auto n = count_member(*sep, key);
  return n ? static_cast<std::int64_t>(std::min<std::uint64_t>(*n, std::numeric_limits<std::int64_t>::max() / 2)) : 0;
}

// ---- Descriptions -------------------------------------------------------------------------------

// Long values are cut for the description without splitting a UTF-8 character.
std::string code_quoted(std::string_view v) {
  constexpr std::size_t kMaxShown = 60;
  if (v.size() <= kMaxShown) return "`" + std::string(v) + "`";
  std::size_t cut = kMaxShown;
  while (cut > 0 && (static_cast<unsigned char>(v[cut]) & 0xC0) == 0x80) --cut;
  return "`" + std::string(v.substr(0, cut)) + "...`";
}

std::string describe_length(const LengthRange& r, const ShapeClass& s) {
  const auto noun = [&](std::uint64_t n) { return std::string(n == 1 ? s.singular : s.plural); };
  constexpr auto kNoMax = std::numeric_limits<std::uint64_t>::max();
  if (r.lo == r.hi) return std::to_string(r.lo) + " " + noun(r.lo);
  if (r.hi == kNoMax) return "at least " + std::to_string(r.lo) + " " + noun(r.lo);
  if (r.lo == 0) return "at most " + std::to_string(r.hi) + " " + noun(r.hi);
  return std::to_string(r.lo) + " to " + std::to_string(r.hi) + " " + noun(r.hi);
}

std::string describe_shape(const json& check) {
  const ShapeClass* s = find_shape(check_string(check, "shape"));
  const auto lengths = shape_length(check);
  if (s == nullptr || !lengths) return "of an unknown shape";
  if (lengths->bounded()) return describe_length(*lengths, *s);
  return "made of " + std::string(s->plural);
}

std::string describe_values(const json& check) {
  const std::vector<std::string> texts = value_texts(check);
  if (texts.empty()) return "one of no values";
  if (texts.size() == 1) return code_quoted(texts[0]);
  std::string out = texts.size() == 2 ? "" : "one of ";
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (i > 0) out += texts.size() == 2 ? " or " : ", ";
    out += code_quoted(texts[i]);
  }
  return out;
}

std::string describe_param_check(const ParamCheck& c) {
  const json& check = *c.check;
  const std::string program = "`" + basename_of(check_string(check, "program")) + "`";
  const std::string param = "`" + c.param + "`";
  if (c.type == "missing") return param + " is missing";
  if (c.type == "shape") return param + " is " + describe_shape(check);
  if (c.type == "value") return param + " is " + describe_values(check);
  if (c.type == "path") return param + " starts with " + code_quoted(check_string(check, "prefix"));
  if (c.type == "program") return "the program " + program + " is run";
  if (c.type == "subcommand") return program + " subcommand " + code_quoted(check_string(check, "subcommand"));
  if (c.type == "flag") return "the flag " + code_quoted(check_string(check, "flag")) + " of " + program;
  return param + " fails a `" + c.type + "` check";
}

}  // namespace

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

bool check_matches(const json& mistake, const json& input) { return CallChecker(input).matches(mistake); }

struct CallChecker::Impl {
  explicit Impl(const json& input) : call(input) {}
  Call call;
};

CallChecker::CallChecker(const json& input) : impl_(std::make_unique<Impl>(input)) {}
CallChecker::~CallChecker() = default;

bool CallChecker::matches(const json& mistake) const {
  try {
    return pat::matches(mistake, impl_->call);
  } catch (...) {
    return false;  // a check that cannot be evaluated must not block a call
  }
}

bool requirement_missing(const json& mistake, const json& input,
                         const std::function<bool(std::string_view tool, std::string_view param,
                                                  std::string_view value)>& seen,
                         const std::function<bool(std::string_view path)>& exists) {
  try {
    const auto req = requirement(mistake);
    if (!req || !seen) return false;
    if (!req->same || req->same->empty())
      return std::none_of(req->tools.begin(), req->tools.end(), [&](const std::string& t) { return seen(t, "", ""); });
    const auto value = scalar_text(member(input, *req->same));
    if (!value || value->empty()) return false;  // nothing to compare with: fail open
    if (req->unless_new_file && exists && !exists(*value)) return false;
    return std::none_of(req->tools.begin(), req->tools.end(),
                        [&](const std::string& t) { return seen(t, *req->same, *value); });
  } catch (...) {
    return false;
  }
}

std::optional<json> learn_check(std::string_view, const std::vector<const json*>& failing,
                                const std::vector<const json*>& successful, std::string_view error) {
  try {
    return Learner(failing, successful, error).learn();
  } catch (...) {
    return std::nullopt;  // odd JSON values (invalid UTF-8 in a dump) must not stop learning
  }
}

double mistake_similarity(const json& a, const json& b) {
  try {
    const auto ra = requirement(a);
    const auto rb = requirement(b);
    if (ra && rb) {
      if (ra->tools != rb->tools) return 0.2;
      return ra->same == rb->same ? 1.0 : 0.8;
    }
    const auto ca = param_check(a);
    const auto cb = param_check(b);
    if (!ca || !cb) return 0.0;
    if (ca->param != cb->param) return ca->type == cb->type ? 0.3 : 0.2;
    if (ca->type == cb->type) return same_type_similarity(*ca, *cb);
    return merged_checks(*ca, *cb) ? 0.8 : 0.5;
  } catch (...) {
    return 0.0;
  }
}

json generalise_mistake(const json& a, const json& b) {
  try {
    if (!a.is_object()) return a;
    json out = a;
    const auto ca = param_check(a);
    const auto cb = param_check(b);
    if (ca && cb)
      if (auto merged = merged_checks(*ca, *cb)) out["check"] = std::move(*merged);
    if (member(a, "separation") != nullptr || member(b, "separation") != nullptr) {
      json sep = json::object();
      for (std::string_view key : {"failing", "failing_matched", "successful", "successful_matched"})
        sep[std::string(key)] = separation_count(a, key) + separation_count(b, key);
      out["separation"] = std::move(sep);
    }
    return out;
  } catch (...) {
    return a;
  }
}

std::string describe_mistake(const json& mistake) { return describe_mistake(mistake, ""); }

std::string describe_mistake(const json& mistake, std::string_view tool) {
  try {
    if (const auto req = requirement(mistake)) {
      const std::string what = req->tool_names() + (req->same ? " of the same `" + *req->same + "`" : "") +
                               (req->unless_new_file ? " (an existing file)" : "");
      if (tool.empty()) return "no earlier " + what + " in the session";
      return "`" + std::string(tool) + "` before " + (req->same ? what : "any " + what);
    }
    if (const auto c = param_check(mistake)) return describe_param_check(*c);
  } catch (...) {
  }
  return "an unrecognised mistake";
}

}  // namespace pat
