#include "detect/repeated_work.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "util/command_line.hpp"
#include "util/content_hash.hpp"
#include "util/time_format.hpp"
#include "util/utf8.hpp"

namespace pat {
namespace {

constexpr std::string_view kWild = "<*>";
constexpr std::size_t kMaxSamples = 5;         // sample values kept per variable field
constexpr std::size_t kMaxValueBytes = 200;    // of a value shown in invariants and variables
constexpr std::size_t kMaxShownBytes = 60;     // of an invariant value inside a template
constexpr std::size_t kMaxFields = 64;         // input fields tracked per group
constexpr std::size_t kMaxArgs = 32;           // command arguments tracked by position
constexpr std::size_t kMaxCommandTokens = 64;  // tokens kept in a command-line template
constexpr std::size_t kMaxTokenBytes = 200;    // longer tokens (inline scripts) become <*>
constexpr std::size_t kMaxDurations = 256;     // reservoir for the median duration
constexpr std::size_t kMaxPoolFiles = 50;      // recent files per extension not yet in a group
constexpr std::size_t kMaxFileLines = 300;     // lines of a written file compared and templated
constexpr std::size_t kMaxLineBytes = 300;
constexpr std::size_t kMaxTargetBytes = 64;
constexpr double kFileSimilarity = 0.6;

bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool is_non_ascii(char c) { return (static_cast<unsigned char>(c) & 0x80u) != 0; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep, bool skip_empty = false) {
  std::string out;
  bool first = true;
  for (const auto& p : parts) {
    if (skip_empty && p.empty()) continue;
    if (!first) out += sep;
    out += p;
    first = false;
  }
  return out;
}

// ':' separates the parts of a signature, so a part must not contain one.
std::string signature_part(std::string_view s) {
  std::string out(utf8_prefix(s, kMaxTargetBytes));
  for (char& c : out)
    if (c == ':' || is_space(c)) c = '_';
  return out;
}

std::string truncated(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  return std::string(utf8_prefix(s, max_bytes)) + "…";
}

std::chrono::milliseconds hours(double h) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(h * 3600000.0)));
}

// ---------------------------------------------------------------------------------------------
// Templates: token lists where <*> stands for whatever varies.

using Tokens = std::vector<std::string_view>;

// Words of a command line as written (quotes kept), so a quoted message is one token.
Tokens shell_tokens(std::string_view s) {
  Tokens out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    if (i == s.size()) break;
    const std::size_t start = i;
    char quote = 0;
    for (; i < s.size(); ++i) {
      const char c = s[i];
      if (quote) {
        if (c == quote) quote = 0;
        else if (c == '\\' && quote == '"' && i + 1 < s.size()) ++i;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '\\' && i + 1 < s.size()) {
        ++i;
      } else if (is_space(c)) {
        break;
      }
    }
    out.push_back(s.substr(start, i - start));
  }
  return out;
}

enum class TokenClass { letters, digits, space, other };

TokenClass token_class(char c) {
  if (is_alpha(c) || is_non_ascii(c)) return TokenClass::letters;
  if (is_digit(c)) return TokenClass::digits;
  if (is_space(c)) return TokenClass::space;
  return TokenClass::other;
}

// Tokens of source text or a path: runs of letters, of digits, of blanks, and single other
// characters, so "test_alpha.py" and "test_beta.py" differ in one token only.
Tokens text_tokens(std::string_view s) {
  Tokens out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s.substr(i, kWild.size()) == kWild) {
      out.push_back(kWild);
      i += kWild.size();
      continue;
    }
    const TokenClass cls = token_class(s[i]);
    std::size_t end = i + 1;
    if (cls != TokenClass::other)
      while (end < s.size() && token_class(s[end]) == cls) ++end;
    out.push_back(s.substr(i, end - i));
    i = end;
  }
  return out;
}

bool is_word_token(std::string_view t) {
  return !t.empty() && t != kWild && token_class(t[0]) != TokenClass::space &&
         token_class(t[0]) != TokenClass::other;
}

// Merges two templates of one thing: tokens that differ become <*>; when the numbers of tokens
// differ, everything between their common beginning and common end becomes one <*>.
Tokens merge_tokens(const Tokens& a, const Tokens& b) {
  if (a.size() == b.size()) {
    Tokens out(a);
    for (std::size_t i = 0; i < a.size(); ++i)
      if (a[i] != b[i]) out[i] = kWild;
    return out;
  }
  const std::size_t shorter = std::min(a.size(), b.size());
  std::size_t prefix = 0;
  while (prefix < shorter && a[prefix] == b[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < shorter - prefix && a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) ++suffix;
  Tokens out(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(prefix));
  if (out.empty() || out.back() != kWild) out.push_back(kWild);
  for (std::size_t i = a.size() - suffix; i < a.size(); ++i)
    if (a[i] != kWild || out.back() != kWild) out.push_back(a[i]);
  return out;
}

std::string join_tokens(const Tokens& tokens, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (i) out += sep;
    out += tokens[i];
  }
  return out;
}

