#pragma once
// `patsetup doctor`: whether pattools is wired and working, each finding with what to do about
// it. Read-only: it opens the store read-only and changes no file.
#include <string>
#include <vector>

#include "util/json_parse.hpp"
#include "util/paths.hpp"

namespace pat {

struct DoctorFinding {
  std::string what;    // "Claude Code hooks (user)", "store", ...
  bool ok = true;      // false: a problem
  std::string detail;  // what was found
  std::string fix;     // for a problem: what to do
};

struct DoctorOptions {
  fs::path db;       // the store
  fs::path bindir;   // where the programs are
  fs::path project;  // the project whose settings count too
  json ours;         // the hooks an install adds (hooks_to_install)
};

std::vector<DoctorFinding> run_doctor(const DoctorOptions& o);

}  // namespace pat
