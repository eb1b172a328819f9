#pragma once
// patcheck's work: which learned patterns does a tool call about to run repeat? The active
// patterns of the call's tool at or above a confidence are read from the store (an index on
// tool, status and confidence; only their checks are parsed), each check is evaluated on the
// call's input, and workflow checks ask the store whether the session already ran the tool they
// require (an index on session and tool of successful calls). It runs before every tool call an
// agent makes: a few SQLite lookups, no scan.
#include <string>
#include <vector>

#include "check/check_index.hpp"
#include "check/tool_call.hpp"
#include "records/enums.hpp"
#include "records/pattern.hpp"
#include "records/verdict.hpp"
#include "store/store.hpp"

namespace pat {

struct CheckOptions {
  double min_confidence = 0.75;  // patterns below are not shown
  double block_at = 0.95;        // at or above: the call is blocked
  LevelThresholds levels;        // the level named in messages
};

class PatternMatcher {
public:
  PatternMatcher(Store& store, CheckOptions options) : store_(store), options_(options) {}

  // The verdict on one call: allow with no matches, warn, or block; matches by confidence,
  // highest first.
  Verdict check(const ToolCall& call);

private:
  Store& store_;
  CheckOptions options_;
};

// Whether the check index shows that no active pattern of the call's tool at or above
// `min_confidence` matches the call, without the store: each check whose anchor the call has is
// evaluated on the call and the file system. False when a check may match or gets as far as a
// predicate on the session: then PatternMatcher::check decides, with the store.
bool index_clears(const CheckIndex& index, const ToolCall& call, double min_confidence);

// The verdict's matches in plain words, for the agent: what the mistake is, the evidence
// (confidence, observations), and the prevention steps. At most `max_chars` characters.
std::string verdict_message(const Verdict& v, const LevelThresholds& levels = {}, std::size_t max_chars = 10000);

}  // namespace pat
