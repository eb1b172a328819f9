#pragma once
// Plain, concrete words for a learned mistake: its root cause, the fix an agent applied when it
// recovered, and the prevention steps that patcheck shows before the next call.
#include <string>
#include <utility>
#include <vector>

#include "records/enums.hpp"
#include "records/prevention.hpp"
#include "util/json_parse.hpp"

namespace pat {

// "A value in the wrong format: `sha` is 7 hex characters (successful calls pass 40 hex
// characters). `mcp__git__show_commit` then fails with "…"."
std::string root_cause_text(const std::string& tool, Category category, const json& mistake,
                            const std::string& template_text);

// What changed between a failing call and the next successful call of the same tool in the same
// session, in words that do not depend on the values involved (so that the same fix applied to
// other values reads the same): "pass `sha` as 40 hex characters", "run `make` instead of
// `just`", "run `Read` on the same `file_path` first". Empty when nothing recognisable changed.
// `between` lists the calls (tool, input) made between the two.
std::string describe_fix(const std::string& tool, const json& mistake, const json& failing_input,
                         const json& recovery_input, const std::vector<std::pair<std::string, json>>& between);

// The prevention steps. `fix` is the fix most recoveries applied and `fix_count` how many did:
// from kConsensusRecoveries on, the first step says exactly that fix.
inline constexpr std::size_t kConsensusRecoveries = 3;
std::vector<Prevention> prevention_steps(const std::string& tool, const json& mistake, const std::string& fix,
                                         std::size_t fix_count);

// "40 hex characters", "8 to 12 digits", "a path"
std::string shape_phrase(const std::string& shape, std::size_t min_length, std::size_t max_length);

}  // namespace pat
