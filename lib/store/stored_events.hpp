#pragma once
// Reading event records back from the store, for the tools that work on what patlog stored.
#include <cstdint>
#include <functional>
#include <string>

#include "records/event.hpp"
#include "store/store.hpp"

namespace pat {

struct StoredEventRange {
  std::int64_t after_rowid = 0;             // only rows stored after this one
  std::int64_t until_rowid = INT64_MAX;     // ... and up to this one
  std::string from_ts;                      // only events at or after this time ("" for all)
  std::string before_ts;                    // only events before this time ("" for all)
};

// Calls `visit` for each event in the range, in time order (ties in the order stored).
void for_each_stored_event(Store& store, const StoredEventRange& range,
                           const std::function<void(std::int64_t rowid, Event&& e)>& visit);

// The rowid of the last event stored, 0 for none.
std::int64_t last_event_rowid(Store& store);

}  // namespace pat
