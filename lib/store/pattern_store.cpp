#include "store/pattern_store.hpp"

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/time_format.hpp"

namespace pat {
namespace {

Pattern pattern_from_text(const std::string& text) { return pattern_from_json(json::parse(text)); }

// The pattern of the current row of a query of (record, id); nullopt, noted in the store, when
// the stored record cannot be read.
std::optional<Pattern> stored_pattern(Store& store, SQLite::Statement& q) {
  try {
    return pattern_from_text(q.getColumn(0).getString());
  } catch (const std::exception& e) {
    store.note_unreadable(fmt::format("pattern {}: {}", q.getColumn(1).getString(), e.what()));
    return std::nullopt;
  }
}

std::vector<Pattern> patterns_of(Store& store, SQLite::Statement& q) {
  std::vector<Pattern> out;
  while (q.executeStep())
    if (auto p = stored_pattern(store, q)) out.push_back(std::move(*p));
  return out;
}

bool exists(SQLite::Database& db, const char* sql, const std::string& key) {
  SQLite::Statement q(db, sql);
  q.bind(1, key);
  return q.executeStep();
}

void insert_key(SQLite::Database& db, const char* sql, const std::string& key, const std::string& pattern) {
  SQLite::Statement q(db, sql);
  q.bind(1, key);
  q.bind(2, pattern);
  q.bind(3, now_rfc3339());
  q.exec();
}

}  // namespace

std::vector<Pattern> PatternStore::find(const std::string& tool, Category category) {
  SQLite::Statement q(store_.db(), "SELECT record, id FROM patterns WHERE tool = ?1 AND category = ?2 ORDER BY id");
  q.bind(1, tool);
  q.bind(2, std::string(category_name(category)));
  return patterns_of(store_, q);
}

std::optional<Pattern> PatternStore::get(const std::string& id) {
  SQLite::Statement q(store_.db(), "SELECT record, id FROM patterns WHERE id = ?1");
  q.bind(1, id);
  auto found = patterns_of(store_, q);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

void PatternStore::save(const Pattern& p, const std::string& reason) {
  store_.patterns_written();
  const std::string record = dump_json(to_json(p));
  const std::string now = now_rfc3339();
  SQLite::Statement q(store_.db(), R"SQL(
INSERT INTO patterns(id, tool, category, status, confidence, level, observations, first_seen, last_seen,
                     version, updated_at, mistake, record)
VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?13, ?12)
ON CONFLICT(id) DO UPDATE SET tool = excluded.tool, category = excluded.category, status = excluded.status,
  confidence = excluded.confidence, level = excluded.level, observations = excluded.observations,
  first_seen = excluded.first_seen, last_seen = excluded.last_seen, version = excluded.version,
  updated_at = excluded.updated_at, mistake = excluded.mistake, record = excluded.record
)SQL");
  q.bind(1, p.base.id);
  q.bind(2, p.base.tool);
  q.bind(3, std::string(category_name(p.base.category)));
  q.bind(4, std::string(status_name(p.status)));
  q.bind(5, p.confidence);
  q.bind(6, std::string(level_name(p.level)));
  q.bind(7, p.observations);
  q.bind(8, p.first_seen);
  q.bind(9, p.last_seen);
  q.bind(10, p.version);
  q.bind(11, now);
  q.bind(12, record);
  q.bind(13, dump_json(p.base.mistake));
  q.exec();
  SQLite::Statement v(store_.db(), R"SQL(
INSERT INTO pattern_versions(pattern, version, record, changed_at, reason) VALUES(?1, ?2, ?3, ?4, ?5)
ON CONFLICT(pattern, version) DO UPDATE SET record = excluded.record, changed_at = excluded.changed_at,
  reason = excluded.reason
)SQL");
  v.bind(1, p.base.id);
  v.bind(2, p.version);
  v.bind(3, record);
  v.bind(4, now);
  v.bind(5, reason);
  v.exec();
}

void PatternStore::for_each(const std::function<void(const Pattern&)>& visit) {
  SQLite::Statement q(store_.db(), "SELECT record, id FROM patterns ORDER BY id");
  while (q.executeStep())
    if (const auto p = stored_pattern(store_, q)) visit(*p);
}

bool PatternStore::observation_merged(const std::string& observation_id) {
  return exists(store_.db(), "SELECT 1 FROM merged_observations WHERE id = ?1", observation_id);
}

void PatternStore::mark_observation_merged(const std::string& observation_id, const std::string& pattern_id) {
  insert_key(store_.db(), "INSERT OR REPLACE INTO merged_observations(id, pattern, merged_at) VALUES(?1, ?2, ?3)",
             observation_id, pattern_id);
}

bool PatternStore::import_merged(const std::string& hash) {
  return exists(store_.db(), "SELECT 1 FROM merged_imports WHERE hash = ?1", hash);
}

void PatternStore::mark_import_merged(const std::string& hash, const std::string& pattern_id) {
  insert_key(store_.db(), "INSERT OR REPLACE INTO merged_imports(hash, pattern, imported_at) VALUES(?1, ?2, ?3)", hash,
             pattern_id);
}

Pattern PatternStore::rollback(const std::string& id) {
  const auto current = get(id);
  if (!current) throw Error(Exit::data_error, fmt::format("no pattern {}", id));
  SQLite::Statement q(
      store_.db(),
      "SELECT record FROM pattern_versions WHERE pattern = ?1 AND version < ?2 ORDER BY version DESC LIMIT 1");
  q.bind(1, id);
  q.bind(2, current->version);
  if (!q.executeStep())
    throw Error(Exit::data_error, fmt::format("pattern {} has no version before version {}", id, current->version));
  Pattern previous = pattern_from_text(q.getColumn(0).getString());
  SQLite::Statement del(store_.db(), "DELETE FROM pattern_versions WHERE pattern = ?1 AND version >= ?2");
  del.bind(1, id);
  del.bind(2, current->version);
  del.exec();
  save(previous, fmt::format("rolled back from version {}", current->version));
  return previous;
}

void PatternStore::save_candidate(const Candidate& c) {
  SQLite::Statement q(store_.db(), R"SQL(
INSERT INTO candidates(id, type, signature, occurrences, ts, updated_at, record) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT(id) DO UPDATE SET occurrences = excluded.occurrences, ts = excluded.ts,
  updated_at = excluded.updated_at, record = excluded.record
)SQL");
  q.bind(1, c.id);
  q.bind(2, c.type);
  q.bind(3, c.signature);
  q.bind(4, c.occurrences);
  q.bind(5, c.ts);
  q.bind(6, now_rfc3339());
  q.bind(7, dump_json(to_json(c)));
  q.exec();
}

std::vector<Candidate> PatternStore::candidates() {
  std::vector<Candidate> out;
  SQLite::Statement q(store_.db(), "SELECT record FROM candidates ORDER BY id");
  while (q.executeStep()) out.push_back(candidate_from_json(json::parse(q.getColumn(0).getString())));
  return out;
}

std::vector<PatternStore::Checkable> PatternStore::checkable(const std::string& tool, double min_confidence) {
  std::vector<Checkable> out;
  SQLite::Statement q(store_.db(), R"SQL(
SELECT id, confidence, observations, mistake FROM patterns
 WHERE tool = ?1 AND status = 'active' AND confidence >= ?2
 ORDER BY confidence DESC, id
)SQL");
  q.bind(1, tool);
  q.bind(2, min_confidence);
  while (q.executeStep())
    out.push_back({q.getColumn(0).getString(), q.getColumn(1).getDouble(), q.getColumn(2).getInt64(),
                   q.getColumn(3).getString()});
  return out;
}

PatternStore::ActiveCounts PatternStore::count_active() {
  SQLite::Statement q(store_.db(), R"SQL(
SELECT count(*), count(*) FILTER (WHERE level IN ('critical', 'high', 'medium')) FROM patterns WHERE status = 'active'
)SQL");
  q.executeStep();
  return {q.getColumn(0).getInt64(), q.getColumn(1).getInt64()};
}

std::vector<Pattern> PatternStore::top_shown(std::size_t limit) {
  SQLite::Statement q(store_.db(), R"SQL(
SELECT record, id FROM patterns WHERE status = 'active' AND level IN ('critical', 'high', 'medium')
 ORDER BY CASE level WHEN 'critical' THEN 0 WHEN 'high' THEN 1 ELSE 2 END, confidence DESC, id LIMIT ?1
)SQL");
  q.bind(1, static_cast<std::int64_t>(limit));
  return patterns_of(store_, q);
}

}  // namespace pat
