#pragma once
// The store (ARCHITECTURE.md, The store): one SQLite file in WAL mode, written by many hook processes at once.
// Every write runs in BEGIN IMMEDIATE so that writers queue on the busy timeout instead of
// failing; migrations run in one transaction and set PRAGMA user_version.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "records/event.hpp"
#include "util/paths.hpp"

namespace pat {

inline constexpr int kApplicationId = 0x50415431;          // "PAT1"
inline constexpr const char* kDetectCursor = "patdetect";  // the cursor of `patdetect --resume`

struct StoreOptions {
  fs::path path;
  int busy_timeout_ms = 10000;
  bool bulk = false;       // a larger page cache for long ingests
  bool read_only = false;  // the readers (patreport, patcheck): never create, migrate or write
};

// A line of input that could not be used as it was, kept byte for byte.
struct Reject {
  std::string source;  // file name or <stdin>
  std::int64_t line = 0;
  std::string reason;
  std::string disposition;  // rejected | repaired (stored after invalid UTF-8 was replaced)
  std::string raw;
};

enum class InsertResult { stored, duplicate, merged };

class Store {
public:
  // Opens (creating the file 0600 and its directory 0700 when missing) and migrates.
  // Throws pat::Error: busy (75), cant_create (73), io_error (74).
  static std::unique_ptr<Store> open(const StoreOptions& options);
  ~Store();

  int schema_version();
  static int latest_schema_version();
  SQLite::Database& db() { return db_; }
  const StoreOptions& options() const { return options_; }

  // RAII BEGIN IMMEDIATE ... COMMIT; rolls back if not committed.
  class Transaction {
  public:
    explicit Transaction(Store& s);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

  private:
    Store& store_;
    bool open_ = true;
  };

  // RAII BEGIN ... COMMIT for readers: every query inside sees one state of the store (the WAL
  // snapshot of its first read) while hooks go on writing.
  class ReadTransaction {
  public:
    explicit ReadTransaction(Store& s);
    ~ReadTransaction();
    ReadTransaction(const ReadTransaction&) = delete;
    ReadTransaction& operator=(const ReadTransaction&) = delete;

  private:
    Store& store_;
  };

  // Rebuilds the file without free pages and empties the WAL (patprune --vacuum).
  void vacuum();

  // `details` is the JSON of the event's fields without a column (SerializedEvent::details;
  // empty for none). A finished tool call that is already stored from another source (same
  // tool_use_id and outcome) is not stored again; the stored copy gains the model and tokens it
  // lacked.
  InsertResult insert_event(const Event& e, const std::string& details);
  void insert_reject(const Reject& r);

  std::optional<std::uint64_t> transcript_offset(const std::string& path);
  void set_transcript_offset(const std::string& path, std::uint64_t offset);

  // Named read positions (the last events rowid a tool processed), for --resume.
  std::optional<std::int64_t> cursor(const std::string& name);
  void set_cursor(const std::string& name, std::int64_t position);

  std::int64_t count_events();
  std::int64_t count_rejects();

  bool read_only() const { return options_.read_only; }

  // The check index (check/check_index.hpp): a file beside the store that lets patcheck find
  // that no pattern matches a call without opening the store. A transaction that wrote patterns
  // (PatternStore::save calls patterns_written) counts one more pattern generation and removes
  // the index, under the index's lock, before it commits: an index is never older than the
  // patterns, it is missing until someone rebuilds it (patlearn and patprune after their commit,
  // patcheck when it finds none).
  fs::path check_index_path() const { return fs::path(options_.path.string() + ".checks"); }
  fs::path check_index_lock_path() const { return fs::path(options_.path.string() + ".checks.lock"); }
  void patterns_written() { patterns_written_ = true; }
  // Whether a commit of this process removed the index.
  bool check_index_removed() const { return check_index_removed_; }
  std::int64_t pattern_generation();

  // Stored records a reader could not read (an out-of-range value written by an older version):
  // each is left out of what it returns, so that one bad row never fails a whole run, and the
  // tool says how many there were (UnreadableNote, cli/cli_common.hpp).
  void note_unreadable(std::string why) { unreadable_.push_back(std::move(why)); }
  const std::vector<std::string>& unreadable() const { return unreadable_; }

private:
  explicit Store(const StoreOptions& options);
  void migrate();

  StoreOptions options_;
  SQLite::Database db_;
  static constexpr int kHookLogFrames = 32;  // log frames that make a hook process empty the log
  int wal_frames_ = 0;                       // frames in the log after this process's last commit
  std::unique_ptr<SQLite::Statement> insert_event_;
  std::unique_ptr<SQLite::Statement> insert_reject_;
  std::unique_ptr<SQLite::Statement> merge_call_;
  std::unique_ptr<SQLite::Statement> key_owner_;
  std::string received_at_;  // one time for a whole run: when the rejected input was received
  std::vector<std::string> unreadable_;
  bool patterns_written_ = false;     // by the open transaction (or an autocommit statement)
  bool check_index_removed_ = false;  // by a commit of this process
};

// The events table's integer key for an id: its first 63 bits.
std::int64_t event_key(const std::string& id);

// Maps an exception from SQLite to the documented exit status and a message naming the store.
[[noreturn]] void rethrow_store_error(const std::exception& e, const fs::path& path);

}  // namespace pat
