#pragma once
// Whether a tool call about to run shows a learned mistake: the checks of mistake_parts.hpp
// evaluated on the call's input (patcheck), and on the calls a check is learned from.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/command_line.hpp"
#include "util/json_parse.hpp"

namespace pat {

// One tool call's input, with its command line split once however many checks look at it. The
// split is of the first param asked for: every command check of one learner or one mistake reads
// the same param.
class Call {
public:
  explicit Call(const json& input) : input_(input) {}
  const json& input() const { return input_; }
  const std::vector<SimpleCommand>& commands(const std::string& param) const;

private:
  const json& input_;
  mutable std::optional<std::vector<SimpleCommand>> commands_;
};

// True when the call shows the mistake (a "requires" mistake never matches here: see
// requirement_missing). A malformed or unknown check never matches.
bool matches(const json& mistake, const Call& call);

// True when the call's input (tool_input) shows the mistake. A "requires" mistake never matches
// here: see requirement_missing.
bool check_matches(const json& mistake, const json& input);

// check_matches for many mistakes on one call: the call's command line is split once, not once
// per mistake (patcheck evaluates every pattern of a tool on the same call).
class CallChecker {
public:
  explicit CallChecker(const json& input);
  ~CallChecker();
  CallChecker(const CallChecker&) = delete;
  CallChecker& operator=(const CallChecker&) = delete;
  bool matches(const json& mistake) const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// For a "requires" mistake: `seen(tool, param, value)` answers whether the session already ran
// `tool` (with input[param] == value when param is non-empty), and `exists(path)`, when given,
// whether a file exists (for "unless": "new_file"; without it every file is taken to exist).
// True when the requirement is not met, so the call would repeat the mistake.
bool requirement_missing(
    const json& mistake, const json& input,
    const std::function<bool(std::string_view tool, std::string_view param, std::string_view value)>& seen,
    const std::function<bool(std::string_view path)>& exists = {});

}  // namespace pat
