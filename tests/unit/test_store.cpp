#include <sys/stat.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <doctest/doctest.h>

#include "store/store.hpp"
#include "unit_helpers.hpp"
#include "util/content_hash.hpp"
#include "util/error.hpp"

using pat::InsertResult;
using pat::json;
using pat::Store;
using pat_test::TempDir;

namespace {

std::unique_ptr<Store> open_store(const pat::fs::path& path) {
  pat::StoreOptions o;
  o.path = path;
  o.busy_timeout_ms = 10000;
  return Store::open(o);
}

// Record ids are 32-hex-digit content hashes; the tests use the same form.
std::string id_of(const std::string& name) { return pat::content_hash(name); }

pat::Event make_event(const std::string& name, const std::string& source, const std::string& tool_use_id,
                      const std::string& outcome, const std::string& model = "") {
  pat::Event e;
  e.id = id_of(name);
  e.ts = "2026-02-25T16:09:44.068Z";
  e.source = source;
  e.session = "sess-1";
  e.event = outcome == "failure" ? "PostToolUseFailure" : outcome == "success" ? "PostToolUse" : "PreToolUse";
  e.tool = "Edit";
  e.tool_use_id = tool_use_id;
  e.outcome = *pat::parse_outcome(outcome);
  e.model = model;
  if (!model.empty()) e.tokens = pat::TokenUsage{10, 20, 30, 40};
  return e;
}

InsertResult insert(Store& s, const pat::Event& e) {
  pat::SerializedEvent ser;
  pat::serialize_event(e, true, ser);
  return s.insert_event(e, ser.details);
}

unsigned mode_of(const pat::fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return static_cast<unsigned>(st.st_mode) & 07777u;
}

}  // namespace

