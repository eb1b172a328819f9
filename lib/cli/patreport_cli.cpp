#include "cli/patreport_cli.hpp"

#include <fmt/format.h>

#include "cli/cli_common.hpp"
#include "report/report_data.hpp"
#include "report/report_json.hpp"
#include "report/report_markdown.hpp"
#include "util/atomic_file.hpp"
#include "util/output.hpp"

namespace pat {
namespace {

// Claude Code caps the context a hook injects at 10,000 characters.
constexpr std::size_t kHookContextCap = 10000;
constexpr std::size_t kContextTop = 15;
constexpr std::size_t kDefaultTop = 10;

struct PatreportOptions {
  std::string report;  // the subcommand
  std::string db;
  std::string format = "md";
  std::string now;
  std::string output;
  std::size_t top = 0;  // 0: the report's own default
  std::int64_t min_occurrences = 5;
  double min_confidence = 0.70;
  std::string min_savings = "0s";
  int days = 7;
  AgingOptions aging;
  bool hook = false;
  std::size_t max_chars = kHookContextCap;
  int busy_timeout = 10000;
};

constexpr const char* kDescription =
    "patreport: reports of the store: a Markdown dashboard, guidelines for the start of an agent session, a weekly "
    "report, automation candidates ready for an issue.\n"
    "Reads the store only; the same store and --now give the same output byte for byte.";

TimePoint report_time(const std::string& now) {
  if (now.empty()) return pat::now();
  const auto t = parse_time(now);
  if (!t)
    throw Error(Exit::usage, fmt::format("--now: \"{}\" is not a time (RFC 3339, e.g. 2026-11-21T12:00:00Z)", now));
  return *t;
}

ReportOptions report_options(const PatreportOptions& o) {
  ReportOptions r;
  r.now = report_time(o.now);
  r.top = o.top != 0 ? o.top : o.report == "context" ? kContextTop : kDefaultTop;
  r.min_occurrences = o.min_occurrences;
  r.min_confidence = o.min_confidence;
  const auto savings = parse_duration(o.min_savings);
  if (!savings)
    throw Error(Exit::usage,
                fmt::format("--min-savings: \"{}\" is not a duration such as 30s, 5m or 1500ms", o.min_savings));
  r.min_savings_ms = savings->count();
  r.period_days = o.days;
  r.aging = o.aging;
  return r;
}

// The report as text: Markdown, JSON, or the SessionStart hook output (empty: print nothing).
std::string render(const PatreportOptions& o, const ReportOptions& r, Store& store) {
  const bool json_out = o.format == "json";
  if (o.report == "dashboard") {
    const auto d = gather_dashboard(store, r);
    return json_out ? report_text(dashboard_json(d, r)) : dashboard_markdown(d, r);
  }
  if (o.report == "weekly") {
    const auto d = gather_weekly(store, r);
    return json_out ? report_text(weekly_json(d, r)) : weekly_markdown(d, r);
  }
  if (o.report == "candidates") {
    const auto d = gather_candidates(store, r);
    return json_out ? report_text(candidates_json(d, r)) : candidates_markdown(d, r);
  }
  const auto d = gather_context(store, r);
  if (o.hook) {
    // Nothing to say: no output at all, so that the session starts with no empty context.
    const std::string text = context_markdown(d, std::min(o.max_chars, kHookContextCap), true);
    return text.empty() ? "" : dump_json(session_start_output(text)) + "\n";
  }
  return json_out ? report_text(context_json(d)) : context_markdown(d, o.max_chars);
}

int run(const PatreportOptions& o) {
  if (o.hook && o.report != "context") throw Error(Exit::usage, "--hook is for `patreport context` only");
  const ReportOptions r = report_options(o);
  const fs::path db = o.db.empty() ? default_db_path() : fs::path(o.db);
  std::error_code ec;
  if (!fs::exists(db, ec))
    throw Error(Exit::no_input,
                fmt::format("no store at {} (patlog, patdetect and patlearn fill one; or give --db)", db.string()));
  StoreOptions so{db, o.busy_timeout, false};
  so.read_only = true;  // a report never changes the store, nor creates one
  const std::unique_ptr<Store> store = Store::open(so);
  Diagnostics diag("patreport");
  UnreadableNote unreadable_note(*store, diag);
  std::string text;
  try {
    text = render(o, r, *store);
  } catch (const std::exception& e) {
    rethrow_store_error(e, db);
  }
  if (!o.output.empty()) {
    write_file_atomically(o.output, text);
    return 0;
  }
  if (text.empty()) return 0;
  Output out;
  text.pop_back();  // write_line adds the last newline back
  out.write_line(text);
  out.flush();
  return 0;
}

}  // namespace

int patreport_main(int argc, char** argv) {
  PatreportOptions o;
  return run_tool("patreport", argc, argv, [&]() -> int {
    auto app = make_app("patreport", kDescription);
    app->require_subcommand(1, 1);
    const std::vector<std::pair<const char*, const char*>> reports = {
        {"dashboard",
         "Totals, prevention and false-positive rates, aging, top patterns, anti-patterns, automation "
         "candidates, charts"},
        {"context",
         "The top patterns as prevention guidelines for the start of an agent session (--hook: as "
         "SessionStart hook output)"},
        {"weekly", "The period's top patterns by use, time saved, new candidates, anti-patterns, recommended actions"},
        {"candidates", "Automation candidates over the thresholds, each ready to paste into an issue"}};
    for (const auto& [name, help] : reports) {
      auto* sub = app->add_subcommand(name, help);
      sub->fallthrough();  // the options below may come after the report's name
      sub->callback([&o, name = std::string(name)] { o.report = name; });
    }
    add_db_option(*app, o.db);
    app->add_option("--format", o.format, "Output: md (Markdown) or json")
        ->capture_default_str()
        ->check(CLI::IsMember({"md", "json"}));
    app->add_option("--now", o.now, "Report as if it were this time (RFC 3339); default: now");
    app->add_option("--output", o.output, "Write the report to FILE (atomically: a temporary file, then a rename)")
        ->type_name("FILE");
    app->add_option("--top", o.top, "Rows of each top list (default: 15 for context, 10 otherwise)")
        ->check(CLI::Range(1, 1000000));
    app->add_option("--min-occurrences", o.min_occurrences, "Automation candidates: occurrences at least")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000000000));
    app->add_option("--min-confidence", o.min_confidence,
                    "Automation candidates: confidence (from the occurrences) at least")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1.0));
    app->add_option("--min-savings", o.min_savings, "Automation candidates: estimated saving in all at least (30s, 5m)")
        ->capture_default_str()
        ->type_name("DURATION");
    app->add_option("--days", o.days, "weekly: the days of the period, up to --now")
        ->capture_default_str()
        ->check(CLI::Range(1, 3650));
    add_aging_options(*app, o.aging);
    app->add_flag("--hook", o.hook,
                  "context: write Claude Code SessionStart hook output (never over 10,000 characters); always exit 0");
    app->add_option("--max-chars", o.max_chars, "context: the largest context, in bytes (with --hook at most 10000)")
        ->capture_default_str()
        ->check(CLI::Range(1000, 100000000));
    add_busy_timeout_option(*app, o.busy_timeout);
    app->footer(
        "Exit status: 0 ok (always with --hook); 64 usage; 66 no store; 70 internal error; 73 --output cannot be\n"
        "created; 74 I/O error; 75 store busy; 78 bad config.\n"
        "See patreport(1), patlearn(1), pattools-records(5).");
    parse_with_config(*app, "patreport", argc, argv);
    return run(o);
  });
}

}  // namespace pat
