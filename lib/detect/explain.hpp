#pragma once
// Plain, concrete words for a learned mistake: its category (from the evidence of its check),
// its root cause, the fix an agent applied when it recovered, and the prevention steps that
// patcheck shows before the next call.
#include <memory>
#include <string>
#include <vector>

#include "mistake/check.hpp"
#include "records/enums.hpp"
#include "records/prevention.hpp"
#include "util/json_parse.hpp"

namespace pat {

// The category the check shows: a session predicate with the same value is WORKFLOW_SEQUENCE,
// one without (a set-up step) and a program that must not be run are MISSING_PREREQUISITE, a
// shape, length, prefix or suffix is PARAMETER_FORMAT, the rest (a value set, a flag, a path
// fact, a parameter missing) INCORRECT_PARAMETER.
Category category_of(const Check& check);

// "A value in the wrong format: `sha` is 7 hex characters (successful calls pass 40 hex
// characters). `mcp__git__show_commit` then fails with "…"."
std::string root_cause_text(const std::string& tool, Category category, const Check& check,
                            const std::string& template_text);

// A call that came after a failure in its session, for recoveries. Its input is shared with
// every failure that keeps the call, not copied into each.
struct LaterCall {
  std::string tool;
  std::shared_ptr<const json> input;
  std::string cwd;
  Outcome outcome = Outcome::unknown;
};

// How the agent recovered from one failing call, in words that do not depend on the values
// involved (so that the same fix applied to other values reads the same): "pass `sha` as 40 hex
// characters", "run `make` instead of `tusk`", "run `Read` on the same `file_path` before
// `Edit`". A recovery is a later call of the same tool that does the same work with the part the
// check names changed, or the same call after the missing step ran; not merely the next call.
// Empty when no later call was one.
std::string describe_fix(const std::string& tool, const Check& check, const json& failing_input,
                         const std::string& failing_cwd, const std::vector<LaterCall>& after);

// The prevention steps. `fix` is the fix most recoveries applied and `fix_count` how many did:
// from kConsensusRecoveries on, the first step says exactly that fix.
inline constexpr std::size_t kConsensusRecoveries = 3;
std::vector<Prevention> prevention_steps(const std::string& tool, const Check& check, const json& failing_input,
                                         const std::string& fix, std::size_t fix_count);

}  // namespace pat
