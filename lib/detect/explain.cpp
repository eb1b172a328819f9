#include "detect/explain.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "mistake/call_check.hpp"
#include "mistake/describe.hpp"
#include "mistake/signature.hpp"
#include "util/command_line.hpp"

namespace pat {
namespace {

constexpr std::size_t kMaxShownValue = 40;  // longer values are not repeated in a fix

std::string_view category_lead(Category c) {
  switch (c) {
    case Category::parameter_format: return "A value in the wrong format";
    case Category::incorrect_parameter: return "A wrong parameter";
    case Category::workflow_sequence: return "A step taken out of order";
    case Category::missing_prerequisite: return "A prerequisite is missing";
  }
  return "A mistake";
}

const SessionLacks* session_of(const Check& c) {
  for (const auto& p : c.all)
    if (const auto* s = std::get_if<SessionLacks>(&p)) return s;
  return nullptr;
}

// What a failing call is about, for "before `X`": the main program of a command line, else the
// tool.
std::string subject(const std::string& tool, const json& input) {
  const auto it = input.is_object() ? input.find("command") : input.end();
  if (it != input.end() && it->is_string())
    for (const auto& c : split_command_line(it->get<std::string>()))
      if (!c.name.empty() && c.name != "cd") return c.name;
  return tool;
}

std::string step_name(const SessionLacks& s) {
  if (s.program.empty()) return s.tool;
  return s.subcommand.empty() ? s.program : s.program + " " + s.subcommand;
}

std::string run_before(const SessionLacks& s, const std::string& what) {
  std::string out = fmt::format("run `{}`", step_name(s));
  if (!s.same.empty()) out += fmt::format(" on the same `{}`", s.same);
  if (s.same_cwd) out += " in the same directory";
  return out + fmt::format(" before `{}`", what);
}

std::string text_of(const json& input, const std::string& key) {
  if (!input.is_object()) return {};
  const auto it = input.find(key);
  if (it == input.end() || it->is_null()) return {};
  return it->is_string() ? it->get<std::string>() : it->dump();
}

// Whether a later call ran what `need` names, for the failing call (same value, same directory).
bool provides(const SessionLacks& need, const LaterCall& c, const json& failing_input, const std::string& failing_cwd) {
  if (c.outcome != Outcome::success || c.tool != need.tool) return false;
  if (!need.same.empty() && text_of(*c.input, need.same) != text_of(failing_input, need.same)) return false;
  if (need.same_cwd && c.cwd != failing_cwd) return false;
  if (need.program.empty()) return true;
  const CallView view(*c.input, c.cwd);
  for (const auto& sc : view.commands("command"))
    if (sc.name == need.program && (need.subcommand.empty() || sc.subcommand == need.subcommand)) return true;
  return false;
}

// The shell words of a command line but the program's: the work it does.
std::set<std::string> command_words(const json& input) {
  std::set<std::string> out;
  const CallView view(input);
  for (const auto& c : view.commands("command")) {
    if (!c.subcommand.empty()) out.insert(c.subcommand);
    out.insert(c.args.begin(), c.args.end());
  }
  return out;
}

// The same work: the same tool, the other parameters the same (at most two added or changed,
// such as `limit`), and for a command line most of its words shared.
bool same_work(const json& a, const json& b) {
  if (!a.is_object() || !b.is_object()) return false;
  std::size_t changed = 0;
  std::set<std::string> keys;
  for (const auto& [k, v] : a.items()) keys.insert(k);
  for (const auto& [k, v] : b.items()) keys.insert(k);
  for (const auto& k : keys)
    if (k != "command" && k != "description" && text_of(a, k) != text_of(b, k)) ++changed;
  if (changed > 2) return false;
  if (!a.contains("command")) return true;
  const auto wa = command_words(a), wb = command_words(b);
  if (wa.empty() && wb.empty()) return true;
  std::vector<std::string> common;
  std::set_intersection(wa.begin(), wa.end(), wb.begin(), wb.end(), std::back_inserter(common));
  return common.size() * 2 >= std::max(wa.size(), wb.size());
}

std::string form_of(const std::string& value) {
  const auto sig = signature_of(value);
  return sig ? describe_signature(*sig) : "another value";
}

bool shows_value(const std::string& v) {
  return !v.empty() && v.size() <= kMaxShownValue && v.find('/') == std::string::npos &&
         v.find('\n') == std::string::npos;
}

// The fix a later call applied to one predicate's part, if it changed it.
std::string part_fix(const Predicate& p, const json& before, const json& after) {
  if (const auto* m = std::get_if<ParamIs>(&p)) {
    const bool had = !text_of(before, m->param).empty(), has = !text_of(after, m->param).empty();
    if (m->missing && !had && has) return fmt::format("pass `{}`", m->param);
    if (!m->missing && had && !has) return fmt::format("leave `{}` out", m->param);
    return {};
  }
  const Part* part = part_of(p);
  if (part == nullptr) return {};
  const CallView vb(before), va(after);
  const auto old_values = vb.values(*part), new_values = va.values(*part);
  if (old_values == new_values) return {};
  const std::string was = old_values.empty() ? "" : old_values.front();
  const std::string now = new_values.empty() ? "" : new_values.front();
  switch (part->shell) {
    case ShellPart::program:
      if (now.empty()) return fmt::format("do not run `{}`", was);
      return fmt::format("run `{}` instead of `{}`", now, was);
    case ShellPart::subcommand:
      if (now.empty()) return fmt::format("run `{}` without the subcommand `{}`", part->program, was);
      return fmt::format("run `{} {}` instead of `{} {}`", part->program, now, part->program, was);
    case ShellPart::flag: {
      std::vector<std::string> removed, added;
      const std::set<std::string> o(old_values.begin(), old_values.end()), n(new_values.begin(), new_values.end());
      std::set_difference(o.begin(), o.end(), n.begin(), n.end(), std::back_inserter(removed));
      std::set_difference(n.begin(), n.end(), o.begin(), o.end(), std::back_inserter(added));
      if (removed.empty()) return {};
      if (added.empty()) return fmt::format("do not pass `{}`", removed.front());
      return fmt::format("pass `{}` instead of `{}`", added.front(), removed.front());
    }
    case ShellPart::flag_value:
      if (now.empty()) return fmt::format("leave `{}` out", part->name);
      return fmt::format("pass `{}` as {}", part->name, shows_value(now) ? "`" + now + "`" : form_of(now));
    case ShellPart::env:
      if (now.empty()) return fmt::format("do not set `{}`", part->name);
      return fmt::format("set `{}={}`", part->name, shows_value(now) ? now : "...");
    case ShellPart::argument: return fmt::format("change the arguments of `{}`", part->program);
    case ShellPart::none: break;
  }
  if (now.empty()) return fmt::format("leave `{}` out", part->param);
  if (std::holds_alternative<PathIs>(p)) return fmt::format("pass another `{}`", part->param);
  if (std::holds_alternative<ValueIn>(p) && shows_value(now)) return fmt::format("pass `{}` = `{}`", part->param, now);
  return fmt::format("pass `{}` as {}", part->param, form_of(now));
}

std::string capitalised(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

// The prevention step the check itself suggests.
std::string check_step(const std::string& tool, const Check& check, const json& failing_input) {
  const std::string what = subject(tool, failing_input);
  if (const SessionLacks* s = session_of(check)) return capitalised(run_before(*s, what));
  const ParamIs* missing = nullptr;
  for (const auto& p : check.all)
    if (const auto* m = std::get_if<ParamIs>(&p); m && m->missing) missing = m;
  if (missing && check.all.size() > 1) {
    // `limit` missing and a file over 256 KB: pass `limit` for such files.
    std::string when;
    for (const auto& p : check.all) {
      if (std::get_if<ParamIs>(&p) == missing) continue;
      when += (when.empty() ? "" : " and ") + describe_predicate(p);
    }
    return fmt::format("Pass `{}` to `{}` when {}", missing->param, tool, when);
  }
  for (const auto& p : check.all) {
    if (const auto* x = std::get_if<PathIs>(&p)) {
      const std::string part = describe_part(x->part);
      switch (x->fact) {
        case PathFact::directory:
          return fmt::format("Check that {} is a file, not a directory, before calling `{}`", part, tool);
        case PathFact::missing: return fmt::format("Check that {} exists before calling `{}`", part, tool);
        case PathFact::file: return fmt::format("Check what {} is before calling `{}`", part, tool);
        case PathFact::larger_than:
          return fmt::format("Check the size of {} before calling `{}`: {}", part, tool, describe_predicate(p));
      }
    }
  }
  if (missing) return fmt::format("Always pass `{}`", missing->param);
  for (const auto& p : check.all)
    if (const auto* m = std::get_if<ParamIs>(&p); m && !m->missing) return fmt::format("Leave `{}` out", m->param);
  for (const auto& p : check.all) {
    const Part* part = part_of(p);
    if (part == nullptr) continue;
    switch (part->shell) {
      case ShellPart::program:
        if (const auto* v = std::get_if<ValueIn>(&p); v && !v->values.empty())
          return fmt::format(
              "Check that `{0}` is installed (`command -v {0}`) before running it, or use what the project already has",
              v->values.front());
        break;
      case ShellPart::subcommand: return fmt::format("Use a subcommand that `{0}` has (`{0} --help`)", part->program);
      case ShellPart::flag: return fmt::format("Use a flag that `{0}` accepts (`{0} --help`)", part->program);
      case ShellPart::flag_value:
        return fmt::format("Check the value `{}` of `{}` takes (`{} --help`)", part->name, part->program,
                           part->program);
      case ShellPart::argument: return fmt::format("Check the arguments of `{}`", part->program);
      case ShellPart::env: return fmt::format("Check the value of `{}`", part->name);
      case ShellPart::none:
        if (!check.usual.empty()) return fmt::format("Pass `{}` as {}", part->param, check.usual);
        return fmt::format("Check the value of `{}` before calling `{}`", part->param, tool);
    }
  }
  return fmt::format("Check the call before running `{}`", tool);
}

}  // namespace

Category category_of(const Check& check) {
  if (const SessionLacks* s = session_of(check))
    return s->same.empty() ? Category::missing_prerequisite : Category::workflow_sequence;
  for (const auto& p : check.all)
    if (const Part* part = part_of(p); part && part->shell == ShellPart::program && std::holds_alternative<ValueIn>(p))
      return Category::missing_prerequisite;
  for (const auto& p : check.all)
    if (std::holds_alternative<ShapeIs>(p) || std::holds_alternative<LengthIn>(p) || std::holds_alternative<AffixIs>(p))
      return Category::parameter_format;
  return Category::incorrect_parameter;
}

std::string root_cause_text(const std::string& tool, Category category, const Check& check,
                            const std::string& template_text) {
  std::string text = fmt::format("{}: {}", category_lead(category), describe_check(check, tool));
  if (!check.usual.empty()) text += fmt::format(" (successful calls pass {})", check.usual);
  text += fmt::format(". `{}` then fails", tool);
  if (!template_text.empty()) text += fmt::format(" with \"{}\"", template_text);
  return text + ".";
}

std::string describe_fix(const std::string& tool, const Check& check, const json& failing_input,
                         const std::string& failing_cwd, const std::vector<LaterCall>& after) {
  if (const SessionLacks* need = session_of(check)) {
    // The missing step ran, then the same call succeeded.
    bool ran = false;
    for (const auto& c : after) {
      if (provides(*need, c, failing_input, failing_cwd)) ran = true;
      if (ran && c.tool == tool && c.outcome == Outcome::success && same_work(failing_input, *c.input))
        return run_before(*need, subject(tool, failing_input));
    }
    return {};
  }
  for (const auto& c : after) {
    if (c.tool != tool || c.outcome != Outcome::success || !same_work(failing_input, *c.input)) continue;
    for (const auto& p : check.all)
      if (auto fix = part_fix(p, failing_input, *c.input); !fix.empty()) return fix;
  }
  return {};
}

std::vector<Prevention> prevention_steps(const std::string& tool, const Check& check, const json& failing_input,
                                         const std::string& fix, std::size_t fix_count) {
  const auto count = static_cast<std::int64_t>(fix_count);
  const std::string recovered = fix_count == 1 ? std::string("the agent recovered this way once")
                                               : fmt::format("the agent recovered this way {} times", fix_count);
  if (!fix.empty() && fix_count >= kConsensusRecoveries) return {{capitalised(fix), recovered, count}};
  std::vector<Prevention> steps;
  steps.push_back(
      {check_step(tool, check, failing_input), fmt::format("`{}` fails when {}", tool, describe_check(check)), 0});
  if (!fix.empty()) steps.push_back({fix, recovered, count});
  return steps;
}

}  // namespace pat
