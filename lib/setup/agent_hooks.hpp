#pragma once
// Wiring pattools into an agent's hook configuration (patsetup install / uninstall). The hooks to
// add are data: share/pattools/claude-settings.json, its program names replaced by the absolute
// paths of the installed programs (hooks run with a minimal PATH). Installing keeps every hook
// the user has, adds only what is missing (a second install changes nothing) and backs up the
// file it changes; uninstalling removes exactly the commands an install adds, and the groups and
// events that are left empty by it.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "util/json_parse.hpp"
#include "util/paths.hpp"

namespace pat {

// The programs of pattools, all installed in one directory.
inline constexpr std::array<std::string_view, 7> kPatPrograms = {"patlog",   "patdetect", "patlearn", "patcheck",
                                                                 "patprune", "patreport", "patsetup"};

enum class HookScope { user, project };

// The settings file of Claude Code for the scope: ~/.claude/settings.json, or
// PROJECT/.claude/settings.json.
fs::path claude_settings_path(HookScope scope, const fs::path& project);

// The hooks block to install: the template's commands with each pattools program named by its
// absolute path in `bindir`.
json hooks_to_install(const json& template_settings, const fs::path& bindir);

struct HookEntry {
  std::string event, matcher, command;
};

struct HookPlan {
  fs::path file;
  bool exists = false;  // the file is there now
  json result;          // the whole settings file after the change
  std::vector<HookEntry> added, removed;
  bool changes() const { return !added.empty() || !removed.empty(); }
};

// What installing `ours` into `file` (or removing it) changes. Throws pat::Error(data_error)
// naming the file when it is not a JSON object or its "hooks" are not of the documented form.
HookPlan plan_install(const fs::path& file, const json& ours);
HookPlan plan_uninstall(const fs::path& file, const json& ours);

// Writes the plan's result (atomically, mode 0600 for a new file), after copying the file it
// replaces to FILE.pattools-backup-TIME. Returns the backup's path ("" when there was no file).
fs::path apply_plan(const HookPlan& plan, const std::string& time);

// The commands of `ours` present in the settings at `file`: wired, of all.
struct HookCount {
  std::size_t wired = 0, all = 0;
  std::vector<std::string> programs;  // the absolute programs the wired commands run
};
HookCount count_wired(const fs::path& file, const json& ours);

}  // namespace pat
