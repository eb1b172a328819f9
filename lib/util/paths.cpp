#include "util/paths.hpp"

#include <cstdlib>
#include <system_error>
#include <vector>

#ifndef PAT_INSTALL_DATADIR
#define PAT_INSTALL_DATADIR "/usr/local/share/pattools"
#endif
#ifndef PAT_SOURCE_DATADIR
#define PAT_SOURCE_DATADIR ""
#endif

namespace pat {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

fs::path home() {
  const std::string h = env("HOME");
  return h.empty() ? fs::path("/") : fs::path(h);
}

}  // namespace

fs::path default_db_path() {
  if (const auto db = env("PAT_DB"); !db.empty()) return db;
  const std::string state = env("XDG_STATE_HOME");
  const fs::path base = state.empty() ? home() / ".local" / "state" : fs::path(state);
  return base / "pattools" / "pat.db";
}

fs::path config_dir() {
  const std::string cfg = env("XDG_CONFIG_HOME");
  return (cfg.empty() ? home() / ".config" : fs::path(cfg)) / "pattools";
}

fs::path config_file_path() {
  if (const auto c = env("PAT_CONFIG"); !c.empty()) return c;
  return config_dir() / "config.toml";
}

std::optional<fs::path> own_directory() {
  std::error_code ec;
  const auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return std::nullopt;
  return exe.parent_path();
}

std::optional<fs::path> find_data_file(const std::string& name) {
  std::error_code ec;
  std::vector<fs::path> dirs;
  if (const auto d = env("PAT_DATADIR"); !d.empty()) dirs.emplace_back(d);
  if (const auto exe = fs::read_symlink("/proc/self/exe", ec); !ec)
    dirs.push_back(exe.parent_path().parent_path() / "share" / "pattools");
  dirs.emplace_back(PAT_INSTALL_DATADIR);
  if (*PAT_SOURCE_DATADIR) dirs.emplace_back(PAT_SOURCE_DATADIR);
  for (const auto& d : dirs) {
    const fs::path p = d / name;
    if (fs::is_regular_file(p, ec)) return p;
  }
  return std::nullopt;
}

}  // namespace pat
