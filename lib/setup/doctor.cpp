#include "setup/doctor.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include "ingest/hook_spool.hpp"
#include "setup/agent_hooks.hpp"
#include "store/learning_runs.hpp"
#include "store/store.hpp"

namespace pat {
namespace {

std::size_t regular_files_in(const fs::path& dir) {
  std::size_t n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::error_code e2;
    if (e.is_regular_file(e2) && !e.path().filename().string().starts_with(".")) ++n;
  }
  return n;
}

DoctorFinding hooks_finding(const char* scope, const fs::path& file, const json& ours) {
  DoctorFinding f;
  f.what = fmt::format("Claude Code hooks ({}, {})", scope, file.string());
  try {
    const HookCount c = count_wired(file, ours);
    f.ok = c.wired == c.all;
    f.detail = fmt::format("{} of {} wired", c.wired, c.all);
    for (const auto& program : c.programs)
      if (::access(program.c_str(), X_OK) != 0) {
        f.ok = false;
        f.detail += fmt::format("; {} is not an executable program", program);
      }
    if (!f.ok)
      f.fix = fmt::format("run `patsetup install{}`", std::string_view(scope) == "user" ? "" : " --project DIR");
  } catch (const std::exception& e) {
    f.ok = false;
    f.detail = e.what();
    f.fix = "repair the file (it is JSON), then run `patsetup install`";
  }
  return f;
}

}  // namespace

std::vector<DoctorFinding> run_doctor(const DoctorOptions& o) {
  std::vector<DoctorFinding> out;
  // Hooks: complete in the user's settings or in the project's is enough.
  DoctorFinding user = hooks_finding("user", claude_settings_path(HookScope::user, o.project), o.ours);
  DoctorFinding project = hooks_finding("project", claude_settings_path(HookScope::project, o.project), o.ours);
  if (user.ok || project.ok) {
    user.ok = project.ok = true;
    user.fix.clear();
    project.fix.clear();
  }
  out.push_back(std::move(user));
  out.push_back(std::move(project));

  DoctorFinding programs{"programs", true, "", ""};
  std::vector<std::string> missing;
  for (const auto& p : kPatPrograms)
    if (::access((o.bindir / p).c_str(), X_OK) != 0) missing.emplace_back(p);
  programs.ok = missing.empty();
  programs.detail = missing.empty() ? fmt::format("all seven in {}", o.bindir.string())
                                    : fmt::format("missing in {}: {}", o.bindir.string(), fmt::join(missing, ", "));
  if (!programs.ok)
    programs.fix = "install all seven programs in one directory (cmake --install), then run patsetup from it";
  out.push_back(std::move(programs));

  DoctorFinding store{"store", true, "", ""};
  DoctorFinding events{"events", true, "", ""};
  DoctorFinding learning{"learning", true, "", ""};
  std::error_code ec;
  if (!fs::exists(o.db, ec)) {
    store.detail = fmt::format("{} not created yet (the first hook creates it)", o.db.string());
    events.detail = "none received yet";
    learning.detail = "never ran";
  } else {
    const bool writable = ::access(o.db.c_str(), W_OK) == 0;
    try {
      auto s = Store::open(StoreOptions{o.db, 1000, false, true});
      store.ok = writable;
      store.detail = fmt::format("{}, schema v{}, {}", o.db.string(), s->schema_version(),
                                 writable ? "writable" : "NOT writable by this user");
      if (!writable) store.fix = fmt::format("give this user write access to {} and its directory", o.db.string());
      SQLite::Statement q(s->db(), "SELECT count(*), max(ts) FROM events");
      q.executeStep();
      events.detail =
          q.getColumn(0).getInt64() == 0
              ? "none received yet"
              : fmt::format("{} stored, the last at {}", q.getColumn(0).getInt64(), q.getColumn(1).getString());
      if (const auto run = last_learning_run(*s)) {
        learning.ok = run->status == "ok";
        learning.detail =
            fmt::format("last run {} ({}): {}, {} events, {} active patterns{}", run->finished_at, run->trigger,
                        run->status, run->events, run->patterns, run->message.empty() ? "" : "; " + run->message);
        if (!learning.ok)
          learning.fix = fmt::format("see {}.learn.log, then run `patsetup learn` to try again", o.db.string());
      } else {
        learning.detail = "never ran by itself (it runs at the end of each session)";
      }
    } catch (const std::exception& e) {
      store.ok = false;
      store.detail = e.what();
      store.fix = "move the file aside; the next hook creates a new store";
    }
  }
  out.push_back(std::move(store));
  out.push_back(std::move(events));
  out.push_back(std::move(learning));

  const HookSpool spool(o.db);
  const std::size_t waiting = regular_files_in(spool.directory()),
                    failed = regular_files_in(spool.directory() / "failed");
  DoctorFinding spooled{"spool", waiting == 0 && failed == 0, "", ""};
  spooled.detail = fmt::format("{} payloads waiting, {} set aside ({})", waiting, failed, spool.directory().string());
  if (waiting > 0) spooled.fix = "the store could not be written: the next hook stores them; check the store above";
  if (failed > 0)
    spooled.fix += fmt::format("{}look at {}: those could never be stored; remove them when done",
                               spooled.fix.empty() ? "" : "; ", (spool.directory() / "failed").string());
  out.push_back(std::move(spooled));
  return out;
}

}  // namespace pat
