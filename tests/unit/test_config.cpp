#include <algorithm>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <doctest/doctest.h>

#include "cli/config.hpp"
#include "unit_helpers.hpp"
#include "util/error.hpp"

using pat::ConfigEntry;
using pat_test::TempDir;

namespace {

const ConfigEntry* find_entry(const std::vector<ConfigEntry>& entries, const std::string& section,
                              const std::string& key) {
  for (const auto& e : entries)
    if (e.section == section && e.key == key) return &e;
  return nullptr;
}

// The message of the pat::Error(config) that read_config throws on `text`, or "" if none (and
// then the code check fails too).
std::string config_error(const std::string& text) {
  TempDir tmp;
  const auto file = tmp / "config.toml";
  pat_test::write_file(file, text);
  const auto err = pat_test::error_of([&] { pat::read_config(file); });
  CHECK(err.code == pat::Exit::config);
  return err.message;
}

// A small tool with the kinds of options the real ones have.
struct Tool {
  CLI::App app{"test tool", "patlog"};
  std::string db;
  int max_depth = 512;
  double threshold = 0.5;
  bool dry_run = false;
  std::vector<std::string> rules;

  Tool() {
    app.add_option("--db", db);
    app.add_option("--max-depth", max_depth);
    app.add_option("--threshold", threshold);
    app.add_flag("--dry-run", dry_run);
    app.add_option("--redact-rules", rules);
  }

  void parse(std::vector<std::string> args) {
    std::reverse(args.begin(), args.end());  // CLI11 takes a vector of arguments last-first
    app.parse(args);
  }
};

// The pat::Error that config_arguments throws mapping the [patlog] section of a config.toml
// holding `text` onto a Tool (Exit::ok and "" if none).
pat_test::ThrownError patlog_arguments_error(const std::string& text) {
  TempDir tmp;
  const auto file = tmp / "config.toml";
  pat_test::write_file(file, text);
  Tool t;
  return pat_test::error_of([&] { pat::config_arguments(pat::read_config(file), file, "patlog", t.app); });
}

}  // namespace

