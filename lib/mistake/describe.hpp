#pragma once
// A learned mistake in a few plain words, for root causes, prevention steps, reports and
// patcheck's messages: "`sha` is 7 hex characters", "the program `tusk` is run", "`file_path` is a
// directory", "no earlier `Read` of the same `file_path` in the session".
#include <string>
#include <string_view>

#include "mistake/check.hpp"

namespace pat {

// "`sha`", "the program", "the subcommand of `git`", "the flag `--timeout` of `zapper`",
// "an argument of `gizmo`", "`NODE_ENV`".
std::string describe_part(const Part& part);
std::string describe_predicate(const Predicate& p);
// The predicates joined with "and".
std::string describe_check(const Check& c);
// `tool` first for workflow checks: "`Edit` before `Read` of the same `file_path`".
std::string describe_check(const Check& c, std::string_view tool);

// A value quoted as code, cut at 60 bytes without splitting a character.
std::string code_quoted(std::string_view v);

}  // namespace pat
