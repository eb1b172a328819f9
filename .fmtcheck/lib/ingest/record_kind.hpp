#pragma once
// What an input record is (a hook payload, a transcript record, a generic execution record, a
// line of a text log) and what normalising one gives: an event, or the reason it is rejected.
#include <optional>
#include <string>
#include <string_view>

#include "records/event.hpp"
#include "util/json_parse.hpp"

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

}  // namespace pat