std::string merge_text(std::string_view a, std::string_view b) {
  return join_tokens(merge_tokens(text_tokens(a), text_tokens(b)), "");
}

// A command line as a template to start from; long inline scripts and very long lines are
// cut to <*> so that a group's template stays small.
std::string command_template(std::string_view command) {
  Tokens tokens = shell_tokens(command);
  for (auto& t : tokens)
    if (t.size() > kMaxTokenBytes) t = kWild;
  if (tokens.size() > kMaxCommandTokens) {
    tokens.resize(kMaxCommandTokens - 1);
    tokens.push_back(kWild);
  }
  return join_tokens(tokens, " ");
}

std::string merge_command_templates(std::string_view a, std::string_view b) {
  return join_tokens(merge_tokens(shell_tokens(a), shell_tokens(b)), " ");
}

// ---------------------------------------------------------------------------------------------
// Commands: which simple command does the work, and what kind of work it is.

struct CommandView {
  std::string name, subcommand;
  std::vector<std::string> flags, args, assignments;
};

bool is_word(std::string_view s) {
  if (s.empty() || s.size() > kMaxTargetBytes || !is_alpha(s[0])) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return is_alpha(c) || is_digit(c) || c == '-' || c == '_' || c == '.' || c == '@' || c == '+' || c == ':';
  });
}

bool is_path(std::string_view s) {
  return s.find('/') != std::string_view::npos && s.find("://") == std::string_view::npos &&
         std::none_of(s.begin(), s.end(), is_space);
}

bool is_plain_word(std::string_view s) { return is_word(s) && s.find('.') == std::string_view::npos; }

bool one_of(std::string_view s, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), s) != names.end();
}

// Commands that prepare the shell rather than do the work: `cd x && pytest` is a pytest run.
bool is_setup(std::string_view name) {
  return one_of(name, {"cd", "pushd", "popd", "export", "source", ".", "set", "unset", "true", ":", "sleep",
                       "echo", "printf", "clear"});
}

const SimpleCommand* main_command(const std::vector<SimpleCommand>& commands) {
  const SimpleCommand* first = nullptr;
  for (const auto& c : commands) {
    if (c.name.empty()) continue;
    if (!first) first = &c;
    if (!is_setup(c.name)) return &c;
  }
  return first;
}

// The program at position `at` of the words after the current one becomes the program.
void run_instead(CommandView& c, std::size_t at) {
  std::vector<std::string> words;
  if (!c.subcommand.empty()) words.push_back(c.subcommand);
  words.insert(words.end(), c.args.begin(), c.args.end());
  if (at >= words.size()) return;
  c.name = words[at];
  c.subcommand.clear();
  std::size_t rest = at + 1;
  if (rest < words.size() && is_word(words[rest])) c.subcommand = words[rest++];
  c.args.assign(words.begin() + static_cast<std::ptrdiff_t>(rest), words.end());
}

// Runners whose next word names the program doing the work: `npx jest`, `python -m pytest`,
// `uv run pytest`, `bundle exec rspec`. Returns false when there is none.
bool unwrap_runner(CommandView& c) {
  const std::string_view first = !c.subcommand.empty() ? std::string_view(c.subcommand)
                                 : c.args.empty()        ? std::string_view()
                                                         : std::string_view(c.args[0]);
  if (one_of(c.name, {"npx", "pnpx", "bunx", "uvx"}) && is_plain_word(first)) {
    run_instead(c, 0);
    return true;
  }
  const auto module_flag = std::find(c.flags.begin(), c.flags.end(), "-m");
  if (one_of(c.name, {"python", "python3", "python2", "py"}) && module_flag != c.flags.end() &&
      is_plain_word(first)) {
    c.flags.erase(module_flag);
    run_instead(c, 0);
    return true;
  }
  const bool runs_next = (one_of(c.name, {"uv", "poetry", "pipenv", "pdm", "hatch", "rye"}) && c.subcommand == "run") ||
                         (one_of(c.name, {"bundle", "npm", "pnpm", "yarn"}) && c.subcommand == "exec");
  if (runs_next && !c.args.empty() && is_plain_word(c.args[0])) {
    run_instead(c, 1);
    return true;
  }
  return false;
}

CommandView view_of(const SimpleCommand& sc) {
  CommandView c{sc.name, sc.subcommand, sc.flags, sc.args, sc.assignments};
  for (int depth = 0; depth < 3; ++depth)  // `uv run python -m pytest`
    if (!unwrap_runner(c)) break;
  return c;
}

