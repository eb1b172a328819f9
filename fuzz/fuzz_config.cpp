// The configuration file (cli/config.hpp) on any bytes, read as every tool reads it
// (parse_with_config: the file named by $PAT_CONFIG, then the tool's options) into a tool with the
// options the tools share. A bad file is a configuration error and a bad value a usage error,
// never anything else, and what is read is well formed.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/cli_common.hpp"
#include "cli/config.hpp"
#include "harness.hpp"
#include "learn/aging.hpp"
#include "records/enums.hpp"
#include "util/error.hpp"

namespace {

using pat_fuzz::require;

// The sections of the file a tool reads: its own and the top level.
constexpr const char* kTool = "patlearn";

// What the options of the tool write to.
struct ToolOptions {
  std::vector<std::string> files;
  std::string db, rejects;
  pat::LevelThresholds levels;
  pat::AgingOptions aging;
  pat::JsonLimits limits;
  int busy_timeout = 0;
  bool verbose = false;
};

void check_entries(const std::vector<pat::ConfigEntry>& entries, std::string_view text) {
  const std::size_t lines = 1 + static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  std::size_t previous = 0;
  for (const pat::ConfigEntry& e : entries) {
    require(!e.key.empty() && e.key.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_") == std::string::npos,
            "a key that is not a word: " + e.key);
    require(e.line > previous && e.line <= lines, "entries out of the order of their lines");
    previous = e.line;
    if (e.is_bool)
      require(e.values.size() == 1 && (e.values[0] == "true" || e.values[0] == "false"),
              "a boolean that is not true or false");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static pat_fuzz::MemoryFile file;
  [[maybe_unused]] static const bool prepared = [] {
    ::setenv("PAT_CONFIG", file.path().c_str(), 1);
    // help = true and version = true in the file print on standard output, which is the fuzzer's.
    std::cout.rdbuf(nullptr);
    return true;
  }();
  const std::string_view text = pat_fuzz::as_text(data, size);
  file.assign(text);

  try {
    check_entries(pat::read_config(file.path()), text);
  } catch (const pat::Error& e) {
    require(e.code() == pat::Exit::config, std::string("a bad config file that is not a config error: ") + e.what());
  }

  ToolOptions o;
  auto app = pat::make_app(kTool, "A tool with the shared options");
  app->add_option("FILE", o.files, "Input");
  pat::add_db_option(*app, o.db);
  pat::add_rejects_option(*app, o.rejects);
  pat::add_level_options(*app, o.levels);
  pat::add_aging_options(*app, o.aging);
  pat::add_json_limit_options(*app, o.limits, true);
  pat::add_busy_timeout_option(*app, o.busy_timeout);
  app->add_flag("-v,--verbose", o.verbose, "Verbose");
  std::string name = kTool;
  char* argv[] = {name.data(), nullptr};
  try {
    pat::parse_with_config(*app, kTool, 1, argv);
  } catch (const pat::Error& e) {
    require(e.code() == pat::Exit::config || e.code() == pat::Exit::usage,
            std::string("a config file that fails neither as configuration nor as usage: ") + e.what());
  } catch (const pat::ExitNow&) {
  }
  return 0;
}
