#include "mistake/describe.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "util/utf8.hpp"

namespace pat {
namespace {

std::string values_text(const std::vector<std::string>& values) {
  if (values.empty()) return "one of no values";
  if (values.size() == 1) return code_quoted(values[0]);
  std::string out = values.size() == 2 ? "" : "one of ";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += values.size() == 2 ? " or " : ", ";
    out += code_quoted(values[i]);
  }
  return out;
}

std::string bytes_text(std::uint64_t n) {
  if (n >= 1024 * 1024 && n % (1024 * 1024) == 0) return fmt::format("{} MB", n / (1024 * 1024));
  if (n >= 1024) return fmt::format("{} KB", n / 1024);
  return fmt::format("{} bytes", n);
}

std::string session_text(const SessionLacks& s) {
  std::string what = fmt::format("`{}`", s.program.empty()      ? s.tool
                                         : s.subcommand.empty() ? s.program
                                                                : s.program + " " + s.subcommand);
  if (!s.program.empty() && s.tool != "Bash") what += fmt::format(" (`{}`)", s.tool);
  if (!s.same.empty()) what += fmt::format(" of the same `{}`", s.same);
  if (s.same_cwd) what += " in the same directory";
  return what;
}

struct Describer {
  std::string operator()(const ParamIs& p) const {
    return fmt::format("`{}` is {}", p.param, p.missing ? "missing" : "given");
  }
  std::string operator()(const ValueIn& p) const {
    switch (p.part.shell) {
      case ShellPart::program: return fmt::format("the program {} is run", values_text(p.values));
      case ShellPart::subcommand:
        return fmt::format("`{}` is run with the subcommand {}", p.part.program.empty() ? "a program" : p.part.program,
                           values_text(p.values));
      case ShellPart::flag:
        return p.part.program.empty() ? fmt::format("the flag {} is passed", values_text(p.values))
                                      : fmt::format("the flag {} of `{}`", values_text(p.values), p.part.program);
      default: return fmt::format("{} is {}", describe_part(p.part), values_text(p.values));
    }
  }
  std::string operator()(const ShapeIs& p) const {
    return fmt::format("{} is {}", describe_part(p.part), describe_signature(p.signature));
  }
  std::string operator()(const LengthIn& p) const {
    if (!p.hi) return fmt::format("{} is {} bytes or longer", describe_part(p.part), p.lo);
    if (p.lo == 0) return fmt::format("{} is at most {} bytes long", describe_part(p.part), *p.hi);
    if (p.lo == *p.hi) return fmt::format("{} is {} bytes long", describe_part(p.part), p.lo);
    return fmt::format("{} is {} to {} bytes long", describe_part(p.part), p.lo, *p.hi);
  }
  std::string operator()(const AffixIs& p) const {
    return fmt::format("{} {} with {}", describe_part(p.part), p.suffix ? "ends" : "starts", code_quoted(p.text));
  }
  std::string operator()(const PathIs& p) const {
    switch (p.fact) {
      case PathFact::directory: return fmt::format("{} is a directory", describe_part(p.part));
      case PathFact::missing: return fmt::format("{} does not exist", describe_part(p.part));
      case PathFact::file: return fmt::format("{} is an existing file", describe_part(p.part));
      case PathFact::larger_than:
        return fmt::format("{} is a file over {}", describe_part(p.part), bytes_text(p.bytes));
    }
    return "a path";
  }
  std::string operator()(const SessionLacks& p) const {
    return fmt::format("no earlier {} in the session", session_text(p));
  }
};

}  // namespace

std::string code_quoted(std::string_view v) {
  constexpr std::size_t kMaxShown = 60;
  if (v.size() <= kMaxShown) return "`" + std::string(v) + "`";
  return "`" + std::string(utf8_prefix(v, kMaxShown)) + "...`";
}

std::string describe_part(const Part& p) {
  const std::string of = p.program.empty() ? "" : fmt::format(" of `{}`", p.program);
  switch (p.shell) {
    case ShellPart::none: return fmt::format("`{}`", p.param);
    case ShellPart::program: return "the program";
    case ShellPart::subcommand: return "the subcommand" + of;
    case ShellPart::flag: return "a flag" + of;
    case ShellPart::flag_value: return fmt::format("the value of `{}`{}", p.name, of);
    case ShellPart::argument: return "an argument" + of;
    case ShellPart::env: return fmt::format("`{}`", p.name);
  }
  return fmt::format("`{}`", p.param);
}

std::string describe_predicate(const Predicate& p) { return std::visit(Describer{}, p); }

std::string describe_check(const Check& c) {
  std::string out;
  for (std::size_t i = 0; i < c.all.size(); ++i) {
    if (i > 0) out += i + 1 == c.all.size() ? " and " : ", ";
    out += describe_predicate(c.all[i]);
  }
  return out.empty() ? "an unrecognised mistake" : out;
}

std::string describe_check(const Check& c, std::string_view tool) {
  const auto session = std::find_if(c.all.begin(), c.all.end(),
                                    [](const Predicate& p) { return std::holds_alternative<SessionLacks>(p); });
  if (tool.empty() || session == c.all.end()) return describe_check(c);
  std::string out = fmt::format("`{}` before {}", tool, session_text(std::get<SessionLacks>(*session)));
  for (auto it = c.all.begin(); it != c.all.end(); ++it)
    if (it != session) out += ", and " + describe_predicate(*it);
  return out;
}

}  // namespace pat
