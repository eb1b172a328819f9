#include "util/command_line.hpp"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <utility>

#include "util/text.hpp"

namespace pat {
namespace {

constexpr std::size_t npos = std::string_view::npos;

// Command substitutions nested deeper than this are kept as an argument of the command around
// them and not split: each level is a recursive call, and hostile input can nest without end.
constexpr int kMaxDepth = 16;

// A subcommand is a short lowercase word; anything longer is a name, a message or a path.
constexpr std::size_t kMaxSubcommandBytes = 64;

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

bool is_operator_char(char c) {
  return c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '<' || c == '>';
}

bool ends_word(char c) { return is_blank(c) || is_operator_char(c); }

bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

// A '#' starts a comment only where a word could start.
bool comment_may_start(std::string_view s, std::size_t i) { return i == 0 || ends_word(s[i - 1]); }

std::size_t skip_line(std::string_view s, std::size_t i) {
  const std::size_t e = s.find('\n', i);
  return e == npos ? s.size() : e;
}

// The delimiter word of a heredoc (`<<EOF`, `<< 'EOF'`, `<<-"EOF"`), quotes removed; `i` is just
// after the `<<`. Returns the delimiter and where it ends.
std::pair<std::string, std::size_t> heredoc_delimiter(std::string_view s, std::size_t i) {
  while (i < s.size() && is_blank(s[i])) ++i;
  std::string word;
  while (i < s.size() && !ends_word(s[i])) {
    const char c = s[i];
    if (c == '\'' || c == '"') {
      const std::size_t e = s.find(c, i + 1);
      const std::size_t stop = e == npos ? s.size() : e;
      word.append(s.substr(i + 1, stop - i - 1));
      i = stop == s.size() ? stop : stop + 1;
    } else if (c == '\\' && i + 1 < s.size()) {
      word += s[i + 1];
      i += 2;
    } else {
      word += c;
      ++i;
    }
  }
  return {word, i};
}

struct Heredoc {
  std::string delimiter;
  bool strip_tabs = false;  // `<<-`: the body's and terminator's leading tabs are ignored
};

// Skips the bodies of the heredocs opened on the line that just ended: `i` is the start of the
// next line. Returns where the commands resume.
std::size_t skip_heredoc_bodies(std::string_view s, std::size_t i, const std::vector<Heredoc>& docs) {
  for (const Heredoc& doc : docs) {
    while (i < s.size()) {
      const std::size_t eol = skip_line(s, i);
      std::string_view line = s.substr(i, eol - i);
      i = eol == s.size() ? eol : eol + 1;
      if (doc.strip_tabs) line.remove_prefix(std::min(line.find_first_not_of('\t'), line.size()));
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line == doc.delimiter) break;
    }
  }
  return i;
}

// Index of the ')' closing a `$(` or `(` whose inside starts at `i`, or s.size() when nothing
// closes it. Iterative, with an explicit stack of open quotes and parentheses, so that nesting
// costs heap and not call stack.
std::size_t closing_paren(std::string_view s, std::size_t i) {
  std::vector<char> open{'('};
  std::vector<Heredoc> docs;
  while (i < s.size()) {
    const char c = s[i];
    const char top = open.back();
    if (c == '\\') {
      i += 2;
      continue;
    }
    if (top == '"' || top == '`') {
      if (c == top)
        open.pop_back();
      else if (top == '"' && c == '`')
        open.push_back('`');
      else if (top == '"' && c == '$' && i + 1 < s.size() && s[i + 1] == '(') {
        open.push_back('(');
        ++i;
      }
      ++i;
      continue;
    }
    switch (c) {
      case '\'': {
        const std::size_t e = s.find('\'', i + 1);
        i = e == npos ? s.size() : e + 1;
        continue;
      }
      case '"':
      case '`':
      case '(': open.push_back(c); break;
      case ')':
        open.pop_back();
        if (open.empty()) return i;
        break;
      case '#':
        if (comment_may_start(s, i)) {
          i = skip_line(s, i);
          continue;
        }
        break;
      case '<':
        // A heredoc body is text, not code: its quotes and parentheses must not count.
        if (i + 1 < s.size() && s[i + 1] == '<' && (i + 2 >= s.size() || s[i + 2] != '<')) {
          const bool strip = i + 2 < s.size() && s[i + 2] == '-';
          auto [delimiter, end] = heredoc_delimiter(s, i + (strip ? 3 : 2));
          if (!delimiter.empty()) docs.push_back({std::move(delimiter), strip});
          i = end;
          continue;
        }
        break;
      case '\n':
        if (!docs.empty()) {
          i = skip_heredoc_bodies(s, i + 1, docs);
          docs.clear();
          continue;
        }
        break;
      default: break;
    }
    ++i;
  }
  return s.size();
}

// Index of the backtick closing a substitution whose inside starts at `i`, or s.size().
std::size_t closing_backtick(std::string_view s, std::size_t i) {
  while (i < s.size()) {
    if (s[i] == '\\')
      i += 2;
    else if (s[i] == '`')
      return i;
    else
      ++i;
  }
  return s.size();
}

// Index of the '}' closing a `${` whose inside starts at `i`, or s.size().
std::size_t closing_brace(std::string_view s, std::size_t i) {
  std::size_t depth = 1;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '\\') {
      i += 2;
      continue;
    }
    if (c == '\'' || c == '"') {
      const std::size_t e = s.find(c, i + 1);
      i = e == npos ? s.size() : e + 1;
      continue;
    }
    if (c == '{') ++depth;
    if (c == '}' && --depth == 0) return i;
    ++i;
  }
  return s.size();
}

