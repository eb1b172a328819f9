#pragma once
// patdetect's work: turn events into mistake observations and repeated work into candidates.
//
// Events come in time order. Successful calls are remembered per tool (a bounded sample: what a
// check is contrasted with) and per session (what ran, with which values, where: what session
// predicates are learned from). Each failure is judged by evidence, not by its wording:
//  - the failure-class rules name noise (network, auth, rate limit, timeout, interrupted,
//    rejected, cancelled, hook denied, resource): counted, never learned;
//  - a failure with no error text is noise too;
//  - every other failure is a candidate. Candidates are grouped by tool and error template; each
//    group gets the check that holds for its failing calls and none of the tool's successful
//    ones (check_learner.hpp), or one of the store's known checks that does; a check listing the
//    values an error names (two programs not found) splits its group, one per value, so that each
//    gets its own fix. A candidate whose identical call later succeeded unchanged, and that no
//    check explains, was transient; the others no check explains are counted per template.
// Each learned failure becomes one observation (its id a hash of its event id), with the
// category its check shows, a root cause, and prevention steps from the agent's recoveries.
// Memory grows with tools, sessions and failures, not with the number of events; the calls kept
// after a failure for its recovery (shared, not copied) only for a sample of each group.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "detect/failure_class.hpp"
#include "detect/repeated_work.hpp"
#include "mistake/check.hpp"
#include "records/candidate.hpp"
#include "records/event.hpp"
#include "records/failure_decision.hpp"
#include "records/observation.hpp"

namespace pat {

struct DetectorOptions {
  RepeatedWorkOptions repeated;
  std::size_t successes_per_tool = 2000;  // the sample each check is contrasted with
  bool look_at_files = true;              // path facts from the file system (false: only from results)
};

// A check already learned (a pattern in the store): a group it explains keeps it.
struct KnownCheck {
  std::string tool, template_text;
  Check check;
};

struct DetectStats {
  std::uint64_t events = 0;      // tool calls with an outcome, after duplicates
  std::uint64_t duplicates = 0;  // a call seen twice (hook and transcript)
  std::uint64_t failures = 0;
  std::uint64_t usage_mistakes = 0;                            // failures a check explains: observations
  std::uint64_t unexplained = 0;                               // candidates nothing explains
  std::map<std::string, std::uint64_t> unexplained_templates;  // ... by template (the first 1000 templates)
  std::map<std::string, std::uint64_t> other_errors;           // failures that are not usage mistakes, by class
  std::uint64_t reconsidered = 0;                              // failures of earlier runs that waited, added again
  std::uint64_t explained_later = 0;                           // ... that a check explains now
  std::uint64_t observations = 0;
  std::uint64_t candidates = 0;
};

class Detector {
public:
  Detector(const FailureClassifier& classifier, DetectorOptions options = {});
  ~Detector();
  Detector(const Detector&) = delete;
  Detector& operator=(const Detector&) = delete;

  // Checks to try before learning new ones (the store's patterns).
  void add_known(KnownCheck known);

  // How an event takes part: `fresh`, an event of this run; `context`, an event of an earlier run,
  // added for what it tells about successful calls and sessions (it yields no observation);
  // `waiting`, a failure of an earlier run that nothing explained then: it joins its group again,
  // so that a mistake met once per session is learned once it recurs (it is not counted again
  // in the stats, only in `reconsidered` and, once explained, `explained_later`).
  enum class Role { fresh, context, waiting };
  void add(const Event& e, Role role = Role::fresh);

  // Learns the checks and returns the observations (in the order of their failures), then the
  // candidates.
  void finish(std::vector<Observation>& observations, std::vector<Candidate>& candidates);

  const DetectStats& stats() const;
  // What was decided about each failure added (not context), in the order added; for the store.
  const std::vector<FailureDecision>& decisions() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pat