TEST_SUITE("config") {
  TEST_CASE("read_config: a missing file gives no entries") {
    TempDir tmp;
    CHECK(pat::read_config(tmp / "nope.toml").empty());
  }

  TEST_CASE("read_config: sections, strings, numbers, booleans and arrays") {
    TempDir tmp;
    const auto file = tmp / "config.toml";
    pat_test::write_file(file,
                         "# pattools configuration\n"
                         "db = \"/var/lib/pat.db\"\n"
                         "\n"
                         "verbose = true\n"
                         "[patlog]\n"
                         "  max-depth = 100   # inline comment\n"
                         "format = 'jsonl'\n"
                         "redact-rules = [\"a.rules\", 'b.rules' ,\"c d.rules\"]\n"
                         "dry-run = false\n"
                         "[ patcheck ]\n"
                         "threshold = 0.95\n"
                         "escaped = \"a\\\"b\\n\"\n");
    const auto entries = pat::read_config(file);
    CHECK(entries.size() == 8);

    const auto* db = find_entry(entries, "", "db");
    REQUIRE(db);
    CHECK(db->values == std::vector<std::string>{"/var/lib/pat.db"});
    CHECK_FALSE(db->is_bool);
    CHECK(db->line == 2);

    const auto* verbose = find_entry(entries, "", "verbose");
    REQUIRE(verbose);
    CHECK(verbose->is_bool);
    CHECK(verbose->values == std::vector<std::string>{"true"});

    const auto* depth = find_entry(entries, "patlog", "max-depth");
    REQUIRE(depth);
    CHECK(depth->values == std::vector<std::string>{"100"});
    CHECK(depth->line == 6);

    const auto* format = find_entry(entries, "patlog", "format");
    REQUIRE(format);
    CHECK(format->values == std::vector<std::string>{"jsonl"});

    const auto* rules = find_entry(entries, "patlog", "redact-rules");
    REQUIRE(rules);
    CHECK(rules->values == std::vector<std::string>{"a.rules", "b.rules", "c d.rules"});

    const auto* dry = find_entry(entries, "patlog", "dry-run");
    REQUIRE(dry);
    CHECK(dry->is_bool);
    CHECK(dry->values == std::vector<std::string>{"false"});

    const auto* threshold = find_entry(entries, "patcheck", "threshold");
    REQUIRE(threshold);
    CHECK(threshold->values == std::vector<std::string>{"0.95"});

    const auto* escaped = find_entry(entries, "patcheck", "escaped");
    REQUIRE(escaped);
    CHECK(escaped->values == std::vector<std::string>{"a\"b\n"});
  }

  TEST_CASE("read_config: an empty array has no values") {
    TempDir tmp;
    pat_test::write_file(tmp / "c.toml", "redact-rules = []\n");
    const auto entries = pat::read_config(tmp / "c.toml");
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].values.empty());
  }

  TEST_CASE("read_config: CRLF line endings are accepted") {
    TempDir tmp;
    pat_test::write_file(tmp / "c.toml", "[patlog]\r\ndb = \"x.db\"\r\n");
    const auto entries = pat::read_config(tmp / "c.toml");
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].section == "patlog");
    CHECK(entries[0].values == std::vector<std::string>{"x.db"});
  }

  TEST_CASE("read_config: syntax errors throw Exit::config naming FILE:LINE") {
    struct Case {
      const char* text;
      const char* where;
    };
    for (const Case c : {Case{"db = \"x\"\njust words\n", ":2:"}, Case{"\n\nname = \"unterminated\n", ":3:"},
                         Case{"[patlog\n", ":1:"}, Case{"db =\n", ":1:"}, Case{"a = 1\nformat = jsonl\n", ":2:"},
                         Case{"rules = [\"a\", \"b\"\n", ":1:"}, Case{"Bad Key = 1\n", ":1:"}, Case{"= 3\n", ":1:"}}) {
      const std::string text = c.text;
      CAPTURE(text);
      const std::string msg = config_error(text);
      CHECK(msg.find("config.toml") != std::string::npos);
      CHECK(msg.find(c.where) != std::string::npos);
    }
  }

  TEST_CASE("read_config: a '#' inside a quoted string is not a comment") {
    TempDir tmp;
    pat_test::write_file(tmp / "c.toml", "name = \"a#b\" # real comment\n");
    const auto entries = pat::read_config(tmp / "c.toml");
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].values == std::vector<std::string>{"a#b"});
  }

  TEST_CASE("read_config: text after a value is a syntax error, not silently dropped") {
    // A list written without brackets keeps only its first item; a second value is ignored.
    CHECK(config_error("redact-rules = \"a.rules\", \"b.rules\"\n").find(":1:") != std::string::npos);
    CHECK(config_error("threshold = 0.9 0.8\n").find(":1:") != std::string::npos);
    CHECK(config_error("db = \"a.db\" junk\n").find(":1:") != std::string::npos);
  }

  TEST_CASE("read_config: an unquoted word as a value asks for quotes") {
    CHECK(config_error("format = jsonl\n").find("quotes") != std::string::npos);
  }

  TEST_CASE("config_arguments: flags, single-valued and repeated options map to CLI arguments") {
    TempDir tmp;
    const auto file = tmp / "config.toml";
    pat_test::write_file(file,
                         "db = \"/a.db\"\n"
                         "max-depth = 100\n"
                         "[patlog]\n"
                         "dry-run = true\n"
                         "redact-rules = [\"a.rules\", \"b.rules\"]\n"
                         "threshold = 0.75\n");
    Tool t;
    const auto args = pat::config_arguments(pat::read_config(file), file, "patlog", t.app);
    CHECK(args == std::vector<std::string>{"--db", "/a.db", "--max-depth", "100", "--dry-run", "--redact-rules",
                                           "a.rules", "--redact-rules", "b.rules", "--threshold", "0.75"});
    t.parse(args);
    CHECK(t.db == "/a.db");
    CHECK(t.max_depth == 100);
    CHECK(t.dry_run);
    CHECK(t.rules == std::vector<std::string>{"a.rules", "b.rules"});
    CHECK(t.threshold == doctest::Approx(0.75));
  }

  TEST_CASE("config_arguments: a flag set to false adds nothing") {
    TempDir tmp;
    const auto file = tmp / "config.toml";
    pat_test::write_file(file, "[patlog]\ndry-run = false\n");
    Tool t;
    CHECK(pat::config_arguments(pat::read_config(file), file, "patlog", t.app).empty());
  }

  TEST_CASE("config_arguments: a flag given a non-boolean is a config error naming FILE:LINE") {
    const auto err = patlog_arguments_error("[patlog]\n\ndry-run = \"yes\"\n");
    CHECK(err.code == pat::Exit::config);
    CHECK(err.message.find("config.toml:3") != std::string::npos);
  }

  TEST_CASE("config_arguments: an unknown key in the tool's own section is a config error") {
    const auto err = patlog_arguments_error("[patlog]\ndb = \"x\"\nno-such-option = 3\n");
    CHECK(err.code == pat::Exit::config);
    CHECK(err.message.find("config.toml:3") != std::string::npos);
    CHECK(err.message.find("no-such-option") != std::string::npos);
  }

  TEST_CASE("config_arguments: unknown top-level keys and other tools' sections are ignored") {
    TempDir tmp;
    const auto file = tmp / "config.toml";
    pat_test::write_file(file,
                         "only-for-patcheck = 1\n"
                         "db = \"/top.db\"\n"
                         "[patcheck]\n"
                         "db = \"/other.db\"\n"
                         "whatever = true\n");
    Tool t;
    std::vector<std::string> args;
    CHECK_NOTHROW(args = pat::config_arguments(pat::read_config(file), file, "patlog", t.app));
    CHECK(args == std::vector<std::string>{"--db", "/top.db"});
  }

  TEST_CASE("config_arguments: an option set through its environment variable is skipped") {
    TempDir tmp;
    const auto file = tmp / "config.toml";
    pat_test::write_file(file, "db = \"/from-file.db\"\nmax-depth = 7\n");
    Tool t;
    t.app.get_option("--db")->envname("PAT_UNIT_TEST_DB");
    {
      pat_test::ScopedEnv env("PAT_UNIT_TEST_DB", "/from-env.db");
      CHECK(pat::config_arguments(pat::read_config(file), file, "patlog", t.app) ==
            std::vector<std::string>{"--max-depth", "7"});
    }
    ::unsetenv("PAT_UNIT_TEST_DB");
    CHECK(pat::config_arguments(pat::read_config(file), file, "patlog", t.app) ==
          std::vector<std::string>{"--db", "/from-file.db", "--max-depth", "7"});
  }

}  // TEST_SUITE
