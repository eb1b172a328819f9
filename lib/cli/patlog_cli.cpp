#include "cli/patlog_cli.hpp"

#include <fstream>

#include <SQLiteCpp/Exception.h>
#include <fmt/format.h>

#include "cli/cli_common.hpp"
#include "ingest/hook_spool.hpp"
#include "ingest/ingestor.hpp"
#include "records/record_reader.hpp"
#include "setup/background_learning.hpp"
#include "util/time_format.hpp"

namespace pat {
namespace {

struct PatlogOptions {
  std::vector<std::string> files;
  std::string db;
  bool no_db = false;
  std::string format = "auto";
  bool hook = false;
  bool follow_transcript = false;
  bool quiet = false;
  bool verbose = false;
  bool no_redact = false;
  bool no_learn = false;
  std::vector<std::string> redact_rules;
  std::string rejects;
  JsonLimits limits;
  int busy_timeout = 10000;
};

constexpr const char* kDescription =
    "patlog: ingest Claude Code hook events, transcripts and generic execution records into the pattools "
    "store, and write them as event JSONL.\n"
    "Reads each FILE (- or none: standard input): one hook payload, a JSONL stream, a JSON array, a "
    "transcript, execution records or a timestamped text log.";

Redactor load_redactor(const PatlogOptions& o, Diagnostics& diag) {
  try {
    return Redactor::load_default(o.redact_rules);
  } catch (const Error& e) {
    if (!o.hook) throw;
    // A hook must not fail, and must not store secrets: fall back on the shipped rules.
    diag.warning(fmt::format("{}; using the shipped rules only", e.what()));
    return Redactor::built_in();
  }
}

void print_summary(Diagnostics& diag, const IngestStats& s, bool stored) {
  std::string line = fmt::format("{} events", s.events);
  if (stored) {
    line += fmt::format(" ({} stored, {} already stored", s.stored, s.duplicates);
    if (s.merged) line += fmt::format(", of which {} gained model and tokens", s.merged);
    line += ")";
  }
  if (s.transcript_events) line += fmt::format(", {} from transcripts", s.transcript_events);
  line += fmt::format(", {} rejected", s.rejected);
  if (s.repaired) line += fmt::format(", {} repaired", s.repaired);
  if (s.skipped) line += fmt::format(", {} records without events", s.skipped);
  diag.note(line);
}

IngestOptions ingest_options(const PatlogOptions& o) {
  IngestOptions io;
  io.format = o.format == "auto" ? RecordKind::unknown : parse_record_kind(o.format);
  io.hook_mode = o.hook;
  io.follow_transcript = o.follow_transcript;
  io.write_output = !o.quiet && !o.hook;
  io.limits = o.limits;
  return io;
}

// Hook payloads are far smaller (a whole file written by the agent is a few MiB at most); the
// limit keeps a hook from reading an endless input.
constexpr std::size_t kMaxHookPayloadBytes = 16u << 20;

// The spooled payloads into `ing`; returns those to remove once the run has stored them. A
// payload that fails for a reason other than the store (a fault of its own, or an unreadable
// file) fails again at every run: it is set aside (kept, reported) so that it never holds up
// the others.
std::vector<HookSpool::Item> drain_spool(const HookSpool& spool, Ingestor& ing, Diagnostics& diag) {
  std::vector<HookSpool::Item> done;
  for (auto& item : spool.pending(kMaxHookPayloadBytes)) {
    std::string problem = item.problem;
    if (problem.empty()) {
      try {
        ing.ingest_payload(item.bytes, item.file.string(), item.received_at, RecordKind::hook);
        done.push_back(std::move(item));
        continue;
      } catch (const SQLite::Exception&) {
        throw;  // the store's fault: the payload waits for the next run
      } catch (const Error&) {
        throw;
      } catch (const std::exception& e) {
        problem = e.what();
      }
    }
    diag.error(fmt::format("{}: {}; set aside as {}", item.file.string(), problem, spool.set_aside(item).string()));
  }
  return done;
}

// --hook: one payload on stdin, stored; nothing on stdout; whatever happens, exit 0.
int run_hook(const PatlogOptions& o, Diagnostics& diag) {
  const std::string received_at = now_rfc3339();
  std::string payload;
  {
    InputFile in("-");
    LineReader reader(in, o.limits.max_line_bytes, 0);
    std::uint64_t total = 0;
    const std::size_t limit = std::min(o.limits.max_document_bytes, kMaxHookPayloadBytes);
    if (!reader.read_rest(payload, limit, total))
      diag.warning(
          fmt::format("payload over {} bytes: only its first {} are kept (as a rejected record)", limit, limit));
  }
  const fs::path db = o.db.empty() ? default_db_path() : fs::path(o.db);
  HookSpool spool(db);
  if (!o.files.empty()) diag.warning("--hook reads one payload from standard input; FILE arguments are ignored");
  const Redactor loaded = o.no_redact ? Redactor() : load_redactor(o, diag);
  const Redactor* redactor = o.no_redact ? nullptr : &loaded;

  auto keep_for_later = [&](const std::string& why) {
    try {
      try {
        if (redactor) redactor->redact(payload);  // the spool is on disk too: no secrets in it
      } catch (const Error& e) {
        diag.error(fmt::format("{}; the spooled payload is not redacted", e.what()));
      }
      const fs::path file = spool.put(payload, received_at);
      diag.error(fmt::format("{}; payload kept in {} for the next run", why, file.string()));
    } catch (const Error& e) {
      diag.error(fmt::format("{}; {}", why, e.what()));
    }
  };
  if (o.no_db) {
    diag.error("--hook needs a store (--no-db given); payload not stored");
    return 0;
  }
  std::unique_ptr<Store> store;
  try {
    store = Store::open(StoreOptions{db, o.busy_timeout, false});
  } catch (const Error& e) {
    keep_for_later(e.what());
    return 0;
  }
  std::vector<HookSpool::Item> spooled;
  bool session_ended = false;
  try {
    StoreWriter writer(*store, false, 0);
    Ingestor ing(ingest_options(o), &writer, redactor, nullptr, nullptr, diag);
    spooled = drain_spool(spool, ing, diag);
    ing.ingest_payload(payload, "<stdin>", received_at, ingest_options(o).format);
    ing.finish();
    session_ended = ing.stats().sessions_ended > 0;
  } catch (const std::exception& e) {
    try {
      rethrow_store_error(e, db);
    } catch (const Error& mapped) {
      keep_for_later(mapped.what());
    }
    return 0;
  }
  spool.remove(spooled);
  // The session is over: learn from it, in a process of its own (setup/background_learning.hpp).
  if (session_ended && !o.no_learn) {
    store.reset();
    if (!start_background_learning(db)) diag.warning("learning not started: no patsetup beside patlog");
  }
  return 0;
}

int run_filter(const PatlogOptions& o, Diagnostics& diag) {
  const Redactor redactor = o.no_redact ? Redactor() : load_redactor(o, diag);
  std::unique_ptr<Store> store;
  const fs::path db = o.db.empty() ? default_db_path() : fs::path(o.db);
  if (!o.no_db) store = Store::open(StoreOptions{db, o.busy_timeout, true});
  std::ofstream rejects = open_rejects_file(o.rejects);
  Output out;
  // Transcripts followed from the input read their offsets inside the writer's transaction, so
  // that mode writes inline; plain ingests hand SQLite to a writer thread.
  std::unique_ptr<StoreWriter> writer;
  if (store) writer = std::make_unique<StoreWriter>(*store, !o.follow_transcript, 50000);
  Ingestor ing(ingest_options(o), writer.get(), o.no_redact ? nullptr : &redactor, &out,
               o.rejects.empty() ? nullptr : &rejects, diag);
  bool missing = false;
  std::vector<HookSpool::Item> spooled;
  try {
    // Payloads a hook could not store wait in the spool for the next run that can.
    if (store) spooled = drain_spool(HookSpool(db), ing, diag);
    for (const auto& f : o.files.empty() ? std::vector<std::string>{"-"} : o.files) {
      const auto in = open_input(f, diag, missing);
      if (in) ing.ingest(*in);
    }
    ing.finish();
  } catch (const std::exception& e) {
    if (store) rethrow_store_error(e, db);
    throw;
  }
  if (store) HookSpool(db).remove(spooled);
  if (rejects.is_open() && !rejects.flush()) throw Error(Exit::io_error, fmt::format("write error on {}", o.rejects));
  if (o.verbose) print_summary(diag, ing.stats(), store != nullptr);
  if (missing) return static_cast<int>(Exit::no_input);
  return ing.stats().rejected > 0 ? static_cast<int>(Exit::data_error) : 0;
}

}  // namespace

int patlog_main(int argc, char** argv) {
  PatlogOptions o;
  return run_tool(
      "patlog", argc, argv,
      [&]() -> int {
        auto app = make_app("patlog", kDescription);
        app->add_option("FILE", o.files, "Inputs to read (- or none: standard input)");
        app->add_option("--db", o.db,
                        "Store path (default $PAT_DB, else ${XDG_STATE_HOME:-~/.local/state}/pattools/pat.db)")
            ->envname("PAT_DB");
        app->add_flag("--no-db", o.no_db, "Store nothing: a pure filter from input to event JSONL");
        app->add_option("--format", o.format,
                        "Input records: auto (detected per input), hook, transcript, generic, text")
            ->check(CLI::IsMember({"auto", "hook", "transcript", "generic", "text"}));
        app->add_flag("--hook", o.hook,
                      "Claude Code command hook: one payload on stdin, stored, nothing on stdout, always exit 0");
        app->add_flag("--follow-transcript", o.follow_transcript,
                      "Also ingest what is new in the transcript a hook event names (transcript_path)");
        app->add_flag("-q,--quiet", o.quiet, "Write no event JSONL to standard output");
        app->add_flag("-v,--verbose", o.verbose, "Print a summary (events, stored, rejected) on standard error");
        app->add_flag("--no-redact", o.no_redact, "Do not mask secrets (stores and prints them as they are)");
        app->add_flag("--no-learn", o.no_learn, "Hook mode: do not start learning (patsetup learn) when a session ends")
            ->envname("PAT_NO_LEARN");
        app->add_option("--redact-rules", o.redact_rules, "More redaction rules: one FILE each time, repeatable")
            ->type_name("FILE")
            ->check(CLI::Validator(CLI::ExistingFile).description(""))
            ->allow_extra_args(false)
            ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
        add_rejects_option(*app, o.rejects);
        add_json_limit_options(*app, o.limits, true);
        app->add_option("--busy-timeout", o.busy_timeout, "Milliseconds to wait for a store locked by another process")
            ->capture_default_str();
        app->footer(
            "Exit status: 0 ok; 64 usage; 65 some input rejected; 66 an input missing; 70 internal error;\n"
            "73 store cannot be created or written; 74 I/O error; 75 store busy; 78 bad config.\n"
            "With --hook the status is always 0 and problems go to standard error.\n"
            "See patlog(1), pattools-records(5).");
        parse_with_config(*app, "patlog", argc, argv);
        Diagnostics diag("patlog");
        return o.hook ? run_hook(o, diag) : run_filter(o, diag);
      },
      [&] { return o.hook; });
}

}  // namespace pat
