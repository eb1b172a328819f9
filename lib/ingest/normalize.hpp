#pragma once
// Normalizers: each turns one kind of input record into event records (DESIGN.md §2).
//  - Claude Code hook payloads (§6), one object per hook invocation;
//  - Claude Code transcript records, whose tool_use / tool_result pairs become tool-call events;
//  - generic execution records from any agent or script;
//  - timestamped text log lines.
// A normalizer never throws on data: a record it cannot use comes back with the reason.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "records/event.hpp"

namespace pat {

enum class RecordKind { unknown, hook, transcript, generic, text };

RecordKind parse_record_kind(std::string_view name);  // "hook", ...; unknown for anything else
std::string_view record_kind_name(RecordKind k);

// What an input record looks like, from its fields alone.
RecordKind classify_record(const json& record);

struct Normalized {
  std::optional<Event> event;  // empty: rejected (see `error`) or skipped
  std::string error;           // non-empty: the record is rejected for this reason
};

// `received_at` is used as ts when the payload carries no time of its own. The record's values
// are moved into the event: after a successful call the record is left hollow. A rejected
// record is left untouched.
Normalized normalize_hook_payload(json& payload, const std::string& received_at);
Normalized normalize_generic_record(json& record, const std::string& received_at);

// A text log line "[2026-02-25T16:09:54.407701] message", or any text with --format text.
Event normalize_log_entry(std::string_view text, const std::string& received_at);
// The time at the start of a log line, if it has one: "[TIME] ..." or "TIME ...".
std::optional<std::string> log_line_time(std::string_view line);

// Pairs a transcript's tool_use blocks with their tool_result blocks, record by record.
class TranscriptPairer {
public:
  // Feeds one transcript record, read at byte `offset` of its input; returns the events it
  // completes. Records that hold no tool call are skipped; a non-object is an error.
  std::vector<Event> feed(const json& record, std::uint64_t offset, std::string& error);

  // Tool calls still waiting for their result: as events with outcome unknown (a transcript
  // that ends with a call in flight or interrupted).
  std::vector<Event> drain_pending();

  // Byte offset of the earliest call still waiting for its result, if any.
  std::optional<std::uint64_t> earliest_pending_offset() const;

  std::size_t skipped() const { return skipped_; }

private:
  struct Pending {
    Event call;             // tool, input, session, model, tokens, ts of the tool_use
    std::uint64_t offset;   // where its assistant record starts
    std::string message_id; // the assistant message it belongs to
  };
  std::map<std::string, Pending> pending_;  // by tool_use_id
  std::string last_message_id_;
  std::size_t skipped_ = 0;
};

}  // namespace pat
