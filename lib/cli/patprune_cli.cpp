#include "cli/patprune_cli.hpp"

#include <fmt/format.h>

#include "cli/cli_common.hpp"
#include "learn/pruner.hpp"
#include "store/session_facts.hpp"
#include "util/output.hpp"

namespace pat {
namespace {

struct PatpruneOptions {
  std::string db;
  std::string now;
  bool dry_run = false;
  std::string restore;
  std::string keep_events;
  bool vacuum = false;
  bool verbose = false;
  AgingOptions aging;
  LevelThresholds levels;
  int busy_timeout = 60000;
};

constexpr const char* kDescription =
    "patprune: keep the pattern set lean: decay the confidence of patterns unseen for a while, archive those "
    "unseen for long and low, restore archived ones, remove old events. Made to run from cron: idempotent, "
    "quiet unless it changed something.";

TimePoint run_time(const std::string& now) {
  if (now.empty()) return pat::now();
  const auto t = parse_time(now);
  if (!t)
    throw Error(Exit::usage, fmt::format("--now: \"{}\" is not a time (RFC 3339, e.g. 2026-11-21T12:00:00Z)", now));
  return *t;
}

void print_summary(Diagnostics& diag, const PruneResult& r, bool dry_run, bool events_asked) {
  std::string line = fmt::format("decayed {}, pruned {}", r.decayed, r.pruned);
  if (r.decayed) line += fmt::format(", average change {:+.4f}", r.confidence_change / static_cast<double>(r.decayed));
  if (r.restored) line += fmt::format(", restored {}", r.restored);
  if (events_asked) line += fmt::format(", {} events removed", r.events_removed);
  if (dry_run) line += " (dry run: nothing changed)";
  diag.note(line);
}

constexpr std::chrono::hours kSessionFactsKept{24};  // store/session_facts.hpp

int run(const PatpruneOptions& o, Diagnostics& diag) {
  const TimePoint now = run_time(o.now);
  std::optional<std::chrono::milliseconds> keep;
  if (!o.keep_events.empty() && !(keep = parse_duration(o.keep_events)))
    throw Error(Exit::usage, fmt::format("--keep-events: \"{}\" is not a duration such as 90d", o.keep_events));
  const fs::path db = o.db.empty() ? default_db_path() : fs::path(o.db);
  if (!fs::exists(db)) throw Error(Exit::no_input, fmt::format("no store at {}", db.string()));
  const LevelThresholds& levels = o.levels;
  PruneResult result;
  const std::unique_ptr<Store> store = Store::open(StoreOptions{db, o.busy_timeout, false});
  UnreadableNote unreadable_note(*store, diag);
  try {
    const auto prune = [&](bool dry_run) {
      result = PruneResult{};
      if (!o.restore.empty())
        restore_pattern(*store, o.restore, levels, dry_run, result);
      else
        age_patterns(*store, now, o.aging, levels, dry_run, result);
      if (keep) remove_old_events(*store, now - *keep, dry_run, result);
    };
    // Most runs find nothing due. That is found under a read snapshot, which keeps no hook
    // waiting: the write lock is taken only when there is work, and never for --dry-run.
    {
      Store::ReadTransaction snapshot(*store);
      prune(true);
    }
    if (!o.dry_run && (!result.actions.empty() || result.events_removed > 0)) {
      // One transaction: a second run at the same time waits for it (or gives up with 75), then
      // finds nothing left to do.
      Store::Transaction tx(*store);
      prune(false);
      tx.commit();
    }
    refresh_check_index(*store, diag);
    if (!o.dry_run) {
      // What patcheck knows of sessions without the store is of no use once they are over.
      const auto idle_since = std::chrono::file_clock::from_sys(now - kSessionFactsKept);
      if (const auto n = remove_idle_session_facts(db, idle_since); n > 0 && o.verbose)
        diag.note(fmt::format("{} files of sessions idle for a day removed", n));
    }
    if (o.vacuum && !o.dry_run) {
      store->vacuum();
    }
  } catch (const std::exception& e) {
    rethrow_store_error(e, db);
  }
  Output out;
  for (const auto& a : result.actions) out.write_line(dump_json(to_json(a)));
  out.flush();
  const bool changed = !result.actions.empty() || result.events_removed > 0;
  if (changed || o.verbose) print_summary(diag, result, o.dry_run, keep.has_value());
  return 0;
}

}  // namespace

int patprune_main(int argc, char** argv) {
  PatpruneOptions o;
  return run_tool("patprune", argc, argv, [&]() -> int {
    auto app = make_app("patprune", kDescription);
    add_db_option(*app, o.db);
    app->add_option("--now", o.now, "Run as if it were this time (RFC 3339); default: now");
    app->add_flag("--dry-run", o.dry_run, "Print the actions that would be applied; change nothing");
    app->add_option("--restore", o.restore, "Make the archived pattern ID active again (no aging in this run)")
        ->type_name("ID");
    app->add_option("--keep-events", o.keep_events,
                    "Remove the events older than this (90d, 12w), except those patterns and candidates cite");
    app->add_flag("--vacuum", o.vacuum, "Give the space freed back to the file system (VACUUM) after the run");
    add_aging_options(*app, o.aging);
    add_level_options(*app, o.levels);
    app->add_flag("-v,--verbose", o.verbose, "Print the summary even when nothing changed");
    add_busy_timeout_option(*app, o.busy_timeout, "another patprune run");
    app->footer(
        "Exit status: 0 ok (also when there was nothing to do); 64 usage; 65 --restore of an unknown or active\n"
        "pattern; 66 no store; 70 internal error; 73 store cannot be written; 74 I/O error; 75 store busy\n"
        "(another run holds it past --busy-timeout; nothing changed); 78 bad config.\n"
        "See patprune(1), patlearn(1), pattools-records(5).");
    parse_with_config(*app, "patprune", argc, argv);
    check_level_order(o.levels);
    Diagnostics diag("patprune");
    return run(o, diag);
  });
}

}  // namespace pat
