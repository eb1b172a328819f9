#include <memory>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <doctest/doctest.h>

#include "store/schema.hpp"
#include "store/store.hpp"
#include "unit_helpers.hpp"
#include "util/content_hash.hpp"
#include "util/error.hpp"

using pat::json;
using pat::Store;
using pat_test::TempDir;

namespace {

const std::vector<std::string> kV2Tables = {
    "patterns", "pattern_versions", "merged_observations", "merged_imports", "candidates", "verdicts", "cursors"};

const std::string kOldEventId = pat::content_hash("event from v1");

// A store as pattools wrote it at schema v1: only the first migration, marked as a pattools store
// at user_version 1, with one event in it. `extra_sql` runs after it, still at v1.
void make_v1_store(const pat::fs::path& path, const std::string& extra_sql = "", bool wal = false) {
  SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  if (wal) db.exec("PRAGMA journal_mode=WAL");
  db.exec("BEGIN");
  db.exec(pat::kMigrations[0]);
  db.exec("PRAGMA application_id=" + std::to_string(0x50415431));
  db.exec("PRAGMA user_version=1");
  SQLite::Statement ins(db, R"SQL(
INSERT INTO events(key, id, ts, source, session, event, tool, tool_use_id, outcome, exit_code, call_key, details)
VALUES(?1, ?2, '2026-02-25T16:09:44.068Z', 'claude-hook', 'sess-1', 'PostToolUseFailure', 'Bash', 'toolu_1',
       'failure', 1, 'toolu_1|failure', '{"input":{"command":"just build"},"error":"just: command not found"}')
)SQL");
  ins.bind(1, pat::event_key(kOldEventId));
  ins.bind(2, kOldEventId);
  ins.exec();
  if (!extra_sql.empty()) db.exec(extra_sql);
  db.exec("COMMIT");
}

std::unique_ptr<Store> open_store(const pat::fs::path& path) {
  return Store::open(pat::StoreOptions{path, 10000, false});
}

bool has_table(SQLite::Database& db, const std::string& name) {
  SQLite::Statement q(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1");
  q.bind(1, name);
  return q.executeStep();
}

int user_version_of(const pat::fs::path& path) {
  SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
  return db.execAndGet("PRAGMA user_version").getInt();
}

}  // namespace

TEST_SUITE("store_migration") {
  TEST_CASE("the migrations: v1 then v2, and the latest version is their count") {
    CHECK(pat::kMigrations.size() >= 2);
    CHECK(Store::latest_schema_version() == static_cast<int>(pat::kMigrations.size()));
    CHECK(pat::kApplicationId == 0x50415431);
  }

  TEST_CASE("a v1 store is migrated to the latest version; its events are kept, the v2 tables are there") {
    TempDir tmp;
    const auto path = tmp / "pat.db";
    SUBCASE("made with a rollback journal") { make_v1_store(path); }
    SUBCASE("in WAL mode, as pattools left it") { make_v1_store(path, "", true); }
    REQUIRE(user_version_of(path) == 1);
    {
      SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
      for (const auto& t : kV2Tables) CHECK_FALSE(has_table(db, t));
    }

    auto s = open_store(path);
    CHECK(s->schema_version() == Store::latest_schema_version());
    CHECK(s->db().execAndGet("PRAGMA user_version").getInt() == Store::latest_schema_version());
    CHECK(s->db().execAndGet("PRAGMA application_id").getInt() == pat::kApplicationId);
    CHECK(s->db().execAndGet("PRAGMA journal_mode").getString() == "wal");
    for (const auto& t : kV2Tables) {
      CAPTURE(t);
      CHECK(has_table(s->db(), t));
    }
    // The v1 tables and view are still there, and so is the event.
    for (const std::string t : {"events", "rejects", "transcript_offsets"}) CHECK(has_table(s->db(), t));
    CHECK(s->count_events() == 1);
    SQLite::Statement q(s->db(), "SELECT record FROM event_records WHERE id = ?1");
    q.bind(1, kOldEventId);
    REQUIRE(q.executeStep());
    const json record = json::parse(q.getColumn(0).getString());
    CHECK(record["tool"] == "Bash");
    CHECK(record["outcome"] == "failure");
    CHECK(record["exit_code"] == 1);
    CHECK(record["input"]["command"] == "just build");
    CHECK(record["error"] == "just: command not found");

    // The migrated store works like a new one: the old event is still deduplicated, new ones stored,
    // and the new tables take rows.
    pat::Event again;
    again.id = kOldEventId;
    again.ts = "2026-02-25T16:09:44.068Z";
    again.source = "claude-hook";
    again.session = "sess-1";
    again.event = "PostToolUseFailure";
    again.tool = "Bash";
    again.tool_use_id = "toolu_1";
    again.outcome = pat::Outcome::failure;
    CHECK(s->insert_event(again, "") == pat::InsertResult::duplicate);
    pat::Event fresh = again;
    fresh.id = pat::content_hash("event after the migration");
    fresh.tool_use_id = "toolu_2";
    CHECK(s->insert_event(fresh, "") == pat::InsertResult::stored);
    CHECK(s->count_events() == 2);
    s->db().exec(
        "INSERT INTO patterns(id, tool, category, status, confidence, level, observations, version, updated_at, "
        "mistake, record) VALUES('p', 'Bash', 'MISSING_PREREQUISITE', 'active', 0.5, 'low', 1, 1, 'now', '{}', '{}')");
    CHECK(s->db().execAndGet("SELECT count(*) FROM patterns").getInt() == 1);
  }

  TEST_CASE("a migrated store opens again without migrating") {
    TempDir tmp;
    const auto path = tmp / "pat.db";
    make_v1_store(path);
    int cookie = 0;
    {
      auto s = open_store(path);
      cookie = s->db().execAndGet("PRAGMA schema_version").getInt();
    }
    auto s = open_store(path);
    CHECK(s->schema_version() == Store::latest_schema_version());
    CHECK(s->db().execAndGet("PRAGMA schema_version").getInt() == cookie);
    CHECK(s->count_events() == 1);
  }

  TEST_CASE("a migration that fails leaves the store at v1, whole") {
    TempDir tmp;
    const auto path = tmp / "pat.db";
    // A table in the way of the last statement of migration 2.
    make_v1_store(path, "CREATE TABLE cursors(something_else TEXT)");
    const auto err = pat_test::error_of([&] { open_store(path); });
    CHECK(err.code != pat::Exit::ok);
    CHECK(err.message.find(path.string()) != std::string::npos);
    CHECK(user_version_of(path) == 1);
    SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
    // Nothing of migration 2 was kept: it ran in one transaction.
    for (const std::string t : {"patterns", "pattern_versions", "merged_observations", "candidates", "verdicts"})
      CHECK_FALSE(has_table(db, t));
    CHECK(db.execAndGet("SELECT count(*) FROM events").getInt() == 1);
  }

  TEST_CASE("a new store is created at the latest version with every table") {
    TempDir tmp;
    auto s = open_store(tmp / "new.db");
    CHECK(s->schema_version() == Store::latest_schema_version());
    for (const auto& t : kV2Tables) CHECK(has_table(s->db(), t));
    CHECK(has_table(s->db(), "events"));
  }

  TEST_CASE("Store::cursor / set_cursor round-trip") {
    TempDir tmp;
    const auto path = tmp / "pat.db";
    make_v1_store(path);  // the cursors table came with the migration
    {
      auto s = open_store(path);
      CHECK_FALSE(s->cursor("patdetect").has_value());
      s->set_cursor("patdetect", 42);
      CHECK(s->cursor("patdetect") == 42);
      s->set_cursor("patdetect", 7);  // replaced, not added
      CHECK(s->cursor("patdetect") == 7);
      s->set_cursor("patlearn", 0);
      CHECK(s->cursor("patlearn") == 0);
      CHECK(s->cursor("patdetect") == 7);
      const std::int64_t big = (std::int64_t{1} << 62) + 5;
      s->set_cursor("big", big);
      CHECK(s->cursor("big") == big);
      CHECK(s->db().execAndGet("SELECT count(*) FROM cursors").getInt() == 3);
      CHECK_FALSE(s->cursor("").has_value());
      CHECK_FALSE(s->cursor("PATDETECT").has_value());
      // The time of the change is kept.
      const std::string updated =
          s->db().execAndGet("SELECT updated_at FROM cursors WHERE name = 'patdetect'").getString();
      CHECK(updated.size() == 24);
      CHECK(updated.back() == 'Z');
    }
    // Kept across opens.
    auto s = open_store(path);
    CHECK(s->cursor("patdetect") == 7);
    CHECK(s->cursor("patlearn") == 0);
  }

  TEST_CASE("set_cursor inside a transaction that is rolled back changes nothing") {
    TempDir tmp;
    auto s = open_store(tmp / "pat.db");
    s->set_cursor("patdetect", 10);
    {
      Store::Transaction tx(*s);
      s->set_cursor("patdetect", 20);
      CHECK(s->cursor("patdetect") == 20);
    }
    CHECK(s->cursor("patdetect") == 10);
    {
      Store::Transaction tx(*s);
      s->set_cursor("patdetect", 30);
      tx.commit();
    }
    CHECK(s->cursor("patdetect") == 30);
  }

}  // TEST_SUITE
