#pragma once
// Whether a tool call shows a learned mistake: the predicates of check.hpp evaluated on a call.
// patcheck evaluates them on the call about to run, with the store's record of the session and
// the machine's file system; the check learner evaluates them on the calls it learns from, with
// what the detector knew of their sessions and paths then. The same code decides both.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mistake/check.hpp"
#include "util/command_line.hpp"
#include "util/json_parse.hpp"

namespace pat {

// One tool call's input, its command lines split once however many predicates look at them.
class CallView {
public:
  explicit CallView(const json& input, std::string cwd = "") : input_(input), cwd_(std::move(cwd)) {}
  const json& input() const { return input_; }
  const std::string& cwd() const { return cwd_; }
  const std::vector<SimpleCommand>& commands(const std::string& param) const;

  // The values of a part in this call: the text of a scalar parameter (none when it is absent,
  // an object or an array), or every occurrence of a shell part.
  std::vector<std::string> values(const Part& part) const;

private:
  const json& input_;
  std::string cwd_;
  mutable std::map<std::string, std::vector<SimpleCommand>> commands_;
};

// What one look at a path says.
struct PathState {
  bool exists = false;
  bool directory = false;
  std::uint64_t size = 0;  // of a file
};

// One look at a path on this machine's file system (an absolute path).
PathState stat_path(const std::string& full);

// What predicates need besides the call. Either answer may be unknown (nullopt): a predicate that
// cannot be judged does not hold, so that a check never stops a call on a guess.
class CheckContext {
public:
  virtual ~CheckContext() = default;
  // Whether the session already ran what `need` names, successfully.
  virtual std::optional<bool> session_ran(const SessionLacks& need, const CallView& call) = 0;
  // The state of a path as the call gives it (relative paths are the call's cwd's).
  virtual std::optional<PathState> path_state(const std::string& path, const CallView& call) = 0;
};

bool holds(const Predicate& p, const CallView& call, CheckContext& context);
// True when every predicate holds, those on the session asked last. Never throws: what cannot be
// evaluated does not match.
bool matches(const Check& c, const CallView& call, CheckContext& context);

// The session feature a SessionLacks names, as the detector records the calls a session ran
// (ARCHITECTURE.md, Learning model): "Read", "Read\x1fsame=file_path",
// "Bash\x1fprogram=pip install\x1fsame_cwd".
std::string session_feature(const SessionLacks& need);

// Absolute form of a path given relative to `cwd`; "~" and "~/x" from $HOME, as the shell does.
std::string resolve_path(const std::string& path, const std::string& cwd);

}  // namespace pat
