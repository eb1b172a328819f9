#include "cli/patsetup_cli.hpp"

#include <fmt/format.h>

#include "cli/cli_common.hpp"
#include "setup/agent_hooks.hpp"
#include "setup/background_learning.hpp"
#include "setup/doctor.hpp"
#include "util/output.hpp"
#include "util/small_file.hpp"
#include "util/time_format.hpp"

namespace pat {
namespace {

constexpr const char* kDescription =
    "patsetup: wire pattools into an agent's hooks (install, uninstall), tell whether it is wired and working "
    "(doctor), and learn from the events stored since the last run (learn, which the end of every session "
    "starts by itself).";

constexpr std::size_t kMaxTemplateBytes = 1u << 20;

struct PatsetupOptions {
  std::string db;
  std::string agent = "claude";
  std::string project;  // install for this project instead of the user
  bool dry_run = false;
  std::string trigger = "manual";
  int max_seconds = 600;
};

fs::path db_of(const PatsetupOptions& o) { return o.db.empty() ? default_db_path() : fs::path(o.db); }

fs::path bindir() {
  const auto dir = own_directory();
  if (!dir) throw Error(Exit::internal, "cannot find the directory of the running program");
  return *dir;
}

// The hooks an install adds: share/pattools/claude-settings.json with absolute programs.
json our_hooks() {
  const auto file = find_data_file("claude-settings.json");
  if (!file) throw Error(Exit::config, "share/pattools/claude-settings.json not found (set PAT_DATADIR)");
  const auto text = read_small_file(*file, kMaxTemplateBytes, Exit::config);
  const ParsedJson parsed = parse_json(text.value_or(""), JsonLimits{});
  if (!parsed.ok || !parsed.value.is_object() || !parsed.value.contains("hooks"))
    throw Error(Exit::config, fmt::format("{}: not a hooks template", file->string()));
  return hooks_to_install(parsed.value, bindir());
}

fs::path settings_file(const PatsetupOptions& o) {
  return o.project.empty() ? claude_settings_path(HookScope::user, "")
                           : claude_settings_path(HookScope::project, fs::absolute(o.project));
}

// Now, for a file name: 2026-12-02T170501Z.
std::string backup_time() {
  std::string t = now_rfc3339().substr(0, 19) + "Z";
  std::erase(t, ':');
  return t;
}

std::string entry_text(const HookEntry& e) {
  return fmt::format("{}{} {}", e.event, e.matcher.empty() ? "" : fmt::format(" [{}]", e.matcher), e.command);
}

int run_hooks(const PatsetupOptions& o, bool install, Diagnostics& diag) {
  const json ours = our_hooks();
  const fs::path file = settings_file(o);
  const HookPlan plan = install ? plan_install(file, ours) : plan_uninstall(file, ours);
  Output out;
  const char* verb = install ? (o.dry_run ? "would add" : "added") : (o.dry_run ? "would remove" : "removed");
  for (const auto& e : install ? plan.added : plan.removed) out.write_line(fmt::format("{}: {}", verb, entry_text(e)));
  out.flush();
  if (!plan.changes()) {
    diag.note(fmt::format("{}: nothing to change", file.string()));
    return 0;
  }
  if (o.dry_run) {
    diag.note(fmt::format("dry run: {} not changed", file.string()));
    return 0;
  }
  const fs::path backup = apply_plan(plan, backup_time());
  diag.note(
      fmt::format("{} changed{}", file.string(), backup.empty() ? "" : fmt::format(" (backup: {})", backup.string())));
  return 0;
}

int run_doctor_command(const PatsetupOptions& o) {
  DoctorOptions d;
  d.db = db_of(o);
  d.bindir = bindir();
  d.project = o.project.empty() ? fs::current_path() : fs::absolute(o.project);
  d.ours = our_hooks();
  bool healthy = true;
  Output out;
  for (const auto& f : run_doctor(d)) {
    healthy = healthy && f.ok;
    out.write_line(fmt::format("{:<8} {}: {}", f.ok ? "ok" : "PROBLEM", f.what, f.detail));
    if (!f.fix.empty()) out.write_line(fmt::format("{:<8} fix: {}", "", f.fix));
  }
  out.flush();
  return healthy ? 0 : 1;
}

int run_learn(const PatsetupOptions& o, Diagnostics& diag) {
  LearnOptions lo;
  lo.db = db_of(o);
  if (!fs::exists(lo.db)) throw Error(Exit::no_input, fmt::format("no store at {}", lo.db.string()));
  lo.trigger = o.trigger;
  lo.max_time = std::chrono::seconds(o.max_seconds);
  LearningRun last;
  if (learn_now(lo, last) == LearnResult::queued) {
    diag.note("a learning run is going on: it runs once more when it is done");
    return 0;
  }
  diag.note(fmt::format("{}: learned from {} event{}, {} active pattern{}{}", last.status, last.events,
                        last.events == 1 ? "" : "s", last.patterns, last.patterns == 1 ? "" : "s",
                        last.message.empty() ? "" : "; " + last.message));
  return last.status == "ok" ? 0 : 1;
}

}  // namespace

int patsetup_main(int argc, char** argv) {
  PatsetupOptions o;
  return run_tool("patsetup", argc, argv, [&]() -> int {
    auto app = make_app("patsetup", kDescription);
    add_db_option(*app, o.db);
    app->require_subcommand(1, 1);
    app->fallthrough();  // --db after the subcommand too
    const auto hook_options = [&](CLI::App* sub) {
      sub->add_option("--agent", o.agent, "The agent whose hooks to change")
          ->capture_default_str()
          ->check(CLI::IsMember({"claude"}));
      sub->add_option("--project", o.project,
                      "Change the project's settings (DIR/.claude/settings.json), not the user's");
      sub->add_flag("--dry-run", o.dry_run, "Show what would change; change nothing");
    };
    CLI::App* install =
        app->add_subcommand("install", "Wire the agent's hooks to pattools (idempotent; backs up the file)");
    hook_options(install);
    CLI::App* uninstall = app->add_subcommand("uninstall", "Remove exactly the hooks install adds");
    hook_options(uninstall);
    CLI::App* doctor = app->add_subcommand("doctor", "Tell whether pattools is wired and working, and what to do");
    doctor->add_option("--project", o.project, "The project whose settings count too (default: the current directory)");
    CLI::App* learn =
        app->add_subcommand("learn", "Learn from the events stored since the last run, one run at a time");
    learn->add_option("--trigger", o.trigger, "What started the run, as recorded")
        ->capture_default_str()
        ->check(CLI::IsMember({"manual", "session-end"}));
    learn->add_option("--max-seconds", o.max_seconds, "Stop a run that takes longer")
        ->capture_default_str()
        ->check(CLI::Range(1, 86400));
    app->footer(
        "Exit status: 0 ok (doctor: healthy); 1 doctor found a problem, or a learning run failed; 64 usage;\n"
        "65 a settings file that is not JSON; 66 no store (learn); 70 internal error; 73 cannot create;\n"
        "74 I/O error; 75 busy; 78 bad config. See patsetup(1), pattools(7).");
    parse_with_config(*app, "patsetup", argc, argv);
    Diagnostics diag("patsetup");
    if (install->parsed()) return run_hooks(o, true, diag);
    if (uninstall->parsed()) return run_hooks(o, false, diag);
    if (doctor->parsed()) return run_doctor_command(o);
    return run_learn(o, diag);
  });
}

}  // namespace pat
