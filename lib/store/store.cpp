#include "store/store.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include <SQLiteCpp/Exception.h>
#include <fmt/format.h>

#include "store/schema.hpp"
#include "util/error.hpp"
#include "util/file_lock.hpp"
#include "util/time_format.hpp"

namespace pat {
namespace {

void prepare_file(const fs::path& path) {
  std::error_code ec;
  const fs::path dir = path.parent_path();
  if (!dir.empty() && !fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec)
      throw Error(Exit::cant_create, fmt::format("cannot create store directory {}: {}", dir.string(), ec.message()));
    ::chmod(dir.c_str(), 0700);
  }
  if (fs::is_directory(path, ec)) throw Error(Exit::cant_create, fmt::format("store {} is a directory", path.string()));
  // Created here, not by SQLite, so that it is 0600 whatever the umask; SQLite gives its -wal
  // and -shm files the same mode.
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);
}

// The store holds what the agent ran and read: only its owner may read it. An existing store,
// log or shared-memory file that others may read is tightened to 0600 (a store made through a
// dangling symlink, by an older version or under another umask); one that belongs to another
// user is refused rather than used (root may use any).
void tighten_permissions(const fs::path& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::string file = path.string() + suffix;
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (st.st_uid != ::geteuid() && ::geteuid() != 0)
      throw Error(Exit::cant_create, fmt::format("store file {} belongs to another user (uid {}); not opened", file,
                                                 static_cast<unsigned>(st.st_uid)));
    if ((st.st_mode & 077) != 0 && st.st_uid == ::geteuid() && ::chmod(file.c_str(), 0600) != 0)
      throw Error(Exit::cant_create,
                  fmt::format("cannot make store file {} private (0600): {}", file, std::strerror(errno)));
  }
}

}  // namespace

void rethrow_store_error(const std::exception& e, const fs::path& path) {
  if (const auto* pe = dynamic_cast<const Error*>(&e)) throw *pe;
  int code = SQLITE_ERROR;
  if (const auto* se = dynamic_cast<const SQLite::Exception*>(&e)) code = se->getErrorCode() & 0xff;
  const std::string where = fmt::format("store {}: {}", path.string(), e.what());
  switch (code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      throw Error(Exit::busy, where + " (still locked by another process after the busy timeout; try again)");
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH: throw Error(Exit::cant_create, where);
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_IOERR:
    case SQLITE_FULL: throw Error(Exit::io_error, where);
    default: throw Error(Exit::internal, where);
  }
}

Store::Store(const StoreOptions& options)
    : options_(options),
      // One thread at a time uses a connection (the writer thread hands it back through
      // StoreWriter's mutex), so SQLite's own per-call mutex is not needed.
      db_(options.path.string(),
          (options.read_only ? SQLite::OPEN_READONLY : SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) |
              SQLite::OPEN_NOMUTEX,
          options.busy_timeout_ms) {}