// Programs whose subcommand or script names the kind of work: `make test`, `npm run build`.
bool is_task_runner(std::string_view name) {
  return one_of(name, {"make",   "gmake",  "just",     "task",    "rake",      "npm",     "pnpm",    "yarn",
                       "bun",    "deno",   "cargo",    "go",      "dotnet",    "mvn",     "mvnw",    "gradle",
                       "gradlew", "sbt",   "mix",      "swift",   "zig",       "flutter", "dart",    "composer",
                       "pip",    "pip3",   "uv",       "poetry",  "pipenv",    "pdm",     "hatch",   "conda",
                       "mamba",  "apt",    "apt-get",  "brew",    "gem",       "bundle",  "dnf",     "yum",
                       "pacman", "apk",    "snap",     "nx",      "turbo",     "lerna",   "docker",  "docker-compose",
                       "bazel",  "bazelisk", "stack",  "cabal",   "nix",       "fly",     "flyctl",  "vercel",
                       "netlify", "firebase", "serverless", "sls", "cdk",      "cmake",   "ctest",   "tox"});
}

// The part of a script name before ':' ("test:unit" is a test).
std::string_view script_word(std::string_view s) { return s.substr(0, s.find(':')); }

bool uses_word(const CommandView& c, std::string_view word) {
  if (word.front() == '-') return std::find(c.flags.begin(), c.flags.end(), word) != c.flags.end();
  if (script_word(c.subcommand) == word) return true;
  // `npm run build`; also a subcommand the command line did not recognise as one (`make -j4 test`)
  const bool script_next = c.subcommand.empty() || one_of(c.subcommand, {"run", "run-script"});
  return script_next && !c.args.empty() && script_word(c.args[0]) == word;
}

struct KindRule {
  std::string_view program;  // "*": any task runner
  std::string_view word;     // a subcommand, script or flag the command uses
  std::string_view kind;
};

// First match wins: specific uses of a program, then the words task runners share.
constexpr KindRule kKindRules[] = {
    {"kubectl", "apply", "deploy"},   {"kubectl", "rollout", "deploy"}, {"terraform", "apply", "deploy"},
    {"tofu", "apply", "deploy"},      {"pulumi", "up", "deploy"},       {"docker", "push", "deploy"},
    {"cargo", "clippy", "lint"},      {"cargo", "fmt", "lint"},         {"go", "vet", "lint"},
    {"go", "fmt", "lint"},            {"cargo", "check", "build"},      {"cmake", "--build", "build"},
    {"go", "get", "install"},         {"npm", "i", "install"},          {"npm", "ci", "install"},
    {"npm", "add", "install"},        {"pnpm", "i", "install"},         {"pnpm", "add", "install"},
    {"yarn", "add", "install"},       {"bun", "add", "install"},        {"uv", "add", "install"},
    {"uv", "sync", "install"},        {"poetry", "add", "install"},     {"apk", "add", "install"},
    {"*", "test", "test"},            {"*", "tests", "test"},           {"*", "check", "test"},
    {"*", "build", "build"},          {"*", "compile", "build"},        {"*", "lint", "lint"},
    {"*", "install", "install"},      {"*", "deploy", "deploy"},        {"*", "publish", "deploy"},
};

// What a program does when no rule about its subcommand applies.
const std::unordered_map<std::string_view, std::string_view>& program_kinds() {
  static const auto kinds = [] {
    std::unordered_map<std::string_view, std::string_view> m;
    const auto add = [&m](std::string_view kind, std::initializer_list<std::string_view> programs) {
      for (auto p : programs) m.emplace(p, kind);
    };
    add("test", {"pytest", "py.test", "jest", "vitest", "mocha", "rspec", "phpunit", "ctest", "karma", "ava",
                 "playwright", "cypress", "bats", "tox", "nox"});
    add("build", {"make", "gmake", "cmake", "ninja", "meson", "bazel", "bazelisk", "tsc", "gcc", "g++", "clang",
                  "clang++", "cc", "c++", "javac", "rustc", "webpack", "esbuild", "rollup", "msbuild", "scons",
                  "mvn", "mvnw", "gradle", "gradlew"});
    add("lint", {"eslint", "ruff", "flake8", "pylint", "mypy", "pyright", "black", "isort", "prettier",
                 "shellcheck", "golangci-lint", "gofmt", "rustfmt", "rubocop", "stylelint", "clang-tidy",
                 "clang-format", "hadolint", "yamllint", "markdownlint", "biome", "cargo-clippy"});
    add("vcs", {"git", "hg", "svn", "gh", "jj"});
    add("deploy", {"helm", "ansible-playbook"});
    return m;
  }();
  return kinds;
}

std::string_view kind_of(const CommandView& c) {
  for (const auto& rule : kKindRules) {
    const bool program_matches = rule.program == "*" ? is_task_runner(c.name) : rule.program == c.name;
    if (program_matches && uses_word(c, rule.word)) return rule.kind;
  }
  const auto& kinds = program_kinds();
  const auto it = kinds.find(c.name);
  return it == kinds.end() ? std::string_view("run") : it->second;
}

