#pragma once
// patdetect's work: turn events into mistake observations and repeated work into candidates.
//
// Events come in time order. Successful calls are remembered per tool (a bounded sample: what
// the check learner contrasts failures with) and per session (which tools ran with which values:
// what workflow checks are learned from). Failures are classified (failure_class.hpp); those that
// are usage mistakes are grouped by tool and error template, and at the end each group gets one
// check that separates its failing calls from the tool's successful ones, a root cause and
// prevention steps, and each failure becomes one observation whose id is a hash of its event id.
// Memory grows with tools, sessions and failures, not with the number of events.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "detect/failure_class.hpp"
#include "detect/repeated_work.hpp"
#include "records/candidate.hpp"
#include "records/event.hpp"
#include "records/failure_decision.hpp"
#include "records/observation.hpp"

namespace pat {

struct DetectorOptions {
  RepeatedWorkOptions repeated;
  std::size_t successes_per_tool = 2000;  // the sample each check is contrasted with
};

struct DetectStats {
  std::uint64_t events = 0;      // tool calls with an outcome, after duplicates
  std::uint64_t duplicates = 0;  // a call seen twice (hook and transcript)
  std::uint64_t failures = 0;
  std::uint64_t usage_mistakes = 0;                   // failures that are usage mistakes
  std::uint64_t unexplained = 0;                      // usage mistakes no check could separate from successes
  std::map<std::string, std::uint64_t> other_errors;  // failures that are not usage mistakes, by class
  std::uint64_t observations = 0;
  std::uint64_t candidates = 0;
};

class Detector {
public:
  Detector(const FailureClassifier& classifier, DetectorOptions options = {});
  ~Detector();
  Detector(const Detector&) = delete;
  Detector& operator=(const Detector&) = delete;

  // `context_only`: an event of an earlier run, added for what it tells about successful calls
  // and sessions; it yields no observation.
  void add(const Event& e, bool context_only = false);

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
