#pragma once
// What each session ran successfully, in a small file per session beside the store
// (<db>.sessions/<device>-<inode>-<hash of the session id>, so that the files of a store that
// was replaced never speak for the new one), so that patcheck can answer a check's predicate on
// the session (mistake/check.hpp, SessionLacks) without opening the store. The hook writers
// (patlog --hook, --follow-transcript) append one line per successful call after the commit that stored
// it, so every call a file names is in the store. A call a file lacks (stored by a bulk ingest,
// or lost with a failed append) only sends patcheck to the store, which has the last word on
// every check that may match: the file can only say "ran", and only where the store would (string
// values, the latest kSessionCallsLooked calls of a tool for a program or a directory). patprune
// removes the files of sessions idle for a day.
//
// A line holds hash64 values in hex, separated by spaces: the tool name; the working directory;
// each string input parameter as "NAME\x1fVALUE" (comma-separated, "-" for none); each simple
// command of the "command" parameter as its program's base name and as "NAME\x1fSUBCOMMAND"
// (comma-separated, "-" for none).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "records/event.hpp"
#include "util/paths.hpp"

namespace pat {

struct SessionCallFacts {
  std::uint64_t tool = 0, cwd = 0;
  std::vector<std::uint64_t> params, commands;
};

// The facts of one successful call, and its line (with the newline).
SessionCallFacts facts_of(const Event& e);
std::string facts_line(const SessionCallFacts& f);

fs::path session_facts_directory(const fs::path& db);
// Appends `lines` to the session's file (created 0600, its directory 0700). False on failure:
// a missing line costs patcheck time, never a wrong answer.
bool append_session_facts(const fs::path& db, std::string_view session, std::string_view lines);

// What a check asks of the session (SessionLacks, with the values of the call being checked).
struct SessionNeed {
  std::string_view tool;
  std::string_view same;                   // a parameter whose value must be the same, or ""
  std::string_view same_value;             // ... that value
  std::optional<std::string_view> in_cwd;  // the earlier call ran in this directory
  std::string_view program, subcommand;    // the earlier call ran this program (and subcommand)
};

class SessionFacts {
public:
  // The session's file (none when over 8 MiB; an unreadable line is left out).
  static SessionFacts read(const fs::path& db, std::string_view session);
  // Whether the file names a successful call that satisfies `need`.
  bool ran(const SessionNeed& need) const;

private:
  std::vector<SessionCallFacts> calls_;
};

// Removes the files of sessions not written since `cutoff`; how many.
std::size_t remove_idle_session_facts(const fs::path& db, fs::file_time_type cutoff);

}  // namespace pat
