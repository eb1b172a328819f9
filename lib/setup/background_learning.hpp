#pragma once
// Learning that runs by itself (ARCHITECTURE.md, Learning by itself). At the end of a session
// `patlog --hook` starts `patsetup learn` detached from the hook, which returns in its usual
// milliseconds; that process, at low priority, learns from the events stored since the last
// run (`patdetect --resume | patlearn`, the programs beside it), one run at a time (a second
// trigger while one runs only marks more work, which the running one then does), bounded in
// time, quiet, and records how it went (store/learning_runs.hpp).
#include <chrono>
#include <string>

#include "store/learning_runs.hpp"
#include "util/paths.hpp"

namespace pat {

// Starts `patsetup learn --trigger session-end` beside the running program, detached (its own
// session, standard streams on /dev/null), and returns at once. False when it could not be
// started (no patsetup beside the program, fork failed).
bool start_background_learning(const fs::path& db);

struct LearnOptions {
  fs::path db;
  std::string trigger = "manual";
  std::chrono::seconds max_time{600};
};

enum class LearnResult { ran, queued };  // queued: a run was going on, and will run once more
// The runs it made are recorded in the store; `last` is the last of them.
LearnResult learn_now(const LearnOptions& options, LearningRun& last);

}  // namespace pat