Store::~Store() {
  // Patterns written outside a transaction: the index may no longer match them.
  if (patterns_written_) ::unlink(check_index_path().c_str());
  if (!options_.bulk && wal_frames_ >= kHookLogFrames) {
    try {
      // Never wait for another process here (a bulk ingest may hold the store for seconds):
      // if the log cannot be emptied at once, the next hook process that writes tries again.
      db_.setBusyTimeout(0);
      db_.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (...) {
    }
  }
}

int Store::latest_schema_version() { return static_cast<int>(kMigrations.size()); }

int Store::schema_version() { return db_.execAndGet("PRAGMA user_version").getInt(); }

std::unique_ptr<Store> Store::open(const StoreOptions& options) {
  try {
    if (!options.read_only) prepare_file(options.path);
    std::unique_ptr<Store> s(new Store(options));
    if (!options.read_only) tighten_permissions(options.path);
    s->db_.exec("PRAGMA synchronous=NORMAL");
    s->db_.exec("PRAGMA temp_store=MEMORY");
    if (options.bulk) {
      s->db_.exec("PRAGMA cache_size=-131072");
      s->db_.exec("PRAGMA wal_autocheckpoint=20000");  // fewer, larger checkpoints
    } else {
      // A hook process is usually the only connection, and SQLite checkpoints the log when the
      // last connection closes: two fsyncs at every tool call. Instead the log is left in place
      // and emptied (TRUNCATE) only by the process that finds it has grown past kHookLogFrames,
      // so the fsyncs come once every several calls and the next process, which reads the log
      // back when it opens the store, has little to read.
      sqlite3_db_config(s->db_.getHandle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
      sqlite3_wal_hook(
          s->db_.getHandle(),
          [](void* self, sqlite3*, const char*, int frames) {
            static_cast<Store*>(self)->wal_frames_ = frames;
            return SQLITE_OK;
          },
          s.get());
    }
    s->migrate();
    return s;
  } catch (const std::exception& e) {
    rethrow_store_error(e, options.path);
  }
}

void Store::migrate() {
  // One read transaction, so that the three values come from one state of the file: another
  // process may be migrating it right now.
  int app, version, tables;
  {
    db_.exec("BEGIN");
    try {
      app = db_.execAndGet("PRAGMA application_id").getInt();
      version = schema_version();
      tables = db_.execAndGet("SELECT count(*) FROM sqlite_schema").getInt();
      db_.exec("COMMIT");
    } catch (...) {
      db_.exec("ROLLBACK");
      throw;
    }
  }
  if (app == kApplicationId && version == latest_schema_version()) return;  // the hot path
  if (options_.read_only) {
    if (app == 0 && version == 0 && tables == 0)
      throw Error(Exit::no_input, fmt::format("{} is empty, not a pattools store", options_.path.string()));
    if (app == kApplicationId && version < latest_schema_version())
      throw Error(Exit::io_error,
                  fmt::format("store {} has schema v{}; a tool that writes (patlog, patlearn) brings it "
                              "to v{} first",
                              options_.path.string(), version, latest_schema_version()));
  }
  if (app != 0 && app != kApplicationId)
    throw Error(Exit::io_error, fmt::format("{} is not a pattools store (application_id {:#x})", options_.path.string(),
                                            static_cast<unsigned>(app)));
  if (version > latest_schema_version())
    throw Error(Exit::io_error, fmt::format("store {} has schema v{}, newer than this pattools (v{})",
                                            options_.path.string(), version, latest_schema_version()));
  if (app == 0 && version == 0 && tables != 0)
    throw Error(Exit::io_error,
                fmt::format("{} is an SQLite file of another program, not a pattools store", options_.path.string()));
  if (db_.execAndGet("PRAGMA journal_mode").getString() != "wal") {
    // 8 KiB pages make bulk inserts of event rows about a third cheaper than 4 KiB ones; the page
    // size can only change before the file has content and before WAL is on.
    if (tables == 0) db_.exec("PRAGMA page_size=8192");
    // Switching to WAL answers SQLITE_BUSY at once, without the busy handler, while another
    // process is creating the same store: wait for it like for any lock.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.busy_timeout_ms);
    while (true) {
      try {
        db_.exec("PRAGMA journal_mode=WAL");
        break;
      } catch (const SQLite::Exception& e) {
        if ((e.getErrorCode() & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline) throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    }
  }
  Transaction tx(*this);
  // Another process may have migrated while this one waited for the lock.
  version = schema_version();
  for (int v = version; v < latest_schema_version(); ++v) db_.exec(kMigrations[static_cast<std::size_t>(v)]);
  db_.exec(fmt::format("PRAGMA application_id={}", kApplicationId));
  db_.exec(fmt::format("PRAGMA user_version={}", latest_schema_version()));
  tx.commit();
}

Store::ReadTransaction::ReadTransaction(Store& s) : store_(s) { store_.db().exec("BEGIN"); }

Store::ReadTransaction::~ReadTransaction() {
  try {
    store_.db().exec("COMMIT");
  } catch (...) {  // a read transaction has nothing to lose
  }
}

void Store::vacuum() {
  db_.exec("VACUUM");
  db_.exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

Store::Transaction::Transaction(Store& s) : store_(s) { store_.db_.exec("BEGIN IMMEDIATE"); }

Store::Transaction::~Transaction() {
  if (open_) {
    store_.patterns_written_ = false;  // rolled back: the index still matches the patterns
    try {
      store_.db_.exec("ROLLBACK");
    } catch (...) {  // nothing more to do: the transaction is gone either way
    }
  }
}

void Store::Transaction::commit() {
  std::optional<FileLock> index_lock;
  if (store_.patterns_written_) {
    // A rebuild installs its index under the same lock only if the generation it was built
    // from is still the latest; this commit's count is visible the moment the lock is released.
    store_.db_.exec("UPDATE pattern_generation SET generation = generation + 1");
    index_lock.emplace(store_.check_index_lock_path(), std::chrono::milliseconds(store_.options_.busy_timeout_ms));
    if (::unlink(store_.check_index_path().c_str()) != 0 && errno != ENOENT)
      throw Error(Exit::io_error, fmt::format("cannot remove the check index {}: {}",
                                              store_.check_index_path().string(), std::strerror(errno)));
  }
  store_.db_.exec("COMMIT");
  open_ = false;
  if (store_.patterns_written_) {
    store_.patterns_written_ = false;
    store_.check_index_removed_ = true;
  }
}

std::int64_t Store::pattern_generation() {
  return db_.execAndGet("SELECT generation FROM pattern_generation").getInt64();
}

std::int64_t event_key(const std::string& id) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 16 && i < id.size(); ++i) {
    const char c = id[i];
    const unsigned d = c >= '0' && c <= '9'   ? static_cast<unsigned>(c - '0')
                       : c >= 'a' && c <= 'f' ? static_cast<unsigned>(c - 'a' + 10)
                       : c >= 'A' && c <= 'F' ? static_cast<unsigned>(c - 'A' + 10)
                                              : 0u;
    v = (v << 4) | d;
  }
  return static_cast<std::int64_t>(v >> 1);
}

InsertResult Store::insert_event(const Event& e, const std::string& details) {
  // ON CONFLICT DO NOTHING skips uniqueness conflicts only (OR IGNORE would also drop a row that
  // breaks NOT NULL, silently). The rare merge into a call stored from the other source is a
  // second, targeted UPDATE rather than an upsert, which would need a statement journal.
  if (!insert_event_) {
    insert_event_ = std::make_unique<SQLite::Statement>(db_, R"SQL(
INSERT INTO events(key, id, ts, source, session, event, tool, tool_use_id, outcome,
                   exit_code, duration_ms, model, call_key, details)
VALUES(?15, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
ON CONFLICT DO NOTHING
)SQL");
  }
  auto& st = *insert_event_;
  auto text_or_null = [&st](int i, const std::string& v) {
    if (v.empty())
      st.bind(i);
    else
      st.bindNoCopy(i, v);
  };
  // Only Claude Code's hooks and transcripts report the same call twice; a generic record's
  // id names its run, and two runs may share one.
  const std::string call_key = e.source != "generic" && !e.tool_use_id.empty() && e.outcome != Outcome::unknown
                                   ? e.tool_use_id + "|" + std::string(outcome_name(e.outcome))
                                   : "";
  const std::int64_t key = event_key(e.id);
  st.bindNoCopy(1, e.id);
  st.bindNoCopy(2, e.ts);
  st.bindNoCopy(3, e.source);
  text_or_null(4, e.session);
  st.bindNoCopy(5, e.event);
  text_or_null(6, e.tool);
  text_or_null(7, e.tool_use_id);
  st.bind(8, std::string(outcome_name(e.outcome)));
  if (e.exit_code)
    st.bind(9, *e.exit_code);
  else
    st.bind(9);
  if (e.duration_ms)
    st.bind(10, *e.duration_ms);
  else
    st.bind(10);
  text_or_null(11, e.model);
  text_or_null(12, call_key);
  text_or_null(13, details);
  st.bind(15, key);
  int changes = st.exec();
  st.reset();
  if (changes == 0) {
    // Ignored: the same id, the same call from another source, or another id with this key.
    if (!key_owner_) key_owner_ = std::make_unique<SQLite::Statement>(db_, "SELECT id = ?2 FROM events WHERE key = ?1");
    key_owner_->bind(1, key);
    key_owner_->bindNoCopy(2, e.id);
    const bool key_taken_by_other = key_owner_->executeStep() && key_owner_->getColumn(0).getInt() == 0;
    key_owner_->reset();
    if (key_taken_by_other) {
      // Stored with key NULL (unique indexes allow any number of them), once.
      SQLite::Statement again(db_, "SELECT count(*) FROM events WHERE key IS NULL AND id = ?1");
      again.bind(1, e.id);
      if (again.executeStep() && again.getColumn(0).getInt() == 0) {
        st.bind(15);
        changes = st.exec();
        st.reset();
      }
    }
  }
  if (changes > 0) return InsertResult::stored;
  if (call_key.empty() || e.model.empty()) return InsertResult::duplicate;
  if (!merge_call_) {
    merge_call_ = std::make_unique<SQLite::Statement>(db_, R"SQL(
UPDATE events SET model = ?2,
       details = CASE WHEN ?3 IS NULL THEN details
                      ELSE json_set(coalesce(details, '{}'), '$.tokens', json(?3)) END
 WHERE call_key = ?1 AND model IS NULL
)SQL");
  }
  auto& m = *merge_call_;
  m.bind(1, call_key);
  m.bind(2, e.model);
  if (e.tokens)
    m.bind(3, fmt::format(R"({{"input":{},"output":{},"cache_read":{},"cache_write":{}}})", e.tokens->input,
                          e.tokens->output, e.tokens->cache_read, e.tokens->cache_write));
  else
    m.bind(3);
  const int merged = m.exec();
  m.reset();
  return merged > 0 ? InsertResult::merged : InsertResult::duplicate;
}

void Store::insert_reject(const Reject& r) {
  if (!insert_reject_) {
    insert_reject_ = std::make_unique<SQLite::Statement>(db_, R"SQL(
INSERT INTO rejects(received_at, source, line, reason, disposition, raw)
VALUES(?6, ?1, ?2, ?3, ?4, ?5)
)SQL");
  }
  auto& st = *insert_reject_;
  st.bind(1, r.source);
  st.bind(2, r.line);
  st.bind(3, r.reason);
  st.bind(4, r.disposition);
  st.bind(5, static_cast<const void*>(r.raw.data()), static_cast<int>(r.raw.size()));
  if (received_at_.empty()) received_at_ = now_rfc3339();
  st.bind(6, received_at_);
  st.exec();
  st.reset();
  st.clearBindings();
}

std::optional<std::uint64_t> Store::transcript_offset(const std::string& path) {
  SQLite::Statement q(db_, "SELECT offset FROM transcript_offsets WHERE path = ?1");
  q.bind(1, path);
  if (!q.executeStep()) return std::nullopt;
  return static_cast<std::uint64_t>(q.getColumn(0).getInt64());
}

void Store::set_transcript_offset(const std::string& path, std::uint64_t offset) {
  SQLite::Statement q(db_, R"SQL(
INSERT INTO transcript_offsets(path, offset, updated_at)
VALUES(?1, ?2, strftime('%Y-%m-%dT%H:%M:%fZ','now'))
ON CONFLICT(path) DO UPDATE SET offset = excluded.offset, updated_at = excluded.updated_at
)SQL");
  q.bind(1, path);
  q.bind(2, static_cast<std::int64_t>(offset));
  q.exec();
}

std::optional<std::int64_t> Store::cursor(const std::string& name) {
  SQLite::Statement q(db_, "SELECT position FROM cursors WHERE name = ?1");
  q.bind(1, name);
  if (!q.executeStep()) return std::nullopt;
  return q.getColumn(0).getInt64();
}

void Store::set_cursor(const std::string& name, std::int64_t position) {
  SQLite::Statement q(db_, R"SQL(
INSERT INTO cursors(name, position, updated_at) VALUES(?1, ?2, strftime('%Y-%m-%dT%H:%M:%fZ','now'))
ON CONFLICT(name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
)SQL");
  q.bind(1, name);
  q.bind(2, position);
  q.exec();
}

std::int64_t Store::count_events() { return db_.execAndGet("SELECT count(*) FROM events").getInt64(); }
std::int64_t Store::count_rejects() { return db_.execAndGet("SELECT count(*) FROM rejects").getInt64(); }

}  // namespace pat
