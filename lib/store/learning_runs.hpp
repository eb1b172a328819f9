#pragma once
// The learning runs that start by themselves (patsetup learn, at the end of a session), recorded
// so that `patsetup doctor` and the reports can say when learning last ran and how it went.
#include <cstdint>
#include <optional>
#include <string>

#include "store/store.hpp"

namespace pat {

struct LearningRun {
  std::string trigger;  // session-end | manual
  std::string started_at, finished_at;
  std::string status;         // ok | failed | timed_out
  std::int64_t events = 0;    // events stored since the run before, learned from in this one
  std::int64_t patterns = 0;  // active patterns after it
  std::string message;        // what went wrong, "" when nothing did
};

// In its own transaction.
void record_learning_run(Store& store, const LearningRun& run);
std::optional<LearningRun> last_learning_run(Store& store);
// The events stored since `patdetect --resume` last ran: what the next learning run reads.
std::int64_t events_to_learn(Store& store);

}  // namespace pat
