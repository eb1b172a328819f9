#pragma once
// Schema migrations, oldest first. Migration N (1-based) brings the store to user_version N.
// Never edit a migration that has shipped: add a new one.
#include <array>

namespace pat {

inline constexpr std::array<const char*, 1> kMigrations = {
    // v1: events, rejected input, transcript read offsets.
    R"SQL(
CREATE TABLE events(
  key         INTEGER,          -- the id's first 63 bits: a small, fast unique key
  id          TEXT NOT NULL,
  ts          TEXT NOT NULL,
  source      TEXT NOT NULL,
  session     TEXT,
  event       TEXT NOT NULL,
  tool        TEXT,
  tool_use_id TEXT,
  outcome     TEXT NOT NULL,
  exit_code   INTEGER,
  duration_ms INTEGER,
  model       TEXT,
  call_key    TEXT,
  details     TEXT           -- JSON: the record's fields without a column (input, error, cwd,
                             -- agent, tokens, extra); NULL when it has none
);
-- An integer key indexes twice as fast as the 32-character id; the rare event whose key is
-- taken by another id (a 63-bit collision) is stored with key NULL, not dropped.
CREATE UNIQUE INDEX events_key ON events(key);
-- A finished tool call seen both by a hook and in its transcript is stored once.
CREATE UNIQUE INDEX events_call ON events(call_key) WHERE call_key IS NOT NULL;
-- The whole event record, as patlog writes it, rebuilt from the columns and the details.
-- (json_patch drops the columns that are NULL: absent fields stay absent.)
CREATE VIEW event_records(rowid, id, ts, record) AS
SELECT rowid, id, ts, json_patch(coalesce(details, '{}'), json_object(
         'kind', 'event', 'v', 1, 'id', id, 'ts', ts, 'source', source, 'session', session,
         'event', event, 'tool', tool, 'tool_use_id', tool_use_id, 'outcome', outcome,
         'exit_code', exit_code, 'duration_ms', duration_ms, 'model', model))
  FROM events;
CREATE TABLE rejects(
  id          INTEGER PRIMARY KEY,
  received_at TEXT NOT NULL,
  source      TEXT NOT NULL,
  line        INTEGER,
  reason      TEXT NOT NULL,
  disposition TEXT NOT NULL CHECK (disposition IN ('rejected', 'repaired')),
  raw         BLOB NOT NULL
);
CREATE TABLE transcript_offsets(
  path       TEXT PRIMARY KEY,
  offset     INTEGER NOT NULL,
  updated_at TEXT NOT NULL
);
)SQL",
};

}  // namespace pat