std::string_view strip_extension(std::string_view name) {
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == name.size()) return name;
  const auto ext = name.substr(dot + 1);
  return std::any_of(ext.begin(), ext.end(), is_alpha) ? name.substr(0, dot) : name;
}

// What a path argument is about: the first directory of a relative path ("backend/tests" is
// backend), the last part of an absolute one, without a file extension.
std::string basename_ish(std::string_view arg) {
  if (is_path(arg)) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (start <= arg.size()) {
      const auto slash = std::min(arg.find('/', start), arg.size());
      const auto part = arg.substr(start, slash - start);
      const bool meaningful = part.find_first_not_of('.') != std::string_view::npos && part != "~";
      if (meaningful) parts.push_back(part);
      start = slash + 1;
    }
    if (parts.empty()) return "";
    return std::string(strip_extension(arg.front() == '/' ? parts.back() : parts.front()));
  }
  if (is_word(arg)) return std::string(strip_extension(arg));
  return "";
}

std::string target_of(const CommandView& c) {
  std::vector<std::string> parts{c.subcommand};
  if (!c.args.empty()) parts.push_back(basename_ish(c.args[0]));
  return signature_part(join(parts, "-", true));
}

// ---------------------------------------------------------------------------------------------
// What an event did, as the groups need it.

struct Field {
  std::string name;
  json value;              // as shown: long strings are cut
  std::uint64_t hash = 0;  // of the whole value, so that equal prefixes do not look equal
};

Field field_of(std::string name, const json& v) {
  Field f{std::move(name), nullptr, 0};
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    f.hash = hash64(s);
    f.value = truncated(s, kMaxValueBytes);
    return f;
  }
  const std::string text = dump_json(v);
  f.hash = hash64(text);
  f.value = text.size() <= kMaxValueBytes ? v : json(truncated(text, kMaxValueBytes));
  return f;
}

struct Execution {
  std::string signature;
  std::string shape;          // with the signature, what must be equal for runs to be alike
  std::vector<Field> fields;  // the input's parts, compared across runs
  std::string command;        // the command-line template of this run; empty for other tools
};

std::string operation_kind(const Event& e) {
  const auto it = e.extra.find("operation_kind");
  if (it == e.extra.end() || !it->is_string()) return "";
  return signature_part(lower(it->get_ref<const std::string&>()));
}

bool is_mcp(std::string_view tool) { return tool.substr(0, 5) == "mcp__"; }

const std::string* string_input(const Event& e, const char* key) {
  if (!e.input.is_object()) return nullptr;
  const auto it = e.input.find(key);
  return it != e.input.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}

const std::string* command_of(const Event& e) { return is_mcp(e.tool) ? nullptr : string_input(e, "command"); }

std::vector<Field> command_fields(const CommandView& c) {
  std::vector<Field> fields;
  const auto add = [&fields](std::string name, const std::string& value) {
    if (!value.empty()) fields.push_back(field_of(std::move(name), value));
  };
  add("program", c.name);
  add("subcommand", c.subcommand);
  add("flags", join(c.flags, " "));
  add("env", join(c.assignments, " "));
  for (std::size_t i = 0; i < c.args.size() && i < kMaxArgs; ++i) add("arg" + std::to_string(i + 1), c.args[i]);
  return fields;
}

std::optional<Execution> command_execution(const Event& e, const std::string& command) {
  const auto commands = split_command_line(command);
  const SimpleCommand* main = main_command(commands);
  if (!main) return std::nullopt;
  const CommandView c = view_of(*main);
  std::string kind = operation_kind(e);
  if (kind.empty()) kind = std::string(kind_of(c));
  Execution x;
  x.signature = join({kind, signature_part(c.name), target_of(c)}, ":", true);
  x.shape = "command\x1f" + c.name + '\x1f' + c.subcommand + '\x1f' + std::to_string(c.args.size());
  x.fields = command_fields(c);
  x.command = command_template(command);
  return x;
}

std::string extension_of(std::string_view path) {
  const auto base = path.substr(path.rfind('/') + 1);
  const auto dot = base.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return "";
  return lower(base.substr(dot + 1));
}

// A file's extension (its name when it has none), else the first short string parameter.
std::string tool_target(const json& input) {
  if (!input.is_object()) return "";
  for (const char* key : {"file_path", "notebook_path", "path"}) {
    const auto it = input.find(key);
    if (it == input.end() || !it->is_string()) continue;
    const std::string_view path = it->get_ref<const std::string&>();
    std::string ext = extension_of(path);
    if (ext.empty()) ext = path.substr(path.rfind('/') + 1);
    if (!ext.empty()) return signature_part(ext);
  }
  for (const auto& [key, value] : input.items()) {
    if (!value.is_string()) continue;
    const std::string_view s = value.get_ref<const std::string&>();
    if (!s.empty() && s.size() <= 32 && s.find('\n') == std::string_view::npos) return signature_part(s);
  }
  return "";
}

