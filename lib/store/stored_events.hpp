#pragma once
// Reading event records back from the store, for the tools that work on what patlog stored.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "records/event.hpp"
#include "records/failure_decision.hpp"
#include "store/store.hpp"

namespace pat {

struct StoredEventRange {
  std::int64_t after_rowid = 0;          // only rows stored after this one
  std::int64_t until_rowid = INT64_MAX;  // ... and up to this one
  std::string from_ts;                   // only events at or after this time ("" for all)
  std::string before_ts;                 // only events before this time ("" for all)
};

// Calls `visit` for each event in the range, in time order (ties in the order stored).
void for_each_stored_event(Store& store, const StoredEventRange& range,
                           const std::function<void(std::int64_t rowid, Event&& e)>& visit);

// The rowid of the last event stored, 0 for none.
std::int64_t last_event_rowid(Store& store);

// The time of the earliest event stored after range.after_rowid, up to range.until_rowid and at
// or after range.from_ts; "" for none.
std::string first_event_time(Store& store, const StoredEventRange& range);

// Whether the session already ran `tool` successfully, with input[param] == value when `param`
// is not empty (an index on session and tool of successful calls answers it).
bool session_ran(Store& store, const std::string& session, std::string_view tool, std::string_view param,
                 std::string_view value);

// The successful calls of `tool` in the session, newest first, at most `limit`: their input and
// working directory (for session checks on programs and directories).
struct SessionCall {
  json input;
  std::string cwd;
};
inline constexpr std::size_t kSessionCallsLooked = 1000;
std::vector<SessionCall> session_calls(Store& store, const std::string& session, std::string_view tool,
                                       std::size_t limit = kSessionCallsLooked);
// The same over every session: the tool's latest successful calls (what an imported pattern
// must not match).
std::vector<SessionCall> successful_calls(Store& store, std::string_view tool, std::size_t limit);

// How a call (by tool_use_id) ended, if it is stored: its outcome and error text.
struct CallOutcome {
  Outcome outcome = Outcome::unknown;
  std::string error;
  std::optional<std::string> template_text;  // patdetect's template of a failure it judged
};
std::optional<CallOutcome> call_outcome(Store& store, const std::string& tool_use_id);

// Removes the events before `cutoff` (RFC 3339), except those patterns and candidates cite as
// examples; with `dry_run` only counts them. Returns how many.
std::int64_t remove_events_before(Store& store, const std::string& cutoff, bool dry_run);

// Every failed event, in no particular order, with what patdetect decided about it when it has.
struct FailedEventRow {
  std::string ts, tool;
  std::optional<std::int64_t> duration_ms;
  std::optional<FailureDecision> decision;
};
void for_each_failed_event(Store& store, const std::function<void(const FailedEventRow&)>& visit);

// Records patdetect's decisions (a decision made again replaces the earlier one).
// The ids of the failures patdetect found nothing to explain (class "unexplained"): they wait
// for the same mistake to recur.
std::unordered_set<std::string> unexplained_failures(Store& store);

void save_failure_decisions(Store& store, const std::vector<FailureDecision>& decisions, const std::string& decided_at);

// The durations of the events with these ids (those that have one).
std::vector<std::int64_t> durations_of_events(Store& store, const std::vector<std::string>& ids);
// The time of the earliest of these events, normalised; nullopt when none is stored.
std::optional<std::string> earliest_event_time(Store& store, const std::vector<std::string>& ids);
// The durations of every finished call (success or failure) of `tool`.
std::vector<std::int64_t> durations_of_finished_calls(Store& store, const std::string& tool);

}  // namespace pat
