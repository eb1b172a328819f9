#pragma once
// Schema migrations, oldest first. Migration N (1-based) brings the store to user_version N.
// Never edit a migration that has shipped: add a new one.
#include <array>

namespace pat {

inline constexpr std::array<const char*, 5> kMigrations = {
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
    // v2: what patdetect and patlearn keep: patterns with their versions, the observations and
    // imports already merged (so that feeding them again changes nothing), automation
    // candidates, patcheck's verdicts awaiting the outcome of their call, and read positions.
    R"SQL(
CREATE TABLE patterns(
  id           TEXT PRIMARY KEY,
  tool         TEXT NOT NULL,
  category     TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('active', 'archived')),
  confidence   REAL NOT NULL,
  level        TEXT NOT NULL,
  observations INTEGER NOT NULL,
  first_seen   TEXT,
  last_seen    TEXT,
  version      INTEGER NOT NULL,
  updated_at   TEXT NOT NULL,
  mistake      TEXT NOT NULL,     -- the record's "mistake" (JSON): all patcheck parses of a pattern
                                  -- that does not match
  record       TEXT NOT NULL      -- the whole pattern record (JSON), as patlearn writes it
);
-- patcheck looks up the active patterns of one tool before every call: the index holds all it
-- reads of a pattern that does not match, so the lookup never touches the table's large rows.
CREATE INDEX patterns_check ON patterns(tool, status, confidence, id, observations, mistake);
-- ... and, for a workflow check, whether the session already ran a tool successfully.
CREATE INDEX events_session_tool ON events(session, tool) WHERE outcome = 'success';
CREATE TABLE pattern_versions(
  pattern    TEXT NOT NULL,
  version    INTEGER NOT NULL,
  record     TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  reason     TEXT NOT NULL,
  PRIMARY KEY (pattern, version)
);
CREATE TABLE merged_observations(
  id        TEXT PRIMARY KEY,     -- observation id
  pattern   TEXT NOT NULL,
  merged_at TEXT NOT NULL
);
CREATE TABLE merged_imports(
  hash        TEXT PRIMARY KEY,   -- content hash of an imported pattern record
  pattern     TEXT NOT NULL,
  imported_at TEXT NOT NULL
);
CREATE TABLE candidates(
  id          TEXT PRIMARY KEY,
  type        TEXT NOT NULL,
  signature   TEXT NOT NULL,
  occurrences INTEGER NOT NULL,
  ts          TEXT,
  updated_at  TEXT NOT NULL,
  record      TEXT NOT NULL
);
CREATE TABLE verdicts(
  id          INTEGER PRIMARY KEY,
  ts          TEXT NOT NULL,
  session     TEXT,
  tool        TEXT NOT NULL,
  tool_use_id TEXT,
  decision    TEXT NOT NULL CHECK (decision IN ('warn', 'block')),
  patterns    TEXT NOT NULL,      -- JSON array of the ids of the patterns that matched
  counted     INTEGER NOT NULL DEFAULT 0,  -- patlearn has added it to the patterns' checks
  outcome     TEXT,               -- success | failure | none, once reconciled
  reconciled_at TEXT
);
CREATE INDEX verdicts_open ON verdicts(tool_use_id) WHERE reconciled_at IS NULL;
CREATE TABLE cursors(
  name       TEXT PRIMARY KEY,    -- "patdetect": the last events rowid it processed
  position   INTEGER NOT NULL,
  updated_at TEXT NOT NULL
);
)SQL",
    // v3: what patdetect decided about each failed call it judged, for the reports and the
    // feedback to read instead of judging the failure again.
    R"SQL(
CREATE TABLE failure_decisions(
  event         TEXT PRIMARY KEY,   -- the failed event's id
  class         TEXT NOT NULL,      -- PARAMETER_FORMAT, ..., network, ..., unclassified
  usage_mistake INTEGER NOT NULL,
  template      TEXT NOT NULL,
  decided_at    TEXT NOT NULL
);
)SQL",
    // v4: a count of the commits that changed patterns, for the check index beside the store
    // (check/check_index.hpp): an index is installed only if no such commit came after the
    // state it was built from.
    R"SQL(
CREATE TABLE pattern_generation(generation INTEGER NOT NULL);
INSERT INTO pattern_generation(generation) VALUES(0);
)SQL",
    // v5: the runs of patsetup learn (at the end of a session, or by hand), for the doctor.
    R"SQL(
CREATE TABLE learning_runs(
  id          INTEGER PRIMARY KEY,
  trigger     TEXT NOT NULL,     -- session-end | manual
  started_at  TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  status      TEXT NOT NULL,     -- ok | failed | timed_out
  events      INTEGER NOT NULL,  -- events stored since the run before, that this one learned from
  patterns    INTEGER NOT NULL,  -- active patterns after it
  message     TEXT NOT NULL      -- what went wrong, "" when nothing did
);
)SQL",
};

}  // namespace pat
