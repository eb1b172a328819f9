#pragma once
// What every tool's main shares: messages in one format, the config file and environment folded
// into the command line, and one place where errors become exit statuses.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "store/store.hpp"
#include "util/diagnostics.hpp"
#include "util/error.hpp"
#include "util/json_parse.hpp"

namespace pat {

// Thrown once --help or --version has been printed: ends the tool with `code`.
struct ExitNow {
  int code;
};

// A CLI11 app with the shared conventions: --version printing "TOOL (pattools) 0.1.0", the last
// of repeated single-valued options wins (so config values are overridden by flags).
std::unique_ptr<CLI::App> make_app(const std::string& tool, const std::string& description);

// Whether the configuration file has an entry that may apply to `tool` (one at the top level, or
// in its section): a hook that runs a tool with no arguments and no such entry can skip building
// the command-line parser, which costs a hook more than its work (ARCHITECTURE.md, Performance).
// A syntax error is the same pat::Error(config) that parse_with_config gives.
bool config_may_apply(const std::string& tool);

// Parses argv with config-file arguments placed first. Usage errors: pat::Error(usage);
// --help and --version: printed, then ExitNow{0}.
void parse_with_config(CLI::App& app, const std::string& tool, int argc, char** argv);

// Options several tools share, with one wording everywhere.
struct LevelThresholds;
// --critical-at, --high-at, --medium-at (ARCHITECTURE.md, Learning model: every threshold is a flag and a config key).
void add_level_options(CLI::App& app, LevelThresholds& levels);
// pat::Error(usage) unless medium <= high <= critical.
void check_level_order(const LevelThresholds& levels);
struct AgingOptions;
// --decay, --decay-days, --prune-days, --prune-below (patprune ages patterns, patreport shows
// what it would do).
void add_aging_options(CLI::App& app, AgingOptions& aging);
// --db PATH, also from $PAT_DB.
void add_db_option(CLI::App& app, std::string& db);
// --rejects FILE: where the raw bytes of rejected input go too.
void add_rejects_option(CLI::App& app, std::string& path);
// --max-line, --max-depth, and with `documents` --max-document: the limits of JSON input.
void add_json_limit_options(CLI::App& app, JsonLimits& limits, bool documents = false);
// --busy-timeout MS.
void add_busy_timeout_option(CLI::App& app, int& ms, const std::string& what = "");

// Says, when it goes out of scope, which stored records the run left out because it could not
// read them (Store::unreadable): one bad row never fails a run, and never passes in silence.
class UnreadableNote {
public:
  UnreadableNote(const Store& store, Diagnostics& diag) : store_(store), diag_(diag) {}
  ~UnreadableNote();
  UnreadableNote(const UnreadableNote&) = delete;
  UnreadableNote& operator=(const UnreadableNote&) = delete;

private:
  const Store& store_;
  Diagnostics& diag_;
};

// After a commit that wrote patterns (Store::check_index_removed): the check index rebuilt, so
// that patcheck need not open the store; a failure is a warning (patcheck rebuilds it then).
void refresh_check_index(Store& store, Diagnostics& diag);

// Runs `body`, mapping every error to its exit status and printing it once. In hook mode
// (`hook_mode` returns true once parsing got that far, or --hook is on the command line)
// failures exit 0: a hook must never break the agent.
int run_tool(const std::string& tool, int argc, char** argv, const std::function<int()>& body,
             const std::function<bool()>& hook_mode = {});

}  // namespace pat
