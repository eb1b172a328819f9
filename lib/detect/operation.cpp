#include "detect/operation.hpp"

#include <algorithm>
#include <unordered_map>

#include "util/command_line.hpp"
#include "util/content_hash.hpp"
#include "util/text.hpp"
#include "util/token_template.hpp"
#include "util/utf8.hpp"

namespace pat {
namespace {

constexpr std::size_t kMaxValueBytes = 200;    // of a value shown in invariants and variables
constexpr std::size_t kMaxFields = 64;         // input fields compared per run
constexpr std::size_t kMaxArgs = 32;           // command arguments compared by position
constexpr std::size_t kMaxCommandTokens = 64;  // tokens kept in a command-line template
constexpr std::size_t kMaxTokenBytes = 200;    // longer tokens (inline scripts) become <*>
constexpr std::size_t kMaxTargetBytes = 64;

// ':' separates the parts of a signature, so a part must not contain one.
std::string signature_part(std::string_view s) {
  std::string out(utf8_prefix(s, kMaxTargetBytes));
  for (char& c : out)
    if (c == ':' || is_ascii_space(c)) c = '_';
  return out;
}

// A command line as a template to start from; long inline scripts and very long lines are
// cut to <*> so that a group's template stays small.
std::string command_template(std::string_view command) {
  Tokens tokens = shell_words(command);
  for (auto& t : tokens)
    if (t.size() > kMaxTokenBytes) t = kWildcard;
  if (tokens.size() > kMaxCommandTokens) {
    tokens.resize(kMaxCommandTokens - 1);
    tokens.push_back(kWildcard);
  }
  return join_tokens(tokens, " ");
}

// ---- Commands: which simple command does the work, and what kind of work it is ----------------

struct CommandView {
  std::string name, subcommand;
  std::vector<std::string> flags, args, assignments;
};

bool is_word(std::string_view s) {
  if (s.empty() || s.size() > kMaxTargetBytes || !is_letter(s[0])) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return is_letter(c) || is_digit(c) || c == '-' || c == '_' || c == '.' || c == '@' || c == '+' || c == ':';
  });
}

bool is_path(std::string_view s) {
  return s.find('/') != std::string_view::npos && s.find("://") == std::string_view::npos &&
         std::none_of(s.begin(), s.end(), is_ascii_space);
}

bool is_plain_word(std::string_view s) { return is_word(s) && s.find('.') == std::string_view::npos; }

bool one_of(std::string_view s, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), s) != names.end();
}