std::string tool_kind(const Event& e) {
  std::string kind = operation_kind(e);
  if (!kind.empty()) return kind;
  if (is_mcp(e.tool)) return "mcp";
  kind = lower(e.tool);
  // A generic record of a bare program ("command": "make") names the program as its tool.
  const auto& kinds = program_kinds();
  if (const auto it = kinds.find(kind); it != kinds.end()) return std::string(it->second);
  return signature_part(kind);
}

Execution tool_execution(const Event& e) {
  Execution x;
  x.signature = join({tool_kind(e), signature_part(e.tool), tool_target(e.input)}, ":", true);
  x.shape = "tool";
  if (e.input.is_object()) {
    for (const auto& [key, value] : e.input.items()) {
      x.shape += '\x1f' + key;
      if (x.fields.size() < kMaxFields) x.fields.push_back(field_of(key, value));
    }
  } else if (!e.input.is_null()) {
    x.shape += "\x1fvalue";
    x.fields.push_back(field_of("input", e.input));
  }
  return x;
}

std::optional<Execution> describe(const Event& e) {
  if (e.tool.empty()) return std::nullopt;
  if (const std::string* command = command_of(e)) return command_execution(e, *command);
  if (e.tool == "Bash") return std::nullopt;
  return tool_execution(e);
}

// ---------------------------------------------------------------------------------------------
// Per-group state, bounded whatever the number of events.

// Each input field: its first value and whether every later occurrence had the same, plus a
// few distinct values once it varies.
class FieldTracker {
public:
  void add(const std::vector<Field>& fields) {
    for (auto& [name, state] : fields_) state.present = false;
    for (const auto& f : fields) {
      auto it = fields_.find(f.name);
      if (it == fields_.end()) {
        if (fields_.size() >= kMaxFields) continue;
        if (seen_ == 0) {
          it = fields_.emplace(f.name, State{f.value, f.hash}).first;
        } else {  // absent from the earlier occurrences
          it = fields_.emplace(f.name, State{nullptr, 0}).first;
          it->second.vary(f.value);
        }
      } else if (it->second.varies || it->second.hash != f.hash) {
        it->second.vary(f.value);
      }
      it->second.present = true;
    }
    for (auto& [name, state] : fields_)
      if (!state.present) state.vary(nullptr);
    ++seen_;
  }

  json invariants() const {
    json out = json::object();
    for (const auto& [name, state] : fields_)
      if (!state.varies) out[name] = state.first;
    return out;
  }

  json variables() const {
    json out = json::object();
    for (const auto& [name, state] : fields_)
      if (state.varies) out[name] = state.samples;
    return out;
  }

  // "Tool key=value key=<*>": the invariant values, short, and <*> for the others.
  std::string tool_template(const std::string& tool) const {
    std::string out = tool;
    for (const auto& [name, state] : fields_) {
      out += ' ' + name + '=';
      if (state.varies) {
        out += kWild;
        continue;
      }
      std::string shown = state.first.is_string() ? state.first.get<std::string>() : dump_json(state.first);
      shown = shown.substr(0, shown.find('\n'));
      out += truncated(shown, kMaxShownBytes);
    }
    return out;
  }

private:
  struct State {
    json first;
    std::uint64_t hash = 0;
    bool varies = false;
    bool present = false;
    json samples = json::array();

    void add_sample(const json& v) {
      if (samples.size() >= kMaxSamples) return;
      if (std::find(samples.begin(), samples.end(), v) == samples.end()) samples.push_back(v);
    }
    void vary(const json& value) {
      if (!varies) add_sample(first);
      varies = true;
      add_sample(value);
    }
  };
  std::map<std::string, State> fields_;
  std::size_t seen_ = 0;
};

// A uniform sample of the durations (reservoir sampling, with the event id's hash as the random
// choice so that the same input gives the same estimate).
class DurationSample {
public:
  void add(std::int64_t ms, std::string_view id) {
    ++seen_;
    if (values_.size() < kMaxDurations) {
      values_.push_back(ms);
      return;
    }
    const std::uint64_t slot = hash64(id, seen_) % seen_;
    if (slot < kMaxDurations) values_[slot] = ms;
  }
  std::size_t seen() const { return seen_; }
  std::int64_t median() const {
    std::vector<std::int64_t> v = values_;
    const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    if (v.size() % 2 == 1) return *mid;
    const std::int64_t upper = *mid;
    const std::int64_t lower_half = *std::max_element(v.begin(), mid);
    return lower_half + (upper - lower_half) / 2;
  }

private:
  std::vector<std::int64_t> values_;
  std::size_t seen_ = 0;
};

// One occurrence, as the counters need it.
struct Sighting {
  std::string id, ts;
  std::optional<TimePoint> time;
  std::optional<std::int64_t> duration_ms;
};

Sighting sighting_of(const Event& e, std::optional<TimePoint> t) { return {e.id, e.ts, t, e.duration_ms}; }

