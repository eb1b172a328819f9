#include "detect/check_learner.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <utility>

#include "mistake/call_check.hpp"
#include "mistake/mistake_parts.hpp"
#include "mistake/shape.hpp"
#include "util/command_line.hpp"
#include "util/text.hpp"

namespace pat {
namespace {

using namespace parts;

constexpr std::size_t npos = std::string_view::npos;

// Values longer than this are messages, documents or code, not identifiers worth a check.
constexpr std::size_t kMaxValueBytes = 200;
// The error text is only searched this far for the names it blames.
constexpr std::size_t kMaxErrorBytes = 64 * 1024;

// Parameters whose value changes with every call: never a shape, value or path check. A command
// line has checks of its own (and the whole command as the very last resort).
bool is_free_text_param(std::string_view p) {
  return p == "description" || p == "old_string" || p == "new_string" || p == "content" || p == "prompt" ||
         p == "command";
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
  static constexpr std::string_view kPhrases[] = {"command not found",  ": not found", "No such file or directory",
                                                  " is not recognized", " not found",  "not installed"};
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
      if (after.starts_with(": ")) names.push_back(program_basename(first_token(after.substr(2))));
      names.push_back(program_basename(last_token(line.substr(0, at))));
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
    return first_separating(std::move(params), [](const std::string& p) {
      return param_mistake(p, {{"type", "missing"}});
    });
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

}  // namespace

std::optional<json> learn_check(std::string_view, const std::vector<const json*>& failing,
                                const std::vector<const json*>& successful, std::string_view error) {
  try {
    return Learner(failing, successful, error).learn();
  } catch (...) {
    return std::nullopt;  // odd JSON values (invalid UTF-8 in a dump) must not stop learning
  }
}

}  // namespace pat