TEST_SUITE("store") {
  TEST_CASE("Store::open creates the file 0600 and its new directory 0700") {
    TempDir tmp;
    const auto path = tmp / "state/pattools/pat.db";
    auto s = open_store(path);
    REQUIRE(s);
    CHECK(pat::fs::is_regular_file(path));
    CHECK(mode_of(path) == 0600u);
    CHECK(mode_of(path.parent_path()) == 0700u);
  }

  TEST_CASE("Store::open: WAL journal, application_id and user_version are set") {
    TempDir tmp;
    auto s = open_store(tmp / "pat.db");
    CHECK(s->db().execAndGet("PRAGMA journal_mode").getString() == "wal");
    CHECK(s->db().execAndGet("PRAGMA application_id").getInt() == pat::kApplicationId);
    CHECK(s->db().execAndGet("PRAGMA user_version").getInt() == Store::latest_schema_version());
    CHECK(s->schema_version() == Store::latest_schema_version());
    CHECK(Store::latest_schema_version() >= 1);
  }

  TEST_CASE("Store::open: reopening an existing store keeps its data and schema") {
    TempDir tmp;
    const auto path = tmp / "pat.db";
    int schema_cookie = 0;
    {
      auto s = open_store(path);
      CHECK(insert(*s, make_event("e1", "claude-hook", "toolu_1", "success")) == InsertResult::stored);
      schema_cookie = s->db().execAndGet("PRAGMA schema_version").getInt();
    }
    auto s = open_store(path);
    CHECK(s->schema_version() == Store::latest_schema_version());
    // No migration ran again: the schema cookie changes with every schema change.
    CHECK(s->db().execAndGet("PRAGMA schema_version").getInt() == schema_cookie);
    CHECK(s->count_events() == 1);
    CHECK(mode_of(path) == 0600u);
  }

  TEST_CASE("insert_event: the same id twice is stored, then a duplicate") {
    TempDir tmp;
    auto s = open_store(tmp / "pat.db");
    const auto e = make_event("same-id", "claude-hook", "toolu_1", "failure");
    CHECK(insert(*s, e) == InsertResult::stored);
    CHECK(insert(*s, e) == InsertResult::duplicate);
    CHECK(s->count_events() == 1);
  }

  TEST_CASE("insert_event: events without tool_use_id or with outcome unknown are all stored") {
    TempDir tmp;
    auto s = open_store(tmp / "pat.db");
    CHECK(insert(*s, make_event("a", "claude-hook", "toolu_1", "unknown")) == InsertResult::stored);
    CHECK(insert(*s, make_event("b", "claude-hook", "toolu_1", "unknown")) == InsertResult::stored);
    CHECK(insert(*s, make_event("c", "generic", "", "failure")) == InsertResult::stored);
    CHECK(insert(*s, make_event("d", "generic", "", "failure")) == InsertResult::stored);
    CHECK(s->count_events() == 4);
  }

  TEST_CASE("insert_event: a hook event and its transcript twin are stored once; the stored copy gains the model") {
    TempDir tmp;
    auto s = open_store(tmp / "pat.db");
    const auto from_hook = make_event("hook-id", "claude-hook", "toolu_9", "failure");
    const auto from_transcript =
        make_event("transcript-id", "claude-transcript", "toolu_9", "failure", "claude-opus-4-7");
    CHECK(insert(*s, from_hook) == InsertResult::stored);
    CHECK(insert(*s, from_transcript) == InsertResult::merged);
    CHECK(s->count_events() == 1);

    SQLite::Statement q(s->db(), "SELECT e.id, e.model, r.record FROM events e JOIN event_records r ON r.id = e.id");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getString() == id_of("hook-id"));
    CHECK(q.getColumn(1).getString() == "claude-opus-4-7");
    json record = json::parse(q.getColumn(2).getString());
    CHECK(record["model"] == "claude-opus-4-7");
    REQUIRE(record["tokens"].is_object());
    CHECK(record["tokens"]["input"] == 10);
    CHECK(record["tokens"]["cache_write"] == 40);
    CHECK(record["source"] == "claude-hook");
  }

  TEST_CASE("insert_event: the transcript copy first, then the hook copy is a duplicate") {
    TempDir tmp;
    auto s = open_store(tmp / "pat.db");
    CHECK(insert(*s, make_event("t", "claude-transcript", "toolu_9", "failure", "claude-opus-4-7")) ==
          InsertResult::stored);
    CHECK(insert(*s, make_event("h", "claude-hook", "toolu_9", "failure")) == InsertResult::duplicate);
    CHECK(s->count_events() == 1);
    CHECK(s->db().execAndGet("SELECT model FROM events").getString() == "claude-opus-4-7");
  }

  TEST_CASE("insert_event: the same tool_use_id with a different outcome is another event") {
    TempDir tmp;
    auto s = open_store(tmp / "pat.db");
    CHECK(insert(*s, make_event("x1", "claude-hook", "toolu_5", "failure")) == InsertResult::stored);
    CHECK(insert(*s, make_event("x2", "claude-transcript", "toolu_5", "success", "m")) == InsertResult::stored);
    CHECK(s->count_events() == 2);
  }

  TEST_CASE("insert_event: ids sharing their first 16 hex digits are two events, each deduplicated") {
    // The events table's unique key is the id's first 63 bits; an id whose key is taken is stored
    // with key NULL, and then nothing stops the same id from being stored again.
    TempDir tmp;
    auto s = open_store(tmp / "pat.db");
    auto a = make_event("a", "generic", "", "success");
    auto b = make_event("b", "generic", "", "success");
    a.id = "0123456789abcdef" + std::string(16, '0');
    b.id = "0123456789abcdef" + std::string(16, '1');
    CHECK(insert(*s, a) == InsertResult::stored);
    CHECK(insert(*s, b) == InsertResult::stored);
    CHECK(s->count_events() == 2);
    CHECK(insert(*s, a) == InsertResult::duplicate);
    CHECK(insert(*s, b) == InsertResult::duplicate);
    CHECK(s->count_events() == 2);
  }

  TEST_CASE("insert_reject keeps raw bytes, NUL and invalid UTF-8 included, exactly") {
    TempDir tmp;
    auto s = open_store(tmp / "pat.db");
    const std::string raw("{\"a\":\"x\0y\xFF\xFE\xC0\xAF\"}\r", 16);
    REQUIRE(raw.size() == 16);
    s->insert_reject(pat::Reject{"input.jsonl", 7, "malformed JSON", "rejected", raw});
    s->insert_reject(pat::Reject{"<stdin>", 8, "empty", "repaired", ""});
    CHECK(s->count_rejects() == 2);
    SQLite::Statement q(s->db(), "SELECT source, line, reason, disposition, raw, typeof(raw) FROM rejects ORDER BY id");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getString() == "input.jsonl");
    CHECK(q.getColumn(1).getInt64() == 7);
    CHECK(q.getColumn(2).getString() == "malformed JSON");
    CHECK(q.getColumn(3).getString() == "rejected");
    const auto blob = q.getColumn(4);
    const std::string back(static_cast<const char*>(blob.getBlob()), static_cast<std::size_t>(blob.getBytes()));
    CHECK(back == raw);
    CHECK(q.getColumn(5).getString() == "blob");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(4).getBytes() == 0);
  }

  TEST_CASE("insert_reject: a disposition outside rejected|repaired is refused by the schema") {
    TempDir tmp;
    auto s = open_store(tmp / "pat.db");
    CHECK_THROWS(s->insert_reject(pat::Reject{"f", 1, "r", "ignored", "x"}));
  }

  TEST_CASE("transcript offsets round trip and are updated in place") {
    TempDir tmp;
    const auto path = tmp / "pat.db";
    {
      auto s = open_store(path);
      CHECK_FALSE(s->transcript_offset("/t/a.jsonl").has_value());
      s->set_transcript_offset("/t/a.jsonl", 123);
      CHECK(s->transcript_offset("/t/a.jsonl") == std::uint64_t{123});
      s->set_transcript_offset("/t/a.jsonl", 456);
      s->set_transcript_offset("/t/b.jsonl", std::uint64_t{1} << 40);
      CHECK(s->transcript_offset("/t/a.jsonl") == std::uint64_t{456});
    }
    auto s = open_store(path);
    CHECK(s->transcript_offset("/t/a.jsonl") == std::uint64_t{456});
    CHECK(s->transcript_offset("/t/b.jsonl") == (std::uint64_t{1} << 40));
    CHECK_FALSE(s->transcript_offset("/t/c.jsonl").has_value());
  }

  TEST_CASE("Transaction: rolled back unless committed") {
    TempDir tmp;
    auto s = open_store(tmp / "pat.db");
    {
      Store::Transaction tx(*s);
      insert(*s, make_event("gone", "generic", "", "success"));
    }
    CHECK(s->count_events() == 0);
    {
      Store::Transaction tx(*s);
      insert(*s, make_event("kept", "generic", "", "success"));
      tx.commit();
    }
    CHECK(s->count_events() == 1);
  }

  TEST_CASE("Store::open: an SQLite file of another program is refused with Exit::io_error") {
    TempDir tmp;
    const auto path = tmp / "other.db";
    {
      SQLite::Database other(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      other.exec("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT)");
      other.exec("INSERT INTO notes(body) VALUES('keep me')");
      REQUIRE(other.execAndGet("PRAGMA application_id").getInt() == 0);
    }
    const auto err = pat_test::error_of([&] { open_store(path); });
    CHECK(err.code == pat::Exit::io_error);
    CHECK(err.message.find("other.db") != std::string::npos);
    SQLite::Database other(path.string(), SQLite::OPEN_READONLY);
    CHECK(other.execAndGet("SELECT body FROM notes").getString() == "keep me");
    CHECK(other.execAndGet("PRAGMA user_version").getInt() == 0);
    CHECK(other.execAndGet("SELECT count(*) FROM sqlite_schema WHERE name = 'events'").getInt() == 0);
  }

  TEST_CASE("Store::open: refusing another program's file leaves its journal mode alone") {
    TempDir tmp;
    const auto path = tmp / "other.db";
    {
      SQLite::Database other(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      other.exec("CREATE TABLE notes(id INTEGER PRIMARY KEY)");
      REQUIRE(other.execAndGet("PRAGMA journal_mode").getString() == "delete");
    }
    CHECK(pat_test::error_of([&] { open_store(path); }).code == pat::Exit::io_error);
    SQLite::Database other(path.string(), SQLite::OPEN_READONLY);
    CHECK(other.execAndGet("PRAGMA journal_mode").getString() == "delete");
  }

  TEST_CASE("Store::open: an SQLite file with a foreign application_id is refused") {
    TempDir tmp;
    const auto path = tmp / "foreign.db";
    {
      SQLite::Database other(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      other.exec("PRAGMA application_id=1234");
      other.exec("CREATE TABLE t(x)");
    }
    CHECK(pat_test::error_of([&] { open_store(path); }).code == pat::Exit::io_error);
  }

  TEST_CASE("Store::open: a file that is not a database is refused with Exit::io_error") {
    TempDir tmp;
    const auto path = tmp / "notes.txt";
    pat_test::write_file(path, std::string(4096, 'x') + "this is a text file, not an SQLite database\n");
    CHECK(pat_test::error_of([&] { open_store(path); }).code == pat::Exit::io_error);
  }

  TEST_CASE("Store::open: a store with a newer schema than this build is refused") {
    TempDir tmp;
    const auto path = tmp / "pat.db";
    {
      auto s = open_store(path);
      s->db().exec("PRAGMA user_version=" + std::to_string(Store::latest_schema_version() + 1));
    }
    const auto err = pat_test::error_of([&] { open_store(path); });
    CHECK(err.code == pat::Exit::io_error);
    CHECK(err.message.find("newer") != std::string::npos);
  }

  TEST_CASE("Store::open: a path under a regular file cannot be created") {
    TempDir tmp;
    pat_test::write_file(tmp / "file", "x");
    CHECK(pat_test::error_of([&] { open_store(tmp / "file/pat.db"); }).code == pat::Exit::cant_create);
  }

  TEST_CASE("Store::open: a directory where the store should be cannot be used") {
    TempDir tmp;
    pat::fs::create_directories(tmp / "pat.db");
    CHECK(pat_test::error_of([&] { open_store(tmp / "pat.db"); }).code == pat::Exit::cant_create);
  }

  namespace {

  // Each of `threads` threads opens the store and writes `per_thread` events, one transaction each.
  // Returns the number of threads that failed.
  int write_concurrently(const pat::fs::path& path, int threads, int per_thread, const std::string& tag) {
    std::atomic<int> failures{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        try {
          auto s = open_store(path);
          for (int i = 0; i < per_thread; ++i) {
            Store::Transaction tx(*s);
            const std::string name = tag + "/" + std::to_string(t) + "/" + std::to_string(i);
            if (insert(*s, make_event(name, "generic", "", "success")) != InsertResult::stored) {
              ++failures;
              return;
            }
            tx.commit();
          }
        } catch (const std::exception& e) {
          MESSAGE("writer failed: " << std::string(e.what()));
          ++failures;
        }
      });
    }
    for (auto& th : pool) th.join();
    return failures.load();
  }

  }  // namespace

  TEST_CASE("concurrent writers on an existing store all succeed and lose no row") {
    TempDir tmp;
    const auto path = tmp / "pat.db";
    open_store(path);
    CHECK(write_concurrently(path, 4, 50, "w") == 0);
    CHECK(open_store(path)->count_events() == 4 * 50);
  }

  TEST_CASE("concurrent first opens of a new store all succeed") {
    // Several hook processes may be the first to touch a new store at the same moment. Store::open
    // switches the file to WAL outside the busy-timeout-protected transaction; that PRAGMA can
    // fail at once with SQLITE_BUSY ("database is locked", Exit::busy) while another connection
    // is migrating. The race is narrow, so it is tried a number of times.
    int failed = 0;
    for (int round = 0; round < 30; ++round) {
      TempDir tmp;
      failed += write_concurrently(tmp / "pat.db", 4, 2, "r");
    }
    CHECK(failed == 0);
  }

}  // TEST_SUITE