class Occurrences {
public:
  void add(const Sighting& s, std::size_t max_examples) {
    ++count_;
    if (examples_.size() < max_examples) examples_.push_back(s.id);
    if (s.duration_ms) durations_.add(*s.duration_ms, s.id);
    if (s.time && (!last_ || *s.time >= *last_)) {
      last_ = s.time;
      last_ts_ = s.ts;
    } else if (!last_ && last_ts_.empty()) {
      last_ts_ = s.ts;
    }
  }
  std::int64_t count() const { return count_; }

  // The candidate's counts, examples, time, savings and id.
  Candidate candidate(std::string type, std::string signature) const {
    Candidate c;
    c.type = std::move(type);
    c.signature = std::move(signature);
    c.occurrences = count_;
    c.examples = examples_;
    c.ts = last_ts_;
    c.estimated_savings = savings();
    std::string identity = c.type + '\n' + c.signature;
    for (const auto& id : examples_) identity += '\n' + id;
    c.id = content_hash(identity);
    return c;
  }

private:
  json savings() const {
    if (durations_.seen() == 0) return json{{"runs", count_}};
    const std::int64_t per_run = durations_.median();
    return json{{"per_run_ms", per_run},
                {"total_ms", per_run * count_},
                {"runs", count_},
                {"timed_runs", static_cast<std::int64_t>(durations_.seen())}};
  }

  std::int64_t count_ = 0;
  std::vector<std::string> examples_;
  std::optional<TimePoint> last_;
  std::string last_ts_;
  DurationSample durations_;
};

// Whether `needed` occurrences fell within one window of time. Only the times within a window
// of the newest are kept, and none once the count is reached, so fewer than `needed` stay. An
// occurrence older than a window before the newest seen is not counted.
class WindowCount {
public:
  void add(TimePoint t, std::chrono::milliseconds window, std::size_t needed) {
    if (reached_) return;
    recent_.insert(std::upper_bound(recent_.begin(), recent_.end(), t), t);
    const TimePoint oldest = recent_.back() - window;
    while (recent_.front() < oldest) recent_.pop_front();
    if (recent_.size() >= needed) {
      reached_ = true;
      recent_.clear();
    }
  }
  bool reached() const { return reached_; }

private:
  std::deque<TimePoint> recent_;
  bool reached_ = false;
};

struct ExecutionGroup {
  std::string signature, tool;
  bool command_line = false;
  std::string command;  // merged command-line template
  FieldTracker fields;
  Occurrences occurrences;
  WindowCount window;
};

struct FailureGroup {
  std::string tool, template_text;
  FieldTracker fields;
  Occurrences occurrences;
};

// ---------------------------------------------------------------------------------------------
// Written files.

struct FileText {
  std::vector<std::string> lines;
  std::vector<std::uint64_t> line_set;  // sorted distinct hashes of the lines
  bool blank = true;
};

FileText file_text(std::string_view content) {
  FileText f;
  std::size_t start = 0;
  while (start < content.size() && f.lines.size() < kMaxFileLines) {
    const auto nl = std::min(content.find('\n', start), content.size());
    std::string_view line = content.substr(start, nl - start);
    while (!line.empty() && is_space(line.back())) line.remove_suffix(1);
    if (!line.empty()) f.blank = false;
    f.lines.emplace_back(utf8_prefix(line, kMaxLineBytes));
    start = nl + 1;
  }
  for (const auto& l : f.lines) f.line_set.push_back(hash64(l));
  std::sort(f.line_set.begin(), f.line_set.end());
  f.line_set.erase(std::unique(f.line_set.begin(), f.line_set.end()), f.line_set.end());
  return f;
}

