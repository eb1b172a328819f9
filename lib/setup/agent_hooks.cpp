#include "setup/agent_hooks.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/small_file.hpp"

namespace pat {
namespace {

constexpr std::size_t kMaxSettingsBytes = 4u << 20;
// A word as a POSIX shell reads it back: as it is when it is plain, else single-quoted.
std::string shell_word(const std::string& w) {
  if (!w.empty() &&
      w.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/._+-") == std::string::npos)
    return w;
  std::string out = "'";
  for (const char c : w) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

json read_settings(const fs::path& file, bool& exists) {
  const auto text = read_small_file(file, kMaxSettingsBytes, Exit::data_error);
  exists = text.has_value();
  if (!text || text->find_first_not_of(" \t\r\n") == std::string::npos) return json::object();
  const ParsedJson parsed = parse_json(*text, JsonLimits{});
  if (!parsed.ok) throw Error(Exit::data_error, fmt::format("{}: {}", file.string(), parsed.error));
  if (!parsed.value.is_object()) throw Error(Exit::data_error, fmt::format("{}: not a JSON object", file.string()));
  return parsed.value;
}

// The settings' hooks block, checked to be of the form {EVENT: [{"matcher"?, "hooks": [...]}]}.
json& hooks_of(json& settings, const fs::path& file) {
  if (!settings.contains("hooks")) settings["hooks"] = json::object();
  json& hooks = settings["hooks"];
  const auto bad = [&](const std::string& what) {
    return Error(Exit::data_error, fmt::format("{}: \"hooks\" {}: not changed", file.string(), what));
  };
  if (!hooks.is_object()) throw bad("is not an object");
  for (auto& [event, groups] : hooks.items()) {
    if (!groups.is_array()) throw bad(fmt::format("\"{}\" is not an array", event));
    for (const auto& g : groups)
      if (!g.is_object() || (g.contains("hooks") && !g["hooks"].is_array()))
        throw bad(fmt::format("\"{}\" has a group that is not {{\"matcher\", \"hooks\": [...]}}", event));
  }
  return hooks;
}

std::string matcher_of(const json& group) {
  const auto it = group.find("matcher");
  return it != group.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string command_of(const json& hook) {
  const auto it = hook.find("command");
  return hook.is_object() && it != hook.end() && it->is_string() ? it->get<std::string>() : "";
}

// Each (event, matcher, command) of a hooks block.
std::vector<HookEntry> entries_of(const json& hooks) {
  std::vector<HookEntry> out;
  for (const auto& [event, groups] : hooks.items())
    for (const auto& g : groups)
      for (const auto& h : g.value("hooks", json::array())) out.push_back({event, matcher_of(g), command_of(h)});
  return out;
}

bool has_entry(const json& hooks, const HookEntry& e) {
  const auto it = hooks.find(e.event);
  if (it == hooks.end()) return false;
  for (const auto& g : *it)
    if (matcher_of(g) == e.matcher)
      for (const auto& h : g.value("hooks", json::array()))
        if (command_of(h) == e.command) return true;
  return false;
}

// The hook object of `ours` for an entry (with its type, timeout, ...).
json hook_object(const json& ours, const HookEntry& e) {
  const json groups = ours.value("hooks", json::object()).value(e.event, json::array());
  for (const auto& g : groups)
    if (matcher_of(g) == e.matcher)
      for (const auto& h : g.value("hooks", json::array()))
        if (command_of(h) == e.command) return h;
  return {{"type", "command"}, {"command", e.command}};
}

}  // namespace

fs::path claude_settings_path(HookScope scope, const fs::path& project) {
  if (scope == HookScope::project) return project / ".claude" / "settings.json";
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') throw Error(Exit::config, "HOME is not set: where are the user's settings?");
  return fs::path(home) / ".claude" / "settings.json";
}

json hooks_to_install(const json& template_settings, const fs::path& bindir) {
  json out = template_settings;
  for (auto& [event, groups] : out["hooks"].items())
    for (auto& g : groups)
      for (auto& h : g["hooks"]) {
        const std::string command = command_of(h);
        const auto space = command.find(' ');
        const std::string program = command.substr(0, space);
        if (std::find(kPatPrograms.begin(), kPatPrograms.end(), program) == kPatPrograms.end()) continue;
        h["command"] =
            shell_word((bindir / program).string()) + (space == std::string::npos ? "" : command.substr(space));
      }
  return out;
}

HookPlan plan_install(const fs::path& file, const json& ours) {
  HookPlan plan;
  plan.file = file;
  plan.result = read_settings(file, plan.exists);
  json& hooks = hooks_of(plan.result, file);
  for (const HookEntry& e : entries_of(ours["hooks"])) {
    if (has_entry(hooks, e)) continue;
    if (!hooks.contains(e.event)) hooks[e.event] = json::array();
    json* group = nullptr;
    for (auto& g : hooks[e.event])
      if (matcher_of(g) == e.matcher) group = &g;
    if (group == nullptr) {
      json g = json::object();
      if (!e.matcher.empty()) g["matcher"] = e.matcher;
      g["hooks"] = json::array();
      hooks[e.event].push_back(std::move(g));
      group = &hooks[e.event].back();
    }
    if (!group->contains("hooks")) (*group)["hooks"] = json::array();
    (*group)["hooks"].push_back(hook_object(ours, e));
    plan.added.push_back(e);
  }
  return plan;
}

HookPlan plan_uninstall(const fs::path& file, const json& ours) {
  HookPlan plan;
  plan.file = file;
  plan.result = read_settings(file, plan.exists);
  if (!plan.exists || !plan.result.contains("hooks")) return plan;
  json& hooks = hooks_of(plan.result, file);
  const std::vector<HookEntry> mine = entries_of(ours["hooks"]);
  const auto is_mine = [&](const std::string& event, const std::string& matcher, const std::string& command) {
    return std::any_of(mine.begin(), mine.end(), [&](const HookEntry& e) {
      return e.event == event && e.matcher == matcher && e.command == command;
    });
  };
  // Only what this removal empties goes with it: an empty group or event of the user's stays.
  for (auto event = hooks.begin(); event != hooks.end();) {
    json& groups = event.value();
    bool emptied_group = false;
    for (auto g = groups.begin(); g != groups.end();) {
      if (!g->contains("hooks")) {
        ++g;
        continue;
      }
      json& list = (*g)["hooks"];
      const std::string matcher = matcher_of(*g);
      bool removed_here = false;
      for (auto h = list.begin(); h != list.end();) {
        if (is_mine(event.key(), matcher, command_of(*h))) {
          plan.removed.push_back({event.key(), matcher, command_of(*h)});
          h = list.erase(h);
          removed_here = true;
        } else {
          ++h;
        }
      }
      const bool erase = removed_here && list.empty();
      emptied_group = emptied_group || erase;
      g = erase ? groups.erase(g) : g + 1;
    }
    event = emptied_group && groups.empty() ? hooks.erase(event) : std::next(event);
  }
  if (hooks.empty() && !plan.removed.empty()) plan.result.erase("hooks");
  return plan;
}

fs::path apply_plan(const HookPlan& plan, const std::string& time) {
  fs::path backup;
  std::error_code ec;
  if (plan.exists) {
    backup = fs::path(plan.file.string() + ".pattools-backup-" + time);
    for (int n = 1; fs::exists(backup, ec); ++n)  // two changes in one second keep two backups
      backup = fs::path(fmt::format("{}.pattools-backup-{}.{}", plan.file.string(), time, n));
    const auto text = read_small_file(plan.file, kMaxSettingsBytes, Exit::data_error);
    write_file_atomically(backup, text.value_or(""));
  } else {
    fs::create_directories(plan.file.parent_path(), ec);
    if (ec)
      throw Error(Exit::cant_create,
                  fmt::format("cannot create {}: {}", plan.file.parent_path().string(), ec.message()));
  }
  // A settings file that is a link (to a dotfiles repository, say) stays one: its target changes.
  const fs::path target = fs::is_symlink(plan.file, ec) ? fs::canonical(plan.file, ec) : plan.file;
  write_file_atomically(ec ? plan.file : target,
                        plan.result.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
  return backup;
}

HookCount count_wired(const fs::path& file, const json& ours) {
  HookCount count;
  bool exists = false;
  json settings = read_settings(file, exists);
  const json& hooks = hooks_of(settings, file);
  for (const HookEntry& e : entries_of(ours["hooks"])) {
    ++count.all;
    if (!has_entry(hooks, e)) continue;
    ++count.wired;
    const std::string program = e.command.starts_with('\'') ? e.command.substr(1, e.command.find('\'', 1) - 1)
                                                            : e.command.substr(0, e.command.find(' '));
    if (std::find(count.programs.begin(), count.programs.end(), program) == count.programs.end())
      count.programs.push_back(program);
  }
  return count;
}

}  // namespace pat
