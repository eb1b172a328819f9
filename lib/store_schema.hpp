#pragma once
// Schema migrations, oldest first. Migration N (1-based) brings the store to user_version N.
// Never edit a migration that has shipped: add a new one.
#include <array>

namespace pat {

inline constexpr std::array<const char*, 1> kMigrations = {
    // v1: events, rejected input, transcript read offsets.
    R"SQL(
CREATE TABLE events(
  id          TEXT PRIMARY KEY,
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
  record      TEXT NOT NULL,
  ingested_at TEXT NOT NULL
);
-- A finished tool call seen both by a hook and in its transcript is stored once.
CREATE UNIQUE INDEX events_call ON events(call_key) WHERE call_key IS NOT NULL;
CREATE INDEX events_session_ts ON events(session, ts);
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
