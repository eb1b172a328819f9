#pragma once
// Learning the check of a mistake: the most useful check that matches every failing call of a
// tool and none of its successful ones (mistake_parts.hpp describes the checks).
#include <optional>
#include <string_view>
#include <vector>

#include "util/json_parse.hpp"

namespace pat {

// The best check for the failing calls of one tool, contrasted with its successful calls.
// `error` is the failure text of the first failing call (it may name the culprit: "command not
// found: just", "unknown option --foo"). The check matches every failing call and none of the
// successful ones; nullopt when no check separates them. Preference, most useful first: a
// program or subcommand that fails, a flag, a missing parameter, a value of the wrong shape or
// length, a path prefix, a specific value, and for a command line the one command itself.
// Without successful calls there is nothing to contrast with: only what the error text names
// (a program not found, a subcommand or flag it quotes, a parameter or value it mentions) and
// the single failing command are learned. Null pointers are skipped.
std::optional<json> learn_check(std::string_view tool, const std::vector<const json*>& failing,
                                const std::vector<const json*>& successful, std::string_view error);

}  // namespace pat
