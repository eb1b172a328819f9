#pragma once
// A learned mistake in a few plain words, for root causes, prevention steps and reports.
#include <string>
#include <string_view>

#include "util/json_parse.hpp"

namespace pat {

// A short human description: "`sha` is 7 hex characters", "the program `just` is run",
// "`git` subcommand `pushh`", "the flag `--foo` of `npm`", "`file_path` is missing",
// "`file_path` starts with `/etc/`", "`namespace` is `prod`", and for a requirement "no earlier
// `Read` of the same `file_path` in the session".
std::string describe_mistake(const json& mistake);

// The same, naming the tool the call was for: "`Edit` before `Read` of the same `file_path`".
std::string describe_mistake(const json& mistake, std::string_view tool);

}  // namespace pat