// Commands that prepare the shell rather than do the work: `cd x && pytest` is a pytest run.
bool is_setup(std::string_view name) {
  return one_of(name, {"cd", "pushd", "popd", "export", "source", ".", "set", "unset", "true", ":", "sleep", "echo",
                       "printf", "clear"});
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
                                 : c.args.empty()      ? std::string_view()
                                                       : std::string_view(c.args[0]);
  if (one_of(c.name, {"npx", "pnpx", "bunx", "uvx"}) && is_plain_word(first)) {
    run_instead(c, 0);
    return true;
  }
  const auto module_flag = std::find(c.flags.begin(), c.flags.end(), "-m");
  if (one_of(c.name, {"python", "python3", "python2", "py"}) && module_flag != c.flags.end() && is_plain_word(first)) {
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
  return one_of(name, {"make",    "gmake",    "just",       "task",   "rake",   "npm",     "pnpm",   "yarn",
                       "bun",     "deno",     "cargo",      "go",     "dotnet", "mvn",     "mvnw",   "gradle",
                       "gradlew", "sbt",      "mix",        "swift",  "zig",    "flutter", "dart",   "composer",
                       "pip",     "pip3",     "uv",         "poetry", "pipenv", "pdm",     "hatch",  "conda",
                       "mamba",   "apt",      "apt-get",    "brew",   "gem",    "bundle",  "dnf",    "yum",
                       "pacman",  "apk",      "snap",       "nx",     "turbo",  "lerna",   "docker", "docker-compose",
                       "bazel",   "bazelisk", "stack",      "cabal",  "nix",    "fly",     "flyctl", "vercel",
                       "netlify", "firebase", "serverless", "sls",    "cdk",    "cmake",   "ctest",  "tox"});
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
    {"kubectl", "apply", "deploy"}, {"kubectl", "rollout", "deploy"}, {"terraform", "apply", "deploy"},
    {"tofu", "apply", "deploy"},    {"pulumi", "up", "deploy"},       {"docker", "push", "deploy"},
    {"cargo", "clippy", "lint"},    {"cargo", "fmt", "lint"},         {"go", "vet", "lint"},
    {"go", "fmt", "lint"},          {"cargo", "check", "build"},      {"cmake", "--build", "build"},
    {"go", "get", "install"},       {"npm", "i", "install"},          {"npm", "ci", "install"},
    {"npm", "add", "install"},      {"pnpm", "i", "install"},         {"pnpm", "add", "install"},
    {"yarn", "add", "install"},     {"bun", "add", "install"},        {"uv", "add", "install"},
    {"uv", "sync", "install"},      {"poetry", "add", "install"},     {"apk", "add", "install"},
    {"*", "test", "test"},          {"*", "tests", "test"},           {"*", "check", "test"},
    {"*", "build", "build"},        {"*", "compile", "build"},        {"*", "lint", "lint"},
    {"*", "install", "install"},    {"*", "deploy", "deploy"},        {"*", "publish", "deploy"},
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
    add("build", {"make",   "gmake",   "cmake",   "ninja", "meson", "bazel",  "bazelisk", "tsc",     "gcc",
                  "g++",    "clang",   "clang++", "cc",    "c++",   "javac",  "rustc",    "webpack", "esbuild",
                  "rollup", "msbuild", "scons",   "mvn",   "mvnw",  "gradle", "gradlew"});
    add("lint", {"eslint",   "ruff",         "flake8",    "pylint",      "mypy",          "pyright",
                 "black",    "isort",        "prettier",  "shellcheck",  "golangci-lint", "gofmt",
                 "rustfmt",  "rubocop",      "stylelint", "clang-tidy",  "clang-format",  "hadolint",
                 "yamllint", "markdownlint", "biome",     "cargo-clippy"});
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
  return std::any_of(ext.begin(), ext.end(), is_letter) ? name.substr(0, dot) : name;
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

// ---- What an event did, as the groups need it -------------------------------------------------

Field field_of(std::string name, const json& v) {
  Field f{std::move(name), nullptr, 0};
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    f.hash = hash64(s);
    f.value = utf8_truncated(s, kMaxValueBytes);
    return f;
  }
  const std::string text = dump_json(v);
  f.hash = hash64(text);
  f.value = text.size() <= kMaxValueBytes ? v : json(utf8_truncated(text, kMaxValueBytes));
  return f;
}

std::string operation_kind(const Event& e) {
  const auto it = e.extra.find("operation_kind");
  if (it == e.extra.end() || !it->is_string()) return "";
  return signature_part(to_lower(it->get_ref<const std::string&>()));
}

bool is_mcp(std::string_view tool) { return tool.substr(0, 5) == "mcp__"; }

const std::string* command_of(const Event& e) { return is_mcp(e.tool) ? nullptr : input_string(e, "command"); }

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
  kind = to_lower(e.tool);
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

}  // namespace

std::string merge_command_templates(std::string_view a, std::string_view b) {
  return join_tokens(merge_tokens(shell_words(a), shell_words(b)), " ");
}

std::string extension_of(std::string_view path) {
  const auto base = path.substr(path.rfind('/') + 1);
  const auto dot = base.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return "";
  return to_lower(base.substr(dot + 1));
}

std::optional<Execution> describe_execution(const Event& e) {
  if (e.tool.empty()) return std::nullopt;
  if (const std::string* command = command_of(e)) return command_execution(e, *command);
  if (e.tool == "Bash") return std::nullopt;
  return tool_execution(e);
}

}  // namespace pat