// Dice coefficient of the two sets of lines.
double line_similarity(const FileText& a, const FileText& b) {
  std::size_t common = 0;
  auto i = a.line_set.begin();
  auto j = b.line_set.begin();
  while (i != a.line_set.end() && j != b.line_set.end()) {
    if (*i < *j) {
      ++i;
    } else if (*j < *i) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  const std::size_t total = a.line_set.size() + b.line_set.size();
  return total == 0 ? 0.0 : 2.0 * static_cast<double>(common) / static_cast<double>(total);
}

// Lines that differ only in some of their words, no more than they share ("import os" and
// "import sys", not "x = 1" and "y = 2").
bool lines_alike(std::string_view a, std::string_view b) {
  if (a == b) return true;
  const Tokens ta = text_tokens(a);
  const Tokens tb = text_tokens(b);
  if (ta.size() != tb.size()) return false;
  std::size_t shared = 0, differing = 0;
  for (std::size_t i = 0; i < ta.size(); ++i) {
    if (ta[i] == tb[i]) shared += is_word_token(ta[i]) ? 1 : 0;
    else if (is_word_token(ta[i]) && is_word_token(tb[i])) ++differing;
    else return false;
  }
  return shared >= differing;
}

// The same lines in the same order, most of them equal or alike.
bool same_structure(const FileText& a, const FileText& b) {
  if (a.lines.size() != b.lines.size() || a.lines.empty()) return false;
  std::size_t alike = 0;
  for (std::size_t i = 0; i < a.lines.size(); ++i) alike += lines_alike(a.lines[i], b.lines[i]) ? 1 : 0;
  return static_cast<double>(alike) >= kFileSimilarity * static_cast<double>(a.lines.size());
}

bool similar_files(const FileText& a, const FileText& b) {
  return line_similarity(a, b) >= kFileSimilarity || same_structure(a, b);
}

void add_wild_line(std::vector<std::string>& out) {
  if (out.empty() || out.back() != kWild) out.emplace_back(kWild);
}

// Merges a file into a template of lines: lines in common (longest common subsequence) stay;
// between them, runs of equal length are merged line by line, others become one <*> line.
void merge_lines(std::vector<std::string>& tmpl, const std::vector<std::string>& lines) {
  const std::size_t n = tmpl.size(), m = lines.size();
  std::vector<std::uint16_t> lcs((n + 1) * (m + 1), 0);
  const auto at = [m, &lcs](std::size_t i, std::size_t j) -> std::uint16_t& { return lcs[i * (m + 1) + j]; };
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      at(i, j) = tmpl[i] == lines[j] ? static_cast<std::uint16_t>(at(i + 1, j + 1) + 1)
                                     : std::max(at(i + 1, j), at(i, j + 1));
  std::vector<std::string> out;
  std::size_t i = 0, j = 0, gap_i = 0, gap_j = 0;
  const auto flush_gap = [&] {
    if (i - gap_i == j - gap_j) {
      for (std::size_t k = 0; k < i - gap_i; ++k) out.push_back(merge_text(tmpl[gap_i + k], lines[gap_j + k]));
    } else {
      add_wild_line(out);
    }
  };
  while (i < n && j < m) {
    if (tmpl[i] == lines[j]) {
      flush_gap();
      out.push_back(tmpl[i]);
      gap_i = ++i;
      gap_j = ++j;
    } else if (at(i + 1, j) >= at(i, j + 1)) {
      ++i;
    } else {
      ++j;
    }
  }
  i = n;
  j = m;
  flush_gap();
  tmpl = std::move(out);
}

struct WrittenFile {
  Sighting seen;
  std::string path;  // relative to the working directory when inside it
  FileText text;
};

struct FileGroup {
  std::string extension;
  FileText first;  // later files join when similar to the first one
  std::vector<std::string> lines;
  std::string path;
  json paths = json::array();  // a few of the paths written
  Occurrences occurrences;

  void add(const WrittenFile& f, std::size_t max_examples) {
    if (occurrences.count() == 0) {
      first = f.text;
      lines = f.text.lines;
      path = f.path;
    } else {
      merge_lines(lines, f.text.lines);
      path = merge_text(path, f.path);
    }
    if (paths.size() < kMaxSamples && std::find(paths.begin(), paths.end(), f.path) == paths.end())
      paths.push_back(f.path);
    occurrences.add(f.seen, max_examples);
  }

  Candidate candidate() const {
    Candidate c = occurrences.candidate("file_template", join({"file", extension, path}, ":", true));
    const auto in_common = std::count_if(lines.begin(), lines.end(), [](const std::string& l) {
      return l.find(kWild) == std::string::npos;
    });
    c.invariants = json{{"extension", extension}, {"lines_in_common", static_cast<std::int64_t>(in_common)}};
    c.variables = json{{"file_path", paths}};
    c.template_text = join(lines, "\n");
    return c;
  }
};

// Files of one extension: recent ones waiting for similar ones, and the groups formed.
struct FilesOfExtension {
  std::deque<WrittenFile> recent;
  std::optional<TimePoint> newest;
  std::vector<FileGroup> groups;
};

std::string shown_path(const Event& e, const std::string& path) {
  if (!e.cwd.empty() && path.size() > e.cwd.size() + 1 && path.compare(0, e.cwd.size(), e.cwd) == 0 &&
      path[e.cwd.size()] == '/')
    return path.substr(e.cwd.size() + 1);
  return path;
}

}  // namespace

struct RepeatedWork::Impl {
  RepeatedWorkOptions options;
  std::unordered_map<std::string, ExecutionGroup> executions;  // by signature and shape
  std::unordered_map<std::string, FilesOfExtension> files;     // by extension
  std::unordered_map<std::string, FailureGroup> failures;      // by tool and template

  void add_execution(const Event& e, TimePoint t, Execution&& x) {
    ExecutionGroup& g = executions[x.signature + '\x1e' + x.shape];
    if (g.occurrences.count() == 0) {
      g.signature = x.signature;
      g.tool = e.tool;
      g.command_line = !x.command.empty();
      g.command = x.command;
    } else if (g.command_line) {
      g.command = merge_command_templates(g.command, x.command);
    }
    g.fields.add(x.fields);
    g.occurrences.add(sighting_of(e, t), options.max_examples);
    g.window.add(t, hours(options.execution_window_days * 24), options.min_occurrences);
  }

