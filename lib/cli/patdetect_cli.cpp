#include "cli/patdetect_cli.hpp"

#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "cli/cli_common.hpp"
#include "detect/detector.hpp"
#include "detect/line_template.hpp"
#include "records/record_reader.hpp"
#include "store/pattern_store.hpp"
#include "store/stored_events.hpp"
#include "util/content_hash.hpp"
#include "util/input_reader.hpp"
#include "util/output.hpp"
#include "util/time_format.hpp"
#include "util/utf8.hpp"

namespace pat {
namespace {

constexpr auto kContextWindow = std::chrono::hours(24 * 30);  // how far back repeated work looks

struct PatdetectOptions {
  std::vector<std::string> files;
  std::string db;
  bool db_given = false;
  std::string since;
  bool resume = false;
  bool templates = false;
  bool verbose = false;
  std::vector<std::string> class_rules;
  std::string rejects;
  JsonLimits limits;
  std::size_t min_occurrences = 3;
  int busy_timeout = 10000;
};

constexpr const char* kDescription =
    "patdetect: turn failed tool calls into mistake observations and repeated work into automation "
    "candidates.\n"
    "Reads event JSONL from each FILE (- or none: standard input), or from the store with --db, --since or "
    "--resume, and writes observation and candidate records.\n"
    "With --templates, reads plain text lines and writes the error template of each.";

void write_records(Output& out, const std::vector<Observation>& observations,
                   const std::vector<Candidate>& candidates) {
  for (const auto& o : observations) out.write_line(dump_json(to_json(o)));
  for (const auto& c : candidates) out.write_line(dump_json(to_json(c)));
  out.flush();
}

void print_summary(Diagnostics& diag, const DetectStats& s) {
  std::string others;
  for (const auto& [name, n] : s.other_errors) others += fmt::format("{}{} {}", others.empty() ? "" : ", ", n, name);
  const std::uint64_t other = s.failures - s.usage_mistakes - s.unexplained;
  diag.note(
      fmt::format("{} calls, {} failed: {} usage mistakes, {} that nothing explains, {} other errors{}{}{}; "
                  "{} observations, {} candidates",
                  s.events, s.failures, s.usage_mistakes, s.unexplained, other, others.empty() ? "" : " (", others,
                  others.empty() ? "" : ")", s.observations, s.candidates));
  // The templates of what nothing explains, most frequent first: where a check is missing.
  std::vector<std::pair<std::uint64_t, std::string>> top;
  for (const auto& [t, n] : s.unexplained_templates) top.emplace_back(n, t);
  std::stable_sort(top.begin(), top.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t i = 0; i < top.size() && i < 5; ++i)
    diag.note(fmt::format("  unexplained {}x: {}", top[i].first, utf8_truncated(top[i].second, 160)));
  if (s.reconsidered)
    diag.note(fmt::format("{} failures of earlier runs reconsidered, {} of them explained now", s.reconsidered,
                          s.explained_later));
  if (s.duplicates) diag.note(fmt::format("{} calls seen twice (hook and transcript) counted once", s.duplicates));
}

// --templates: one {"line", "template_id", "template"} record per input line, in order.
int run_templates(const PatdetectOptions& o, Diagnostics& diag) {
  Output out;
  std::string record, tmpl, repaired;
  bool missing = false;
  for (const auto& f : o.files.empty() ? std::vector<std::string>{"-"} : o.files) {
    const auto in = open_input(f, diag, missing);
    if (!in) continue;
    LineReader reader(*in, o.limits.max_line_bytes, o.limits.max_line_bytes);
    InputLine line;
    while (reader.next(line) && !out.closed()) {
      std::string_view text = line.text;
      if (!is_valid_utf8(text)) {
        repaired = repair_utf8(text);
        text = repaired;
      }
      line_template(text, tmpl);
      record.assign("{\"line\":");
      append_json_string(record, text);
      record += ",\"template_id\":\"";
      record += template_id(tmpl);
      record += "\",\"template\":";
      append_json_string(record, tmpl);
      record += '}';
      out.write_line(record);
    }
  }
  out.flush();
  return missing ? static_cast<int>(Exit::no_input) : 0;
}

int run_from_input(const PatdetectOptions& o, Detector& detector, Diagnostics& diag) {
  std::ofstream rejects = open_rejects_file(o.rejects);
  RecordReader reader(diag, o.limits, o.rejects.empty() ? nullptr : &rejects);
  reader.read(o.files, [&](json& record, const RecordSource&) { detector.add(event_from_json(record)); });
  std::vector<Observation> observations;
  std::vector<Candidate> candidates;
  detector.finish(observations, candidates);
  Output out;
  write_records(out, observations, candidates);
  if (o.verbose) print_summary(diag, detector.stats());
  return reader.exit_status();
}

std::string time_before(const std::string& ts, std::chrono::milliseconds d) {
  const auto t = parse_time(ts);
  return t ? format_rfc3339(*t - d) : std::string();
}

int run_from_store(const PatdetectOptions& o, Detector& detector, Diagnostics& diag) {
  std::optional<std::chrono::milliseconds> since;
  if (!o.since.empty() && !(since = parse_duration(o.since)))
    throw Error(Exit::usage, fmt::format("--since: \"{}\" is not a duration such as 30d, 12h or 90m", o.since));
  const fs::path db = o.db.empty() ? default_db_path() : fs::path(o.db);
  if (!o.resume && !fs::exists(db)) throw Error(Exit::no_input, fmt::format("no store at {}", db.string()));
  std::unique_ptr<Store> store = Store::open(StoreOptions{db, o.busy_timeout, true});
  UnreadableNote unreadable_note(*store, diag);
  std::vector<Observation> observations;
  std::vector<Candidate> candidates;
  std::int64_t last = 0;
  try {
    last = last_event_rowid(*store);
    StoredEventRange fresh;
    fresh.until_rowid = last;
    if (o.resume) fresh.after_rowid = store->cursor(kDetectCursor).value_or(0);
    if (since) fresh.from_ts = format_rfc3339(now() - *since);
    if (fresh.after_rowid >= last) {
      if (o.verbose) diag.note("no events since the last run");
      return 0;
    }
    // The mistakes already learned: a group they explain keeps its pattern's check.
    PatternStore(*store).for_each([&](const Pattern& p) {
      if (p.status != PatternStatus::active) return;
      if (auto check = check_from_json(p.base.mistake)) detector.add_known({p.base.tool, p.base.template_text, *check});
    });
    // What came before the new events still tells which calls succeed and what sessions did.
    const std::string first_ts = first_event_time(*store, fresh);
    if (!first_ts.empty() && (fresh.after_rowid > 0 || !fresh.from_ts.empty())) {
      StoredEventRange context;
      context.from_ts = time_before(first_ts, kContextWindow);
      if (fresh.after_rowid > 0)
        context.until_rowid = fresh.after_rowid;
      else
        context.before_ts = fresh.from_ts;
      // Failures nothing explained then wait in their groups for the mistake to recur.
      const auto waiting = unexplained_failures(*store);
      for_each_stored_event(*store, context, [&](std::int64_t, Event&& e) {
        detector.add(e, waiting.count(e.id) ? Detector::Role::waiting : Detector::Role::context);
      });
    }
    for_each_stored_event(*store, fresh, [&](std::int64_t, Event&& e) { detector.add(e); });
    detector.finish(observations, candidates);
  } catch (const std::exception& e) {
    rethrow_store_error(e, db);
  }
  Output out;
  write_records(out, observations, candidates);
  // The decisions are kept for the reports and the feedback; the position moves only once the
  // records are out: a failed write leaves them to the next run.
  if (!out.closed()) {
    try {
      Store::Transaction tx(*store);
      save_failure_decisions(*store, detector.decisions(), now_rfc3339());
      if (o.resume) store->set_cursor(kDetectCursor, last);
      tx.commit();
    } catch (const std::exception& e) {
      rethrow_store_error(e, db);
    }
  }
  if (o.verbose) print_summary(diag, detector.stats());
  return 0;
}

bool named_on_command_line(int argc, char** argv, const char* option) {
  const std::size_t n = std::strlen(option);
  for (int i = 1; i < argc; ++i)
    if (std::strncmp(argv[i], option, n) == 0 && (argv[i][n] == '\0' || argv[i][n] == '=')) return true;
  return false;
}

}  // namespace

int patdetect_main(int argc, char** argv) {
  PatdetectOptions o;
  return run_tool("patdetect", argc, argv, [&]() -> int {
    auto app = make_app("patdetect", kDescription);
    app->add_option("FILE", o.files, "Event JSONL to read (- or none: standard input)");
    app->add_option("--db", o.db,
                    "Read the events from this store (default for --since/--resume: $PAT_DB, else "
                    "${XDG_STATE_HOME:-~/.local/state}/pattools/pat.db)")
        ->envname("PAT_DB");
    app->add_option("--since", o.since, "Read the store's events of this last period (30d, 12h, 90m)");
    app->add_flag("--resume", o.resume,
                  "Read the store's events stored since the last --resume run, and remember where it ended");
    app->add_flag("--templates", o.templates,
                  "Template plain text lines: one {\"line\",\"template_id\",\"template\"} record per line");
    app->add_option("--class-rules", o.class_rules, "More failure-class rules: one FILE each time, repeatable")
        ->type_name("FILE")
        ->check(CLI::ExistingFile)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    app->add_option("--min-occurrences", o.min_occurrences, "Repetitions that make a candidate")->capture_default_str();
    add_rejects_option(*app, o.rejects);
    app->add_flag("-v,--verbose", o.verbose,
                  "Print a summary (calls, failures by class, observations) on standard error");
    add_json_limit_options(*app, o.limits);
    app->add_option("--busy-timeout", o.busy_timeout, "Milliseconds to wait for a store locked by another process")
        ->capture_default_str();
    app->footer(
        "Exit status: 0 ok; 64 usage; 65 some input rejected; 66 an input missing; 70 internal error;\n"
        "73 cannot create output; 74 I/O error; 75 store busy; 78 bad config.\n"
        "See patdetect(1), patlearn(1), pattools-records(5).");
    parse_with_config(*app, "patdetect", argc, argv);
    // $PAT_DB names the store for --since and --resume; only an explicit --db makes the store the input.
    o.db_given = named_on_command_line(argc, argv, "--db");
    Diagnostics diag("patdetect");
    if (o.templates) return run_templates(o, diag);
    const FailureClassifier classifier = FailureClassifier::load_default(o.class_rules);
    DetectorOptions options;
    options.repeated.min_occurrences = o.min_occurrences;
    Detector detector(classifier, options);
    const bool from_store = o.resume || !o.since.empty() || (o.db_given && o.files.empty());
    if (from_store && !o.files.empty())
      throw Error(Exit::usage, "FILE arguments cannot be combined with --since or --resume");
    return from_store ? run_from_store(o, detector, diag) : run_from_input(o, detector, diag);
  });
}

}  // namespace pat
