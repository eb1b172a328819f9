#pragma once
// Where pattools keeps and finds things: the store (ARCHITECTURE.md, The store), its data files
// (share/pattools) and the user's configuration (XDG base directories).
#include <filesystem>
#include <optional>
#include <string>

namespace pat {

namespace fs = std::filesystem;

// $PAT_DB, else ${XDG_STATE_HOME:-$HOME/.local/state}/pattools/pat.db
fs::path default_db_path();

// ${XDG_CONFIG_HOME:-$HOME/.config}/pattools
fs::path config_dir();

// $PAT_CONFIG, else config_dir()/config.toml
fs::path config_file_path();

// The directory of the running program (its siblings are the other pattools programs).
std::optional<fs::path> own_directory();

// The first of $PAT_DATADIR, <exe>/../share/pattools, the install datadir and the source tree's
// share/pattools that holds `name`.
std::optional<fs::path> find_data_file(const std::string& name);

}  // namespace pat