struct Word {
  std::string text;                 // quotes and escapes removed, substitutions kept as written
  std::size_t first_quoted = npos;  // offset in text of the first quoted or escaped byte
};

bool is_assignment(const Word& w) {
  const std::size_t eq = w.text.find('=');
  if (eq == npos || eq == 0 || !is_name_start(w.text[0]) || w.first_quoted < eq) return false;
  std::size_t name_end = eq;
  if (w.text[name_end - 1] == '+') --name_end;  // VAR+=value
  return name_end > 0 &&
         std::all_of(w.text.begin(), w.text.begin() + static_cast<std::ptrdiff_t>(name_end), is_name_char);
}

bool looks_like_subcommand(std::string_view t) {
  if (t.empty() || t.size() > kMaxSubcommandBytes || t[0] < 'a' || t[0] > 'z') return false;
  return std::all_of(t.begin(), t.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == ':';
  });
}

// Reserved words that open or close a compound command: the simple command follows them.
bool is_transparent_keyword(std::string_view t) {
  for (std::string_view k : {"if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "esac"})
    if (t == k) return true;
  return false;
}

// Compound commands whose words are not a program and its arguments.
bool is_opaque_keyword(std::string_view t) {
  for (std::string_view k : {"for", "select", "case", "function", "in"})
    if (t == k) return true;
  return false;
}

// A command that runs the command given as its arguments.
struct Wrapper {
  std::string_view name;
  std::string_view short_with_value;   // single-letter options that take the next word
  std::string_view long_with_value;    // space-separated long options that take the next word
  std::string_view stop_letters = {};  // options after which it runs nothing (`command -v x`)
  bool takes_assignments = false;      // env A=1 cmd
  int positionals = 0;                 // words before the command (timeout's duration)
};

constexpr Wrapper kWrappers[] = {
    {"sudo", "ugpCDRTrtU",
     "--user --group --prompt --close-from --chdir --chroot --role --type --command-timeout --other-user --host"},
    {"doas", "uC", ""},
    {"env", "uCS", "--unset --chdir --split-string", {}, true},
    {"time", "fo", "--format --output"},
    {"nohup", "", ""},
    {"exec", "a", ""},
    {"command", "", "", "vV"},
    {"builtin", "", ""},
    {"xargs", "IELnPsda", "--max-args --max-procs --max-lines --max-chars --delimiter --arg-file --eof"},
    {"timeout", "sk", "--signal --kill-after", {}, false, 1},
    {"nice", "n", "--adjustment"},
    {"ionice", "cnpPu", "--class --classdata --pid --pgid --uid"},
    {"stdbuf", "ioe", "--input --output --error"},
};

const Wrapper* find_wrapper(std::string_view name) {
  for (const Wrapper& w : kWrappers)
    if (w.name == name) return &w;
  return nullptr;
}

bool in_word_list(std::string_view list, std::string_view word) {
  std::size_t i = 0;
  while (i < list.size()) {
    std::size_t e = list.find(' ', i);
    if (e == npos) e = list.size();
    if (list.substr(i, e - i) == word) return true;
    i = e + 1;
  }
  return false;
}

// Index of the word the wrapper runs, past its options (and assignments, and positionals), or
// npos when it runs nothing.
std::size_t wrapped_command(const std::vector<Word>& words, std::size_t j, const Wrapper& w,
                            std::vector<std::string>& assignments) {
  while (j < words.size()) {
    const std::string& t = words[j].text;
    if (t == "--") {
      ++j;
      break;
    }
    if (t.size() < 2 || t[0] != '-') {
      if (!w.takes_assignments || !is_assignment(words[j])) break;
      assignments.push_back(t);
      ++j;
      continue;
    }
    if (t[1] == '-') {
      j += (t.find('=') == npos && in_word_list(w.long_with_value, t)) ? 2 : 1;
      continue;
    }
    if (t.find_first_of(w.stop_letters, 1) != npos) return npos;
    bool value_follows = false;
    for (std::size_t p = 1; p < t.size(); ++p) {
      if (w.short_with_value.find(t[p]) != npos) {
        value_follows = p + 1 == t.size();  // else the value is attached: -uroot
        break;
      }
    }
    j += value_follows ? 2 : 1;
  }
  for (int p = 0; p < w.positionals && j < words.size(); ++p) ++j;
  return j < words.size() ? j : npos;
}

void add_arguments(const std::vector<Word>& words, std::size_t j, SimpleCommand& cmd) {
  if (j < words.size() && looks_like_subcommand(words[j].text)) cmd.subcommand = words[j++].text;
  bool options_ended = false;
  for (; j < words.size(); ++j) {
    const std::string& t = words[j].text;
    if (t == "--") options_ended = true;
    if (!options_ended && t.size() >= 2 && t[0] == '-' && t != "--") {
      const std::size_t eq = t[1] == '-' ? t.find('=') : std::string::npos;
      cmd.flags.push_back(t.substr(0, eq));
      if (eq != std::string::npos)
        cmd.flag_values.emplace_back(t.substr(0, eq), t.substr(eq + 1));
      else if (j + 1 < words.size() && !words[j + 1].text.starts_with("-"))
        cmd.flag_values.emplace_back(t, words[j + 1].text);
    } else {
      cmd.args.push_back(t);
    }
  }
}

std::optional<SimpleCommand> build_command(const std::vector<Word>& words) {
  SimpleCommand cmd;
  std::size_t k = 0;
  for (; k < words.size(); ++k) {
    if (is_assignment(words[k]))
      cmd.assignments.push_back(words[k].text);
    else if (!is_transparent_keyword(words[k].text))
      break;
  }
  if (k < words.size() && is_opaque_keyword(words[k].text)) return std::nullopt;
  // Each pass consumes at least the wrapper's own word, so this ends.
  while (k < words.size()) {
    const Wrapper* w = find_wrapper(program_basename(words[k].text));
    if (w == nullptr) break;
    std::vector<std::string> assignments;
    const std::size_t run = wrapped_command(words, k + 1, *w, assignments);
    if (run == npos) break;
    cmd.assignments.insert(cmd.assignments.end(), assignments.begin(), assignments.end());
    k = run;
  }
  // `python -m pip install` runs pip: the module is the program.
  const auto is_python = [](std::string_view name) {
    return name == "python" || name == "python2" || name == "python3" ||
           (name.starts_with("python3.") && name.size() <= 10);
  };
  if (k + 2 < words.size() && is_python(program_basename(words[k].text)) && words[k + 1].text == "-m") k += 2;
  if (k < words.size()) {
    cmd.program = words[k].text;
    cmd.name = program_basename(cmd.program);
    add_arguments(words, k + 1, cmd);
  }
  if (cmd.program.empty() && cmd.assignments.empty()) return std::nullopt;
  return cmd;
}

// One level of a command line: the top level, or the inside of one substitution.
class Splitter {
public:
  Splitter(std::string_view s, int depth, std::vector<SimpleCommand>& out) : s_(s), depth_(depth), out_(out) {}

  void run() {
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (is_blank(c) || (c == '\\' && peek(1) == '\n')) {
        advance(c == '\\' ? 2 : 1);
      } else if (c == '\n') {
        ++i_;
        end_command();
        i_ = skip_heredoc_bodies(s_, i_, heredocs_);
        heredocs_.clear();
      } else if (c == '#') {
        i_ = skip_line(s_, i_);
      } else if (c == '&' && peek(1) == '>') {
        advance(peek(2) == '>' ? 3 : 2);  // &> and &>> redirect both outputs
        pending_ = Pending::target;
      } else if (c == ';' || c == '&' || c == '|' || c == '(' || c == ')') {
        // && || ;; |& are two of these in a row: the second ends an empty command.
        end_command();
        ++i_;
      } else if ((c == '<' || c == '>') && peek(1) != '(') {
        read_redirection();
      } else {
        take_word();
      }
    }
    end_command();
  }

private:
  enum class Pending { none, target, heredoc, heredoc_strip_tabs };

  char peek(std::size_t k) const { return i_ + k < s_.size() ? s_[i_ + k] : '\0'; }
  void advance(std::size_t k) { i_ = std::min(i_ + k, s_.size()); }

  void read_redirection() {
    const std::string_view rest = s_.substr(i_);
    pending_ = Pending::target;
    if (rest.starts_with("<<<")) {
      advance(3);
    } else if (rest.starts_with("<<-")) {
      advance(3);
      pending_ = Pending::heredoc_strip_tabs;
    } else if (rest.starts_with("<<")) {
      advance(2);
      pending_ = Pending::heredoc;
    } else if (rest.starts_with("<>") || rest.starts_with("<&") || rest.starts_with(">>") || rest.starts_with(">&") ||
               rest.starts_with(">|")) {
      advance(2);
    } else {
      advance(1);
    }
  }

  void take_word() {
    Word w = read_word();
    // `2>file`: the digits are the descriptor of the redirection that follows.
    const bool descriptor = !w.text.empty() && w.first_quoted == npos && (peek(0) == '<' || peek(0) == '>') &&
                            std::all_of(w.text.begin(), w.text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (descriptor) return;
    const Pending pending = std::exchange(pending_, Pending::none);
    if (pending == Pending::heredoc || pending == Pending::heredoc_strip_tabs) {
      heredocs_.push_back({w.text, pending == Pending::heredoc_strip_tabs});
    } else if (pending == Pending::none) {
      words_.push_back(std::move(w));
    }
  }

  Word read_word() {
    Word w;
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (c == '(' && is_array_start(w)) {
        append_raw_until(w, closing_paren(s_, i_ + 1));
      } else if ((c == '<' || c == '>') && peek(1) == '(') {
        substitution(w, i_ + 2);  // process substitution <(cmd) >(cmd)
      } else if (ends_word(c)) {
        break;
      } else if (c == '\\') {
        if (i_ + 1 < s_.size() && s_[i_ + 1] != '\n') {
          mark_quoted(w);
          w.text += s_[i_ + 1];
        }
        advance(2);
      } else if (c == '\'') {
        single_quoted(w);
      } else if (c == '"') {
        double_quoted(w);
      } else if (c == '$') {
        dollar(w, false);
      } else if (c == '`') {
        backtick(w);
      } else {
        w.text += c;
        ++i_;
      }
    }
    return w;
  }

  static bool is_array_start(const Word& w) {
    return w.text.size() >= 2 && w.text.back() == '=' && w.text.find('=') == w.text.size() - 1 && is_assignment(w);
  }

  static void mark_quoted(Word& w) {
    if (w.first_quoted == npos) w.first_quoted = w.text.size();
  }

  // Appends s_[i_ .. close] as written and moves past it.
  void append_raw_until(Word& w, std::size_t close) {
    const std::size_t end = std::min(close + 1, s_.size());
    w.text.append(s_.substr(i_, end - i_));
    i_ = end;
  }

  void single_quoted(Word& w) {
    mark_quoted(w);
    const std::size_t e = s_.find('\'', i_ + 1);
    const std::size_t stop = e == npos ? s_.size() : e;
    w.text.append(s_.substr(i_ + 1, stop - i_ - 1));
    i_ = std::min(stop + 1, s_.size());
  }

  void double_quoted(Word& w) {
    mark_quoted(w);
    ++i_;
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (c == '"') {
        ++i_;
        return;
      }
      if (c == '\\' && i_ + 1 < s_.size()) {
        // Only these are escapes inside double quotes; any other backslash is kept.
        const char n = s_[i_ + 1];
        const bool escape = n == '$' || n == '`' || n == '"' || n == '\\' || n == '\n';
        if (!escape)
          w.text += '\\';
        else if (n != '\n')
          w.text += n;
        advance(escape ? 2 : 1);
      } else if (c == '$') {
        dollar(w, true);
      } else if (c == '`') {
        backtick(w);
      } else {
        w.text += c;
        ++i_;
      }
    }
  }

  // $'...': the escapes that change a character's meaning are decoded; numeric escapes are kept
  // as written, so valid UTF-8 in gives valid UTF-8 out.
  void ansi_c_quoted(Word& w) {
    mark_quoted(w);
    advance(2);
    while (i_ < s_.size() && s_[i_] != '\'') {
      if (s_[i_] != '\\') {
        w.text += s_[i_++];
        continue;
      }
      const char n = peek(1);
      switch (n) {
        case 'n': w.text += '\n'; break;
        case 't': w.text += '\t'; break;
        case 'r': w.text += '\r'; break;
        case '\\':
        case '\'':
        case '"': w.text += n; break;
        case '\0': break;
        default:
          w.text += '\\';
          w.text += n;
          break;
      }
      advance(2);
    }
    advance(1);
  }

  void dollar(Word& w, bool in_double_quotes) {
    const char n = peek(1);
    if (n == '(') {
      substitution(w, i_ + 2);
    } else if (n == '{') {
      append_raw_until(w, closing_brace(s_, i_ + 2));
    } else if (n == '\'' && !in_double_quotes) {
      ansi_c_quoted(w);
    } else if (n == '"' && !in_double_quotes) {
      ++i_;  // $"..." is a translated string: quoted like "..."
      double_quoted(w);
    } else {
      w.text += '$';
      ++i_;
    }
  }

  // `$(`, `<(` or `>(` at i_, its inside starting at `inner`. $(( )) is arithmetic, not a command.
  void substitution(Word& w, std::size_t inner) {
    const std::size_t close = closing_paren(s_, inner);
    const bool arithmetic = inner < s_.size() && s_[inner] == '(' && s_[i_] == '$';
    if (!arithmetic && inner < close) inner_.emplace_back(s_.substr(inner, close - inner));
    append_raw_until(w, close);
  }

  void backtick(Word& w) {
    const std::size_t start = i_ + 1;
    const std::size_t close = closing_backtick(s_, start);
    std::string inner;
    for (std::size_t k = start; k < close && k < s_.size(); ++k) {
      // Inside backticks \` \$ \\ stand for the character itself.
      if (s_[k] == '\\' && k + 1 < close && (s_[k + 1] == '`' || s_[k + 1] == '$' || s_[k + 1] == '\\')) ++k;
      inner += s_[k];
    }
    if (!inner.empty()) inner_.push_back(std::move(inner));
    append_raw_until(w, close);
  }

  // The inner commands come first: the shell runs them before the command that uses their output.
  void end_command() {
    pending_ = Pending::none;
    std::vector<std::string> inner = std::move(inner_);
    inner_.clear();
    if (depth_ < kMaxDepth)
      for (const std::string& text : inner) Splitter(text, depth_ + 1, out_).run();
    if (!words_.empty())
      if (auto cmd = build_command(words_)) out_.push_back(std::move(*cmd));
    words_.clear();
  }

  std::string_view s_;
  std::size_t i_ = 0;
  int depth_;
  std::vector<SimpleCommand>& out_;
  std::vector<Word> words_;          // of the simple command being read
  std::vector<std::string> inner_;   // its command substitutions, split when it ends
  std::vector<Heredoc> heredocs_;    // opened on the current line, bodies start after it
  Pending pending_ = Pending::none;  // what the next word is for
};

}  // namespace

std::vector<SimpleCommand> split_command_line(std::string_view command) {
  std::vector<SimpleCommand> out;
  Splitter(command, 0, out).run();
  return out;
}

std::vector<std::string_view> shell_words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_ascii_space(s[i])) ++i;
    if (i == s.size()) break;
    const std::size_t start = i;
    char quote = 0;
    for (; i < s.size(); ++i) {
      const char c = s[i];
      if (quote) {
        if (c == quote)
          quote = 0;
        else if (c == '\\' && quote == '"' && i + 1 < s.size())
          ++i;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '\\' && i + 1 < s.size()) {
        ++i;
      } else if (is_ascii_space(c)) {
        break;
      }
    }
    out.push_back(s.substr(start, i - start));
  }
  return out;
}

std::string program_basename(std::string_view program) {
  const std::size_t slash = program.find_last_of("/\\");
  return std::string(slash == std::string_view::npos ? program : program.substr(slash + 1));
}

}  // namespace pat