  void add_written_file(const Event& e, TimePoint t) {
    const std::string* path = string_input(e, "file_path");
    const std::string* content = string_input(e, "content");
    if (!path || !content) return;
    WrittenFile f{sighting_of(e, t), shown_path(e, *path), file_text(*content)};
    if (f.text.blank) return;
    FilesOfExtension& x = files[extension_of(*path)];
    for (auto& g : x.groups) {
      if (similar_files(g.first, f.text)) {
        g.add(f, options.max_examples);
        return;
      }
    }
    const TimePoint oldest = forget_old_files(x, t);
    if (t < oldest) return;  // too long before the newest to share a window with it
    if (!form_group(x, f)) {
      x.recent.push_back(std::move(f));
      if (x.recent.size() > kMaxPoolFiles) x.recent.pop_front();
    }
  }

  // Drops the waiting files no longer within a window of the newest; returns the window start.
  TimePoint forget_old_files(FilesOfExtension& x, TimePoint t) {
    x.newest = x.newest ? std::max(*x.newest, t) : t;
    const TimePoint oldest = *x.newest - hours(options.file_window_hours);
    std::erase_if(x.recent, [oldest](const WrittenFile& w) { return *w.seen.time < oldest; });
    return oldest;
  }

  // With enough waiting files similar to `f`, they and `f` form a group and stop waiting.
  bool form_group(FilesOfExtension& x, const WrittenFile& f) {
    std::vector<std::size_t> similar;
    for (std::size_t i = 0; i < x.recent.size(); ++i)
      if (similar_files(x.recent[i].text, f.text)) similar.push_back(i);
    if (similar.size() + 1 < std::max<std::size_t>(options.min_occurrences, 1)) return false;
    std::vector<const WrittenFile*> members;
    for (const std::size_t i : similar) members.push_back(&x.recent[i]);
    members.push_back(&f);
    std::stable_sort(members.begin(), members.end(),
                     [](const WrittenFile* a, const WrittenFile* b) { return *a->seen.time < *b->seen.time; });
    FileGroup g;
    g.extension = extension_of(f.path);
    for (const WrittenFile* w : members) g.add(*w, options.max_examples);
    x.groups.push_back(std::move(g));
    for (auto i = similar.rbegin(); i != similar.rend(); ++i)
      x.recent.erase(x.recent.begin() + static_cast<std::ptrdiff_t>(*i));
    return true;
  }
};

RepeatedWork::RepeatedWork(RepeatedWorkOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
}

RepeatedWork::~RepeatedWork() = default;

void RepeatedWork::add_success(const Event& e) {
  if (e.outcome == Outcome::failure) return;
  const auto t = parse_time(e.ts);
  if (!t) return;  // without a time it cannot be placed in a window
  if (auto x = describe(e)) impl_->add_execution(e, *t, std::move(*x));
  if (e.tool == "Write") impl_->add_written_file(e, *t);
}

void RepeatedWork::add_failure(const Event& e, const std::string& template_text) {
  if (template_text.empty()) return;
  FailureGroup& g = impl_->failures[e.tool + '\x1e' + template_text];
  if (g.occurrences.count() == 0) {
    g.tool = e.tool;
    g.template_text = template_text;
  }
  if (auto x = describe(e)) g.fields.add(x->fields);
  g.occurrences.add(sighting_of(e, parse_time(e.ts)), impl_->options.max_examples);
}

std::vector<Candidate> RepeatedWork::candidates() const {
  std::vector<Candidate> out;
  for (const auto& [key, g] : impl_->executions) {
    if (!g.window.reached()) continue;
    Candidate c = g.occurrences.candidate("repeated_execution", g.signature);
    c.invariants = g.fields.invariants();
    c.variables = g.fields.variables();
    c.template_text = g.command_line ? g.command : g.fields.tool_template(g.tool);
    out.push_back(std::move(c));
  }
  for (const auto& [ext, x] : impl_->files)
    for (const auto& g : x.groups) out.push_back(g.candidate());
  const auto needed = static_cast<std::int64_t>(impl_->options.min_occurrences);
  for (const auto& [key, g] : impl_->failures) {
    if (g.occurrences.count() < needed) continue;
    const std::string signature = "anti-pattern:" + g.tool + ':' + content_hash(g.template_text).substr(0, 16);
    Candidate c = g.occurrences.candidate("anti_pattern", signature);
    c.invariants = g.fields.invariants();
    c.variables = g.fields.variables();
    c.template_text = g.template_text;
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) {
    return std::tie(a.type, a.signature, a.id) < std::tie(b.type, b.signature, b.id);
  });
  return out;
}

std::string RepeatedWork::signature(const Event& e) {
  const auto x = describe(e);
  return x ? x->signature : std::string();
}

}  // namespace pat
