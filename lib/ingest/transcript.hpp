#pragma once
// Claude Code session transcripts (JSONL): the tool_use blocks of assistant records paired with
// the tool_result blocks of user records, as tool-call events. Some mistakes are only here: an
// Edit whose old_string is not in the file is refused before any hook runs.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "records/event.hpp"
#include "util/json_parse.hpp"

namespace pat {

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
  // A tool_use block becomes pending; a result pairs with it. True when the record held one.
  bool feed_assistant(const json& record, const json& message, const json& content, const std::string& session,
                      const std::string& ts, std::uint64_t offset, std::vector<Event>& out);
  bool feed_user(const json& record, const json& content, const std::string& session, const std::string& ts,
                 std::vector<Event>& out);

  struct Pending {
    Event call;              // tool, input, session, model, tokens, ts of the tool_use
    std::uint64_t offset;    // where its assistant record starts
    std::string message_id;  // the assistant message it belongs to
  };
  std::map<std::string, Pending> pending_;  // by tool_use_id
  std::string last_message_id_;
  std::size_t skipped_ = 0;
};

}  // namespace pat
