#include "mistake/call_check.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>

#include "mistake/signature.hpp"

namespace pat {
namespace {

constexpr std::size_t kMaxPathsPerPredicate = 16;  // stat at most this many values of one part

bool is_missing(const json& input, const std::string& key) {
  if (!input.is_object()) return true;
  const auto it = input.find(key);
  return it == input.end() || it->is_null() || (it->is_string() && it->get_ref<const std::string&>().empty());
}

bool any_of_values(const CallView& call, const Part& part, const auto& test) {
  for (const auto& v : call.values(part))
    if (test(v)) return true;
  return false;
}

bool path_holds(const PathIs& p, const CallView& call, CheckContext& context) {
  std::size_t looked = 0;
  for (const auto& v : call.values(p.part)) {
    if (v.empty() || ++looked > kMaxPathsPerPredicate) break;
    const auto state = context.path_state(v, call);
    if (!state) continue;
    switch (p.fact) {
      case PathFact::missing:
        if (!state->exists) return true;
        break;
      case PathFact::directory:
        if (state->exists && state->directory) return true;
        break;
      case PathFact::file:
        if (state->exists && !state->directory) return true;
        break;
      case PathFact::larger_than:
        if (state->exists && !state->directory && state->size > p.bytes) return true;
        break;
    }
  }
  return false;
}

struct Evaluator {
  const CallView& call;
  CheckContext& context;

  bool operator()(const ParamIs& p) const { return is_missing(call.input(), p.param) == p.missing; }
  bool operator()(const ValueIn& p) const {
    return any_of_values(call, p.part,
                         [&](const std::string& v) { return std::binary_search(p.values.begin(), p.values.end(), v); });
  }
  bool operator()(const ShapeIs& p) const {
    return any_of_values(call, p.part, [&](const std::string& v) { return fits(p.signature, v); });
  }
  bool operator()(const LengthIn& p) const {
    return any_of_values(call, p.part,
                         [&](const std::string& v) { return v.size() >= p.lo && (!p.hi || v.size() <= *p.hi); });
  }
  bool operator()(const AffixIs& p) const {
    return any_of_values(call, p.part, [&](const std::string& v) {
      return v.size() > p.text.size() && (p.suffix ? v.ends_with(p.text) : v.starts_with(p.text));
    });
  }
  bool operator()(const PathIs& p) const { return path_holds(p, call, context); }
  bool operator()(const SessionLacks& p) const {
    const auto ran = context.session_ran(p, call);
    return ran && !*ran;
  }
};

}  // namespace

const std::vector<SimpleCommand>& CallView::commands(const std::string& param) const {
  auto it = commands_.find(param);
  if (it == commands_.end()) {
    std::vector<SimpleCommand> split;
    if (const auto text = scalar_text(input_, param)) split = split_command_line(*text);
    it = commands_.emplace(param, std::move(split)).first;
  }
  return it->second;
}

std::vector<std::string> CallView::values(const Part& part) const {
  std::vector<std::string> out;
  if (part.shell == ShellPart::none) {
    if (auto v = scalar_text(input_, part.param)) out.push_back(std::move(*v));
    return out;
  }
  for (const SimpleCommand& c : commands(part.param)) {
    if (part.shell == ShellPart::program) {
      // As written: `quillctl` (looked up in PATH) and `./bin/quillctl` are not the same call.
      if (!c.program.empty()) out.push_back(c.program);
      continue;
    }
    if (!part.program.empty() && c.name != part.program) continue;
    switch (part.shell) {
      case ShellPart::subcommand:
        if (!c.subcommand.empty()) out.push_back(c.subcommand);
        break;
      case ShellPart::flag: out.insert(out.end(), c.flags.begin(), c.flags.end()); break;
      case ShellPart::flag_value:
        for (const auto& [flag, value] : c.flag_values)
          if (flag == part.name) out.push_back(value);
        break;
      case ShellPart::argument: out.insert(out.end(), c.args.begin(), c.args.end()); break;
      case ShellPart::env:
        for (const auto& a : c.assignments)
          if (a.size() > part.name.size() && a.compare(0, part.name.size(), part.name) == 0 &&
              a[part.name.size()] == '=')
            out.push_back(a.substr(part.name.size() + 1));
        break;
      case ShellPart::none:
      case ShellPart::program: break;
    }
  }
  return out;
}

bool holds(const Predicate& p, const CallView& call, CheckContext& context) {
  return std::visit(Evaluator{call, context}, p);
}

bool matches(const Check& c, const CallView& call, CheckContext& context) {
  if (c.all.empty()) return false;
  try {
    // The predicates on the session come last: patcheck answers the others from the call and
    // the file system alone, and opens the store only for a check they all let through.
    for (const bool session : {false, true})
      for (const auto& p : c.all)
        if (std::holds_alternative<SessionLacks>(p) == session && !holds(p, call, context)) return false;
    return true;
  } catch (...) {
    return false;  // a check that cannot be evaluated must not stop a call
  }
}

std::string session_feature(const SessionLacks& need) {
  std::string key = need.tool;
  if (!need.program.empty())
    key += "\x1fprogram=" + need.program + (need.subcommand.empty() ? "" : " " + need.subcommand);
  if (!need.same.empty()) key += "\x1fsame=" + need.same;
  if (need.same_cwd) key += "\x1fsame_cwd";
  return key;
}

PathState stat_path(const std::string& full) {
  struct stat st {};
  PathState s;
  if (::stat(full.c_str(), &st) == 0) {
    s.exists = true;
    s.directory = S_ISDIR(st.st_mode);
    s.size = s.directory ? 0 : static_cast<std::uint64_t>(st.st_size);
  }
  return s;
}

std::string resolve_path(const std::string& path, const std::string& cwd) {
  // "~" and "~/x" as the shell expands them ("~user" is left alone: it names no path here).
  if (path == "~" || path.starts_with("~/")) {
    const char* home = std::getenv("HOME");
    if (home != nullptr && *home != '\0') return std::string(home) + path.substr(1);
    return path;
  }
  if (path.empty() || path[0] == '/' || path[0] == '~' || cwd.empty()) return path;
  return cwd.back() == '/' ? cwd + path : cwd + "/" + path;
}

}  // namespace pat
