#include "store/stored_events.hpp"

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/time_format.hpp"

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
      throw Error(Exit::io_error,
                  fmt::format("store {}: event row {} does not rebuild as JSON", store.options().path.string(), rowid));
    visit(rowid, event_from_json(record));
  }
}

std::int64_t last_event_rowid(Store& store) {
  return store.db().execAndGet("SELECT coalesce(max(rowid), 0) FROM events").getInt64();
}

std::string first_event_time(Store& store, const StoredEventRange& range) {
  SQLite::Statement q(store.db(),
                      "SELECT min(ts) FROM events WHERE rowid > ?1 AND rowid <= ?2 AND (?3 = '' OR ts >= ?3)");
  q.bind(1, range.after_rowid);
  q.bind(2, range.until_rowid);
  q.bind(3, range.from_ts);
  if (q.executeStep() && !q.getColumn(0).isNull()) return q.getColumn(0).getString();
  return {};
}

bool session_ran(Store& store, const std::string& session, std::string_view tool, std::string_view param,
                 std::string_view value) {
  SQLite::Statement q(store.db(), R"SQL(
SELECT 1 FROM events
 WHERE session = ?1 AND tool = ?2 AND outcome = 'success'
   AND (?3 = '' OR CAST(json_extract(details, '$.input."' || ?3 || '"') AS TEXT) = ?4)
 LIMIT 1
)SQL");
  q.bind(1, session);
  q.bind(2, std::string(tool));
  q.bind(3, std::string(param));
  q.bind(4, std::string(value));
  return q.executeStep();
}

