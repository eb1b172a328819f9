#pragma once
// The configuration file (ARCHITECTURE.md, Conventions): $PAT_CONFIG, else ~/.config/pattools/config.toml.
// A small TOML subset: `key = value` lines, `[tool]` sections, strings, numbers, booleans and
// arrays of strings. Top-level keys apply to every tool that has the option; keys in a tool's
// section must be options of that tool. Flags beat environment beats file beats defaults.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "util/paths.hpp"

namespace pat {

struct ConfigEntry {
  std::string section;  // "" for top level
  std::string key;
  std::vector<std::string> values;  // one, or several for an array
  bool is_bool = false;
  std::size_t line = 0;
};

// Missing file: no entries. A syntax error: pat::Error(config) naming FILE:LINE.
std::vector<ConfigEntry> read_config(const fs::path& file);

// Command-line arguments equivalent to the entries that apply to `tool`, to be placed before the
// real ones (single-valued options take the last value). Options set through their environment
// variable are skipped. Unknown keys in the tool's section: pat::Error(config).
std::vector<std::string> config_arguments(const std::vector<ConfigEntry>& entries, const fs::path& file,
                                          const std::string& tool, CLI::App& app);

}  // namespace pat
