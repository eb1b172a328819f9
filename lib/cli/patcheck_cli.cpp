#include "cli/patcheck_cli.hpp"

#include <unistd.h>

#include <cstdlib>
#include <utility>

#include <fmt/format.h>

#include "check/pattern_matcher.hpp"
#include "cli/cli_common.hpp"
#include "store/verdict_store.hpp"
#include "util/input_reader.hpp"
#include "util/output.hpp"
#include "util/time_format.hpp"

namespace pat {
namespace {

struct PatcheckOptions {
  std::vector<std::string> args;  // TOOL key=value ...
  std::string db;
  std::string format = "auto";
  double min_confidence = 0.75;
  double block_at = 0.95;
  LevelThresholds levels;
  bool fail_closed = false;
  bool no_record = false;
  std::string session;
  std::string cwd;
  std::size_t max_payload = 64u << 20;
  std::size_t max_depth = 512;
  int busy_timeout = 1000;
};

constexpr const char* kDescription =
    "patcheck: check a tool call against the learned mistake patterns before it runs; warn, or block at "
    "critical confidence.\n"
    "Reads a Claude Code PreToolUse payload or a JSONL stream of calls {\"tool\", \"input\", \"session\", "
    "\"tool_use_id\"} on standard input, or takes the call as TOOL key=value ... arguments.";

enum class Format { claude, jsonl, text };

constexpr int kWriterBusyTimeoutMs = 10000;  // patlog's default --busy-timeout

// One call to judge, or why it could not be read.
struct Request {
  ToolCall call;
  std::string problem;  // not empty: the call could not be read (fail open or closed)
};

Request request_of(HookCall h) { return Request{std::move(h.call), std::move(h.problem)}; }

// TOOL key=value ...: the values are strings, as a shell gives them. A word without "=" is a
// usage error, found before anything else happens.
std::vector<Request> requests_from_arguments(const PatcheckOptions& o) {
  Request r;
  r.call.tool = o.args.front();
  for (std::size_t i = 1; i < o.args.size(); ++i) {
    const auto eq = o.args[i].find('=');
    if (eq == std::string::npos || eq == 0) throw Error(Exit::usage, fmt::format("\"{}\" is not key=value", o.args[i]));
    r.call.input[o.args[i].substr(0, eq)] = o.args[i].substr(eq + 1);
  }
  r.call.session = o.session;
  return {r};
}

// Standard input: one hook payload (possibly pretty-printed), or JSONL calls.
std::vector<Request> requests_from_stdin(const PatcheckOptions& o, bool& hook_payload) {
  std::string text;
  {
    InputFile in("-");
    LineReader reader(in, o.max_payload, 0);
    std::uint64_t total = 0;
    if (!reader.read_rest(text, o.max_payload, total))
      return {Request{{}, fmt::format("input over --max-payload ({} bytes)", o.max_payload)}};
  }
  JsonLimits limits;
  limits.max_depth = o.max_depth;
  limits.max_line_bytes = o.max_payload;
  limits.max_document_bytes = o.max_payload;
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return {};
  const ParsedJson whole = parse_json(text, limits);
  if (whole.ok && whole.value.is_object() && whole.value.contains("hook_event_name")) {
    hook_payload = true;
    return {request_of(tool_call_from_hook(whole.value))};
  }
  if (whole.ok && whole.value.is_object()) return {request_of(tool_call_from_record(whole.value))};
  std::vector<Request> out;
  std::size_t line_no = 0, pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const ParsedJson parsed = parse_json(line, limits);
    Request r = parsed.ok ? request_of(tool_call_from_record(parsed.value)) : Request{{}, parsed.error};
    if (!r.problem.empty()) r.problem = fmt::format("<stdin>:{}: {}", line_no, r.problem);
    out.push_back(std::move(r));
  }
  return out;
}

json hook_output(const Verdict& v, const std::string& message) {
  json specific = {{"hookEventName", "PreToolUse"}};
  if (v.decision == Decision::block) {
    specific["permissionDecision"] = "deny";
    specific["permissionDecisionReason"] = message;
  } else {
    // A warning is context for the agent and no decision: "allow" would skip the user's prompt.
    specific["additionalContext"] = message;
  }
  return {{"hookSpecificOutput", specific}};
}

// What the call's verdict is when it could not be checked: allowed (fail open) or blocked.
Verdict unchecked(const Request& r, bool fail_closed) {
  Verdict v;
  v.tool = r.call.tool;
  v.tool_use_id = r.call.tool_use_id;
  v.decision = fail_closed ? Decision::block : Decision::allow;
  v.unknown["error"] = r.problem;
  return v;
}

// The store to check against, or why there is none (then calls are allowed, or blocked with
// --fail-closed): a missing store is never created here.
std::unique_ptr<Store> open_store_to_check(const PatcheckOptions& o, std::string& problem) {
  const fs::path db = o.db.empty() ? default_db_path() : fs::path(o.db);
  std::error_code ec;
  if (!fs::exists(db, ec)) {
    problem = fmt::format("no store at {}: nothing to check against", db.string());
    return nullptr;
  }
  try {
    // A store this user may only read is still checked against; verdicts are then not recorded.
    StoreOptions so{db, o.busy_timeout, false};
    so.read_only = ::access(db.c_str(), W_OK) != 0;
    return Store::open(so);
  } catch (const std::exception& e) {
    problem = e.what();
    return nullptr;
  }
}

// The verdict on one call; a verdict of the patterns that warns or blocks is recorded for
// patlearn's feedback. A call that cannot be checked gets r.problem and the fallback verdict.
Verdict judge(Request& r, const PatcheckOptions& o, Store* store, PatternMatcher* matcher, Diagnostics& diag) {
  const char* fallback = o.fail_closed ? "call blocked (--fail-closed)" : "call allowed (fail open)";
  if (!r.problem.empty()) {
    diag.error(fmt::format("{}; {}", r.problem, fallback));
    return unchecked(r, o.fail_closed);
  }
  Verdict v;
  if (!matcher) {
    v.tool = r.call.tool;
    v.tool_use_id = r.call.tool_use_id;
    return v;
  }
  try {
    v = matcher->check(r.call);
  } catch (const std::exception& e) {
    r.problem = fmt::format("cannot check the call: {}", e.what());
    diag.error(fmt::format("{}; {}", r.problem, fallback));
    return unchecked(r, o.fail_closed);
  }
  // Only a verdict of the patterns is feedback for them; a call blocked because it could not be
  // checked names no pattern.
  if (v.decision != Decision::allow && !o.no_record && !store->read_only()) {
    try {
      // A verdict shown to the agent waits for the store like the other writers (patlog
      // --hook): a busy moment must not lose the feedback it gives.
      store->db().setBusyTimeout(std::max(o.busy_timeout, kWriterBusyTimeoutMs));
      Store::Transaction tx(*store);
      VerdictStore(*store).record(v, r.call.session, now_rfc3339());
      tx.commit();
    } catch (const std::exception& e) {
      diag.warning(fmt::format("verdict not recorded: {}", e.what()));
    }
  }
  return v;
}

int run(const PatcheckOptions& o, std::vector<Request> requests, bool hook_payload, Diagnostics& diag) {
  Format format = Format::jsonl;
  if (o.format == "claude" || (o.format == "auto" && hook_payload))
    format = Format::claude;
  else if (o.format == "text" || (o.format == "auto" && !o.args.empty()))
    format = Format::text;
  for (auto& r : requests) {
    if (!o.cwd.empty()) r.call.cwd = o.cwd;
    if (r.call.cwd.empty()) r.call.cwd = fs::current_path().string();
  }
  CheckOptions co;
  co.min_confidence = o.min_confidence;
  co.block_at = o.block_at;
  co.levels = o.levels;
  // The store is opened only for a call that the check index beside it does not clear
  // (check/check_index.hpp): opening it costs more than checking.
  // With --fail-closed the store itself must answer: a call is blocked whenever it cannot.
  const std::unique_ptr<CheckIndex> index =
      o.fail_closed ? nullptr : CheckIndex::open(o.db.empty() ? default_db_path() : fs::path(o.db));
  std::string store_problem;
  std::unique_ptr<Store> store;
  std::unique_ptr<PatternMatcher> matcher;
  bool store_opened = false;
  const auto open_store = [&] {
    if (std::exchange(store_opened, true)) return;
    store = open_store_to_check(o, store_problem);
    if (store) matcher = std::make_unique<PatternMatcher>(*store, co);
  };

  Output out;
  bool blocked = false;
  for (auto& r : requests) {
    Verdict v;
    if (index && r.problem.empty() && index_clears(*index, r.call, co.min_confidence)) {
      v.tool = r.call.tool;
      v.tool_use_id = r.call.tool_use_id;
    } else {
      open_store();
      if (r.problem.empty() && !store_problem.empty() && o.fail_closed) r.problem = store_problem;
      v = judge(r, o, store.get(), matcher.get(), diag);
    }
    blocked = blocked || v.decision == Decision::block;
    if (format == Format::jsonl) {
      out.write_line(dump_json(to_json(v)));
      continue;
    }
    if (v.decision == Decision::allow) continue;  // the common case: nothing to say
    const std::string message = !r.problem.empty() ? fmt::format("pattools could not check this call: {}", r.problem)
                                                   : verdict_message(v, co.levels);
    if (format == Format::claude)
      out.write_line(dump_json(hook_output(v, message)));
    else
      fmt::print(stderr, "{}\n", message);
  }
  if (!store_problem.empty() && !o.fail_closed) diag.note(fmt::format("{}; calls allowed", store_problem));
  out.flush();  // the agent has its answer before the index is rebuilt
  if (store && !index && !o.fail_closed && !store->read_only()) {
    try {
      rebuild_check_index(*store);  // the next calls need not open the store
    } catch (const std::exception& e) {
      diag.warning(fmt::format("check index not written: {}", e.what()));
    }
  }
  return blocked && format != Format::claude ? static_cast<int>(Exit::blocked) : 0;
}

// The options, from the command line and the configuration file.
void parse_options(PatcheckOptions& o, int argc, char** argv) {
  auto app = make_app("patcheck", kDescription);
  app->add_option("TOOL KEY=VALUE", o.args, "The call to check, for shell scripts: the tool, then its input");
  add_db_option(*app, o.db);
  app->add_option("--format", o.format,
                  "Output: auto (claude for a hook payload, text for TOOL KEY=VALUE, else jsonl), claude, jsonl, text")
      ->check(CLI::IsMember({"auto", "claude", "jsonl", "text"}));
  app->add_option("--min-confidence", o.min_confidence, "Patterns below this confidence are not shown")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  app->add_option("--block-at", o.block_at, "Confidence from which the call is blocked")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  add_level_options(*app, o.levels);
  app->add_flag("--fail-closed", o.fail_closed,
                "Block the call when it cannot be checked (no store, a bad payload, an error); default: allow it");
  app->add_flag("--no-record", o.no_record,
                "Do not record the verdicts that warned or blocked (for patlearn's feedback)");
  app->add_option("--session", o.session, "The session of a TOOL KEY=VALUE call, for workflow checks");
  app->add_option("--cwd", o.cwd, "Directory that relative paths in the input are taken from");
  app->add_option("--max-payload", o.max_payload, "Largest input read, in bytes")->capture_default_str();
  app->add_option("--max-depth", o.max_depth, "Deepest nesting of JSON accepted")->capture_default_str();
  add_busy_timeout_option(*app, o.busy_timeout, "recording a verdict");
  app->footer(
      "Exit status: 0 the call is allowed (possibly with a warning; always 0 with --format claude, where the\n"
      "JSON on standard output decides); 2 blocked (jsonl, text); 64 usage; 70 internal error; 74 I/O error;\n"
      "78 bad config. A call that cannot be checked is allowed (exit 0), or blocked with --fail-closed.\n"
      "See patcheck(1), patlearn(1), pattools-records(5).");
  parse_with_config(*app, "patcheck", argc, argv);
  check_level_order(o.levels);
}

}  // namespace

int patcheck_main(int argc, char** argv) {
  PatcheckOptions o;
  bool parsed = false;
  const int status = run_tool("patcheck", argc, argv, [&]() -> int {
    if (argc > 1 || config_may_apply("patcheck")) {
      parse_options(o, argc, argv);
    } else if (const char* db = std::getenv("PAT_DB"); db != nullptr && *db != '\0') {
      o.db = db;  // a hook's run: the defaults, and the store that --db's variable names
    }
    std::vector<Request> requests;
    if (!o.args.empty()) requests = requests_from_arguments(o);
    parsed = true;
    bool hook_payload = false;
    if (o.args.empty()) requests = requests_from_stdin(o, hook_payload);
    Diagnostics diag("patcheck");
    return run(o, std::move(requests), hook_payload, diag);
  });
  // An error the run could not turn into a verdict (out of memory, a failed write): the call
  // goes through unless the user asked for the opposite; usage errors keep their status.
  if (parsed && status != 0 && status != static_cast<int>(Exit::blocked) && status != static_cast<int>(Exit::io_error))
    return o.fail_closed ? static_cast<int>(Exit::blocked) : 0;
  return status;
}

}  // namespace pat
