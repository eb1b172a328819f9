#include "cli/cli_common.hpp"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "check/check_index.hpp"
#include "cli/config.hpp"
#include "learn/aging.hpp"
#include "learn/confidence.hpp"
#include "util/paths.hpp"
#include "util/version.hpp"

namespace pat {

std::unique_ptr<CLI::App> make_app(const std::string& tool, const std::string& description) {
  auto app = std::make_unique<CLI::App>(description, tool);
  app->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app->set_version_flag("--version", fmt::format("{} (pattools) {}", tool, kVersion));
  app->get_formatter()->column_width(30);
  return app;
}

void parse_with_config(CLI::App& app, const std::string& tool, int argc, char** argv) {
  const fs::path file = config_file_path();
  const auto entries = read_config(file);
  std::vector<std::string> args = config_arguments(entries, file, tool, app);
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  std::reverse(args.begin(), args.end());  // CLI11 takes the vector back to front
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() != 0) throw Error(Exit::usage, e.what());
    app.exit(e);  // --help, --version: printed on stdout
    throw ExitNow{0};
  }
}

bool config_may_apply(const std::string& tool) {
  const auto entries = read_config(config_file_path());
  return std::any_of(entries.begin(), entries.end(),
                     [&](const ConfigEntry& e) { return e.section.empty() || e.section == tool; });
}

void add_level_options(CLI::App& app, LevelThresholds& levels) {
  app.add_option("--critical-at", levels.critical, "Confidence from which a pattern is critical (patcheck blocks it)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--high-at", levels.high, "Confidence from which a pattern is high")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--medium-at", levels.medium, "Confidence from which a pattern is medium (below: low, not shown)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
}

void check_level_order(const LevelThresholds& levels) {
  if (!(levels.medium <= levels.high && levels.high <= levels.critical))
    throw Error(Exit::usage, "levels must satisfy --medium-at <= --high-at <= --critical-at");
}

void add_aging_options(CLI::App& app, AgingOptions& aging) {
  app.add_option("--decay", aging.decay_per_period, "Aging: confidence lost per period unseen")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--decay-days", aging.decay_period_days, "Aging: days in a decay period")
      ->capture_default_str()
      ->check(CLI::Range(1, 36500));
  app.add_option("--prune-days", aging.prune_after_days, "Aging: days unseen after which a low pattern is archived")
      ->capture_default_str()
      ->check(CLI::Range(1, 36500));
  app.add_option("--prune-below", aging.prune_below, "Aging: confidence under which an old pattern is archived")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
}

void add_db_option(CLI::App& app, std::string& db) {
  app.add_option("--db", db, "Store path (default $PAT_DB, else ${XDG_STATE_HOME:-~/.local/state}/pattools/pat.db)")
      ->envname("PAT_DB");
}

void add_rejects_option(CLI::App& app, std::string& path) {
  app.add_option("--rejects", path, "Also append the raw bytes of rejected records to this file");
}

void add_json_limit_options(CLI::App& app, JsonLimits& limits, bool documents) {
  app.add_option("--max-line", limits.max_line_bytes, "Longest line or record accepted, in bytes")
      ->capture_default_str();
  if (documents)
    app.add_option("--max-document", limits.max_document_bytes,
                   "Largest JSON document (array, payload) read whole, in bytes")
        ->capture_default_str();
  app.add_option("--max-depth", limits.max_depth, "Deepest nesting of JSON accepted")->capture_default_str();
}

void add_busy_timeout_option(CLI::App& app, int& ms, const std::string& what) {
  app.add_option("--busy-timeout", ms,
                 "Milliseconds to wait for a store locked by another process" + (what.empty() ? "" : " (" + what + ")"))
      ->capture_default_str();
}

int run_tool(const std::string& tool, int argc, char** argv, const std::function<int()>& body,
             const std::function<bool()>& hook_mode) {
  std::signal(SIGPIPE, SIG_IGN);  // EPIPE is handled where output is written
  // Over a file-size limit (ulimit -f) a write fails with EFBIG, reported like a full disk,
  // instead of the signal killing a hook with its payload.
  std::signal(SIGXFSZ, SIG_IGN);
  bool hook_flag = false;
  for (int i = 1; i < argc; ++i) hook_flag = hook_flag || std::strcmp(argv[i], "--hook") == 0;
  auto in_hook = [&] { return hook_flag || (hook_mode && hook_mode()); };
  Diagnostics diag(tool);
  int status;
  try {
    status = body();
  } catch (const ExitNow& e) {
    status = e.code;
  } catch (const Error& e) {
    diag.error(e.what());
    if (e.code() == Exit::usage) fmt::print(stderr, "Try '{} --help' for more information.\n", tool);
    status = static_cast<int>(e.code());
  } catch (const std::bad_alloc&) {
    diag.error("out of memory");
    status = static_cast<int>(Exit::internal);
  } catch (const std::exception& e) {
    diag.error(fmt::format("internal error: {}", e.what()));
    status = static_cast<int>(Exit::internal);
  }
  if (std::fflush(stdout) != 0 && errno != EPIPE) {
    diag.error(fmt::format("write error on standard output: {}", std::strerror(errno)));
    if (status == 0) status = static_cast<int>(Exit::io_error);
  }
  return in_hook() ? 0 : status;
}

UnreadableNote::~UnreadableNote() {
  constexpr std::size_t kShown = 5;
  const auto& bad = store_.unreadable();
  for (std::size_t i = 0; i < bad.size() && i < kShown; ++i) diag_.warning(fmt::format("left out {}", bad[i]));
  if (bad.size() > kShown) diag_.warning(fmt::format("left out {} more unreadable records", bad.size() - kShown));
}

void refresh_check_index(Store& store, Diagnostics& diag) {
  if (!store.check_index_removed()) return;
  try {
    rebuild_check_index(store);
  } catch (const std::exception& e) {
    diag.warning(fmt::format("check index not written: {}", e.what()));
  }
}

}  // namespace pat
