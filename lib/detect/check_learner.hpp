#pragma once
// Learning the check of a mistake from evidence: the most general conjunction of at most three
// predicates (mistake/check.hpp) that holds for every failing call of a group and for none of the
// tool's successful calls, preferring predicates on what the error text points to (the values,
// flags, programs, paths and parameter names found both in the error and in the input) and on
// what the agent's recoveries show (a step it ran before the same call succeeded).
//
// Generalisation is earned: a predicate that reaches past the values seen (a shape, a length, a
// prefix or suffix, a path fact) needs at least two distinct failing values, or the error naming
// that part; nothing matches a call merely because it differs from the successes; a check that
// can only list the values seen stays a value set. A shell program alone is a mistake only when
// it never succeeded for the tool or the error names it. A session predicate ("no earlier X")
// needs the error to name X or a recovery that ran X. Without successful calls to contrast with,
// only predicates the error points to are learned.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "mistake/call_check.hpp"
#include "mistake/check.hpp"
#include "util/json_parse.hpp"

namespace pat {

// A call the learner looks at, as the detector knew it at the time of the call.
struct LearningCall {
  json input;
  std::string cwd;
  std::vector<std::string> features;       // session_feature()s of what the session ran before it, sorted
  std::map<std::string, PathState> paths;  // the state of its path values then, by value
  // The path values whose state the error or the session's results showed (the others' state is
  // what the file system says now: of a value that is no path, that nothing is there).
  std::set<std::string> witnessed;
};

// What the tool's successful calls ever used, however many of them the sample keeps: a program
// that ran successfully is no mistake by itself.
struct ToolHistory {
  std::set<std::string> programs;
};

struct LearningInput {
  std::string tool;
  const std::vector<const LearningCall*>* failing = nullptr;
  const std::vector<const LearningCall*>* successful = nullptr;
  const std::vector<std::string>* errors = nullptr;  // the failing calls' error texts, in order
  std::set<std::string> recovered_by;                // features a recovery ran before the same call succeeded
  const ToolHistory* history = nullptr;
};

std::optional<Check> learn_check(const LearningInput& in);

// The CheckContext of a call the learner looks at.
class LearningContext : public CheckContext {
public:
  explicit LearningContext(const LearningCall& call) : call_(call) {}
  std::optional<bool> session_ran(const SessionLacks& need, const CallView& call) override;
  std::optional<PathState> path_state(const std::string& path, const CallView& call) override;

private:
  const LearningCall& call_;
};

// Parameters whose value changes with every call (a description, a file's content, a command
// line): never a value predicate of their own (a command line has the predicates of its parts).
bool is_free_text(std::string_view param);

// Whether a text names `word` as a whole token (a value, a flag, a program, a parameter).
bool mentions(std::string_view text, std::string_view word);

// The SessionLacks a session feature names (session_feature's inverse).
std::optional<SessionLacks> session_need(std::string_view feature);

}  // namespace pat
