#include "store/stored_events.hpp"

#include <fmt/format.h>

#include "util/error.hpp"

namespace pat {

void for_each_stored_event(Store& store, const StoredEventRange& range,
                           const std::function<void(std::int64_t rowid, Event&& e)>& visit) {
  SQLite::Statement q(store.db(), R"SQL(
SELECT rowid, record FROM event_records
 WHERE rowid > ?1 AND rowid <= ?2 AND (?3 = '' OR ts >= ?3) AND (?4 = '' OR ts < ?4)
 ORDER BY ts, rowid
)SQL");
  q.bind(1, range.after_rowid);
  q.bind(2, range.until_rowid);
  q.bind(3, range.from_ts);
  q.bind(4, range.before_ts);
  while (q.executeStep()) {
    const std::int64_t rowid = q.getColumn(0).getInt64();
    const char* text = q.getColumn(1).getText();
    json record = json::parse(text, nullptr, false);
    if (record.is_discarded())
      throw Error(Exit::io_error, fmt::format("store {}: event row {} does not rebuild as JSON",
                                              store.options().path.string(), rowid));
    visit(rowid, event_from_json(record));
  }
}

std::int64_t last_event_rowid(Store& store) {
  return store.db().execAndGet("SELECT coalesce(max(rowid), 0) FROM events").getInt64();
}

}  // namespace pat