namespace {

std::vector<SessionCall> calls_of(SQLite::Statement& q) {
  std::vector<SessionCall> out;
  while (q.executeStep()) {
    SessionCall c;
    if (!q.getColumn(0).isNull()) c.input = json::parse(q.getColumn(0).getString(), nullptr, false);
    if (c.input.is_discarded()) c.input = nullptr;
    if (!q.getColumn(1).isNull()) c.cwd = q.getColumn(1).getString();
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

std::vector<SessionCall> session_calls(Store& store, const std::string& session, std::string_view tool,
                                       std::size_t limit) {
  SQLite::Statement q(store.db(), R"SQL(
SELECT json_extract(details, '$.input'), json_extract(details, '$.cwd') FROM events
 WHERE session = ?1 AND tool = ?2 AND outcome = 'success'
 ORDER BY rowid DESC LIMIT ?3
)SQL");
  q.bind(1, session);
  q.bind(2, std::string(tool));
  q.bind(3, static_cast<std::int64_t>(limit));
  return calls_of(q);
}

std::vector<SessionCall> successful_calls(Store& store, std::string_view tool, std::size_t limit) {
  SQLite::Statement q(store.db(), R"SQL(
SELECT json_extract(details, '$.input'), json_extract(details, '$.cwd') FROM events
 WHERE tool = ?1 AND outcome = 'success'
 ORDER BY rowid DESC LIMIT ?2
)SQL");
  q.bind(1, std::string(tool));
  q.bind(2, static_cast<std::int64_t>(limit));
  return calls_of(q);
}

std::optional<CallOutcome> call_outcome(Store& store, const std::string& tool_use_id) {
  if (tool_use_id.empty()) return std::nullopt;
  // The events' call_key index answers this without a scan.
  SQLite::Statement q(store.db(), R"SQL(
SELECT e.outcome, json_extract(e.details, '$.error'), d.template
  FROM events e LEFT JOIN failure_decisions d ON d.event = e.id
 WHERE e.call_key IN (?1 || '|failure', ?1 || '|success')
 ORDER BY e.outcome LIMIT 1
)SQL");
  q.bind(1, tool_use_id);
  if (!q.executeStep()) return std::nullopt;
  CallOutcome o{parse_outcome(q.getColumn(0).getString()).value_or(Outcome::unknown),
                q.getColumn(1).isNull() ? "" : q.getColumn(1).getString(), std::nullopt};
  if (!q.getColumn(2).isNull()) o.template_text = q.getColumn(2).getString();
  return o;
}

std::int64_t remove_events_before(Store& store, const std::string& cutoff, bool dry_run) {
  // The examples of patterns and candidates stay: they are the evidence reports and users follow.
  const std::string kept = R"SQL(
  id NOT IN (SELECT value FROM patterns, json_each(json_extract(patterns.record, '$.events')))
  AND id NOT IN (SELECT value FROM candidates, json_each(json_extract(candidates.record, '$.examples'))))SQL";
  SQLite::Statement q(store.db(),
                      fmt::format("{} FROM events WHERE ts < ?1 AND {}", dry_run ? "SELECT count(*)" : "DELETE", kept));
  q.bind(1, cutoff);
  if (!dry_run) return q.exec();
  return q.executeStep() ? q.getColumn(0).getInt64() : 0;
}

void for_each_failed_event(Store& store, const std::function<void(const FailedEventRow&)>& visit) {
  SQLite::Statement q(store.db(), R"SQL(
SELECT e.ts, e.tool, e.duration_ms, e.id, d.class, d.usage_mistake, d.template
  FROM events e LEFT JOIN failure_decisions d ON d.event = e.id
 WHERE e.outcome = 'failure'
)SQL");
  FailedEventRow e;
  while (q.executeStep()) {
    e.ts = q.getColumn(0).getString();
    e.tool = q.getColumn(1).isNull() ? "" : q.getColumn(1).getString();
    e.duration_ms = q.getColumn(2).isNull() ? std::nullopt : std::optional<std::int64_t>(q.getColumn(2).getInt64());
    e.decision.reset();
    if (!q.getColumn(4).isNull())
      e.decision = FailureDecision{q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getInt() != 0,
                                   q.getColumn(6).getString()};
    visit(e);
  }
}

std::unordered_set<std::string> unexplained_failures(Store& store) {
  std::unordered_set<std::string> out;
  SQLite::Statement q(store.db(), "SELECT event FROM failure_decisions WHERE class = 'unexplained'");
  while (q.executeStep()) out.insert(q.getColumn(0).getString());
  return out;
}

void save_failure_decisions(Store& store, const std::vector<FailureDecision>& decisions,
                            const std::string& decided_at) {
  SQLite::Statement q(store.db(), R"SQL(
INSERT OR REPLACE INTO failure_decisions(event, class, usage_mistake, template, decided_at) VALUES(?1, ?2, ?3, ?4, ?5)
)SQL");
  for (const auto& d : decisions) {
    q.bind(1, d.event);
    q.bind(2, d.failure_class);
    q.bind(3, d.usage_mistake ? 1 : 0);
    q.bind(4, d.template_text);
    q.bind(5, decided_at);
    q.exec();
    q.reset();
  }
}

std::vector<std::int64_t> durations_of_events(Store& store, const std::vector<std::string>& ids) {
  std::vector<std::int64_t> out;
  SQLite::Statement q(store.db(),
                      "SELECT duration_ms FROM events WHERE key = ?1 AND id = ?2 AND duration_ms IS NOT NULL");
  for (const auto& id : ids) {
    q.bind(1, event_key(id));
    q.bind(2, id);
    if (q.executeStep()) out.push_back(q.getColumn(0).getInt64());
    q.reset();
  }
  return out;
}

std::optional<std::string> earliest_event_time(Store& store, const std::vector<std::string>& ids) {
  std::optional<std::string> earliest;
  SQLite::Statement q(store.db(), "SELECT ts FROM events WHERE key = ?1 AND id = ?2");
  for (const auto& id : ids) {
    q.bind(1, event_key(id));
    q.bind(2, id);
    if (q.executeStep()) {
      const auto t = normalize_time(q.getColumn(0).getString());
      if (t && (!earliest || *t < *earliest)) earliest = *t;
    }
    q.reset();
  }
  return earliest;
}

std::vector<std::int64_t> durations_of_finished_calls(Store& store, const std::string& tool) {
  std::vector<std::int64_t> out;
  SQLite::Statement q(store.db(), R"SQL(
SELECT duration_ms FROM events WHERE tool = ?1 AND outcome IN ('success', 'failure') AND duration_ms IS NOT NULL
)SQL");
  q.bind(1, tool);
  while (q.executeStep()) out.push_back(q.getColumn(0).getInt64());
  return out;
}

}  // namespace pat
