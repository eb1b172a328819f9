#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "detect/failure_class.hpp"
#include "unit_helpers.hpp"
#include "util/error.hpp"

namespace {

std::string shipped_datadir() { return std::string(PAT_TEST_DATA) + "/../../share/pattools"; }

// The shipped rules from this source tree, without whatever the person running the tests keeps
// in ~/.config/pattools/failure-classes.rules.
const pat::FailureClassifier& shipped() {
  static const pat::FailureClassifier c = [] {
    static pat_test::TempDir empty_config;
    pat_test::ScopedEnv cfg("XDG_CONFIG_HOME", empty_config.path().string());
    pat_test::ScopedEnv data("PAT_DATADIR", shipped_datadir());
    return pat::FailureClassifier::load_default({});
  }();
  return c;
}

std::string class_of(const std::string& error) { return shipped().classify(error).name; }

// Every message of `messages` is classified as `expected`, and is (or is not) a usage mistake.
void expect_class(const std::string& expected, const std::vector<std::string>& messages) {
  const bool usage = pat::parse_category(expected).has_value();
  for (const auto& m : messages) {
    CAPTURE(m);
    const pat::FailureClass c = shipped().classify(m);
    CHECK(c.name == expected);
    CHECK(c.usage_mistake() == usage);
    if (usage) {
      REQUIRE(c.category.has_value());
      CHECK(pat::category_name(*c.category) == expected);
    }
  }
}

}  // namespace

TEST_SUITE("failure_class") {
  // ---- the shipped rules: usage mistakes ---------------------------------------------------------

  TEST_CASE("shipped rules: values of the wrong form are PARAMETER_FORMAT") {
    expect_class("PARAMETER_FORMAT",
                 {"fatal: ambiguous argument 'abc1234': unknown revision or path not in the working tree.",
                  "Invalid SHA format: expected 40 hex characters, got 7",
                  "/bin/bash: -c: line 1: unexpected EOF while looking for matching `\"'",
                  "/bin/bash: -c: line 1: syntax error near unexpected token `)'", "Error: invalid uuid: 'not-a-uuid'",
                  "jq: error (at <stdin>:1): Cannot index string with \"id\"\nparse error: Invalid numeric literal at "
                  "line 1, column 4",
                  "MCP error -32602: commit_sha must be a full 40-character SHA; short sha given"});
  }

  TEST_CASE("shipped rules: well-formed but wrong values are INCORRECT_PARAMETER") {
    expect_class("INCORRECT_PARAMETER",
                 {"File does not exist.", "String to replace not found in file.\nString: foo()",
                  "ls: cannot access 'nope': No such file or directory", "error: unknown option `--frobnicate'",
                  "git: 'comit' is not a git command. See 'git --help'.",
                  "error: pathspec 'nope.txt' did not match any file(s) known to git",
                  "Found 3 matches of the string to replace, but replace_all is false.",
                  "EISDIR: illegal operation on a directory, read",
                  "usage: tool [-h] --name NAME\ntool: error: unrecognized arguments: --nmae x"});
  }

  TEST_CASE("shipped rules: a step before the step it depends on is WORKFLOW_SEQUENCE") {
    expect_class("WORKFLOW_SEQUENCE",
                 {"File has not been read yet. Read it first before writing to it.",
                  "File has been modified since read, either by the user or by a linter. Read it again before "
                  "attempting to write it.",
                  "You must read the file first before editing it."});
  }

  TEST_CASE("shipped rules: something not installed or set up is MISSING_PREREQUISITE") {
    expect_class("MISSING_PREREQUISITE",
                 {"/bin/bash: line 1: just: command not found", "zsh:1: command not found: rg",
                  "sh: 1: cargo-nextest: not found",
                  "Traceback (most recent call last):\n  File \"<string>\", line 1, in <module>\n"
                  "ModuleNotFoundError: No module named 'requests'",
                  "Error: Cannot find module 'typescript'",
                  "'make' is not recognized as an internal or external command,\noperable program or batch file.",
                  "Error: port 8080 is not reserved; reserve it first"});
  }

  // ---- the shipped rules: failures that are not usage mistakes ------------------------------------

  TEST_CASE("shipped rules: network failures") {
    expect_class("network", {"curl: (6) Could not resolve host: example.invalid",
                             "curl: (7) Failed to connect to localhost port 8080 after 0 ms: Connection refused",
                             "npm ERR! code ENOTFOUND\nnpm ERR! network request to https://registry.npmjs.org failed",
                             "ssh: connect to host example.com port 22: No route to host",
                             "fatal: unable to access 'https://github.com/x/y/': Could not resolve host: github.com",
                             "Error: read ECONNRESET"});
  }

  TEST_CASE("shipped rules: authentication failures") {
    expect_class("auth",
                 {"HTTP 401: Unauthorized (https://api.github.com/graphql)",
                  "To get started with GitHub CLI, please run:  gh auth login\nnot logged in",
                  "git@github.com: Permission denied (publickey).\nfatal: Could not read from remote repository.",
                  "Error: Invalid API key provided", "Your session has expired. Please log in again."});
  }

  TEST_CASE("shipped rules: rate limits") {
    expect_class("rate_limit", {"API Error: 429 {\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\"}}",
                                "HTTP 403: API rate limit exceeded for user ID 1.", "Error: Too Many Requests",
                                "API Error: 529 {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\"}}"});
  }

  TEST_CASE("shipped rules: timeouts") {
    expect_class("timeout", {"Command timed out after 2m 0.0s", "Error: context deadline exceeded",
                             "connect ETIMEDOUT 10.0.0.1:443", "Request timeout after 30000ms"});
  }

  TEST_CASE("shipped rules: interrupted, rejected, cancelled and hook-denied calls") {
    expect_class("interrupted", {"[Request interrupted by user for tool use]", "Interrupted by user"});
    expect_class("rejected",
                 {"The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a "
                  "file edit, the new_string was NOT written to the file). STOP what you are doing and wait for the "
                  "user to tell you how to proceed.",
                  "Permission to use Bash has been denied by the user."});
    expect_class("cancelled", {"Cancelled: parallel tool call Bash(git status) errored", "Sibling tool call errored"});
    expect_class("hook_denied", {"PreToolUse:Bash hook error: [/home/u/.claude/hooks/guard.sh]: No rm -rf",
                                 "Operation blocked by hook:\n- rm -rf is not allowed"});
  }

  TEST_CASE("shipped rules: exhausted resources") {
    expect_class("resource", {"cp: error writing 'big.iso': No space left on device",
                              "fatal: Out of memory, malloc failed (tried to allocate 1048576 bytes)",
                              "bash: fork: Cannot allocate memory", "Error: EMFILE: too many open files, watch"});
  }

  TEST_CASE("shipped rules: a failure no rule recognises is unclassified, not a usage mistake") {
    for (const std::string m : {"", "   ", "src/app.py\nsrc/lib.py", "3 files changed",
                                "FAILED tests/test_x.py::test_y - AssertionError: assert 1 == 2"}) {
      CAPTURE(m);
      const pat::FailureClass c = shipped().classify(m);
      CHECK(c.name == "unclassified");
      CHECK_FALSE(c.usage_mistake());
      CHECK_FALSE(c.category.has_value());
    }
    CHECK(pat::FailureClass{}.name == "unclassified");
  }

  TEST_CASE("shipped rules: a failure that is not a usage mistake wins over a usage wording in the same text") {
    // "Exit code 1 ... connection refused": the network is down, the command is not wrong.
    CHECK(class_of("npm ERR! could not find module\ncurl: (7) Failed to connect to host: Connection refused") ==
          "network");
    CHECK(class_of("Command timed out after 2m 0.0s\nls: cannot access 'x': No such file or directory") == "timeout");
  }

  TEST_CASE("shipped rules: a keyword inside a name, or a bare number, does not make a failure non-usage") {
    // Branch names, file names and identifiers carry words like "timeout" or "rate_limit"; line
    // numbers and build steps carry 401 and 429. None of them is a timeout, a rate limit or auth.
    CHECK(class_of("fatal: a branch named 'fix-1234-login-timeout' already exists") == "unclassified");
    CHECK(class_of("ls: cannot access 'src/timeout.rs': No such file or directory") == "INCORRECT_PARAMETER");
    CHECK(class_of("ls: cannot access 'timeout.rs': No such file or directory") == "INCORRECT_PARAMETER");
    CHECK(class_of("python3: can't open file 'rate_limit.py': [Errno 2] No such file or directory") ==
          "INCORRECT_PARAMETER");
    CHECK(class_of("error: pathspec 'lib/throttle.js' did not match any file(s) known to git") ==
          "INCORRECT_PARAMETER");
    CHECK(class_of("  File \"/app/server.py\", line 429\n    def f(:\nSyntaxError: invalid syntax") ==
          "PARAMETER_FORMAT");
    CHECK(class_of("src/main.c:401:10: fatal error: missing.h: No such file or directory") == "INCORRECT_PARAMETER");
    CHECK(class_of("[401/1200] Building CXX object src/CMakeFiles/app.dir/a.cpp.o\nninja: build stopped") ==
          "unclassified");
    CHECK(class_of("=== 3 failed, 429 passed in 12.31s ===") == "unclassified");
    // The same words and numbers as what they are still count.
    CHECK(class_of("Error: 429 Too Many Requests, retry after 30s") == "rate_limit");
    CHECK(class_of("Request failed with status code 429") == "rate_limit");
    CHECK(class_of("gh: HTTP 429: rate limited") == "rate_limit");
    CHECK(class_of("An error occurred (ThrottlingException) when calling the DescribeInstances operation "
                   "(reached max retries: 4): Rate exceeded") == "rate_limit");
    CHECK(class_of("Request was throttled. Expected available in 12 seconds.") == "rate_limit");
    CHECK(class_of("The requested URL returned error: 401") == "auth");
    CHECK(class_of("Error: Timeout of 2000ms exceeded.") == "timeout");
    CHECK(class_of("ssh: connect to host 10.0.0.9 port 22: Operation timed out") == "timeout");
  }

  TEST_CASE("shipped rules: the labelled messages of tests/data/error_messages.tsv") {
    // Groups whose class is clear from the message; every message of each gets that class.
    const std::map<std::string, std::string> expected = {
        {"api_overloaded", "rate_limit"},
        {"api_rate_limited", "rate_limit"},
        {"http_rate_limit", "rate_limit"},
        {"bash_timeout", "timeout"},
        {"vitest_timeout", "timeout"},
        {"git_auth_failed", "auth"},
        {"psql_auth_failed", "auth"},
        {"ssh_publickey", "auth"},
        {"curl_connect_refused", "network"},
        {"curl_resolve", "network"},
        {"go_dns_no_host", "network"},
        {"node_econnrefused", "network"},
        {"psql_conn_refused", "network"},
        {"ssh_connect_refused", "network"},
        {"ssh_resolve", "network"},
        {"log_conn_reset", "network"},
        {"cp_no_space", "resource"},
        {"docker_no_space", "resource"},
        {"python_enospc", "resource"},
        {"syslog_oom", "resource"},
        {"bash_command_not_found", "MISSING_PREREQUISITE"},
        {"zsh_command_not_found", "MISSING_PREREQUISITE"},
        {"win_not_recognized", "MISSING_PREREQUISITE"},
        {"node_cannot_find_module", "MISSING_PREREQUISITE"},
        {"python_module_not_found", "MISSING_PREREQUISITE"},
        {"claude_file_not_read", "WORKFLOW_SEQUENCE"},
        {"bash_syntax_eof", "PARAMETER_FORMAT"},
        {"bash_syntax_token", "PARAMETER_FORMAT"},
        {"git_unknown_revision", "PARAMETER_FORMAT"},
        {"claude_file_not_exist", "INCORRECT_PARAMETER"},
        {"claude_string_not_found", "INCORRECT_PARAMETER"},
        {"claude_multiple_matches", "INCORRECT_PARAMETER"},
        {"claude_eisdir", "INCORRECT_PARAMETER"},
        {"ls_no_such", "INCORRECT_PARAMETER"},
        {"bash_cd_no_such", "INCORRECT_PARAMETER"},
        {"git_pathspec", "INCORRECT_PARAMETER"},
        {"grep_no_such", "INCORRECT_PARAMETER"},
        {"node_enoent", "INCORRECT_PARAMETER"},
        {"python_file_not_found", "INCORRECT_PARAMETER"},
    };
    // Mistakes in the work itself (or in what it is called with): never a failure of the
    // environment, whatever names and numbers their messages carry.
    const std::set<std::string> never_other = {
        "git_branch_exists", "gcc_undeclared",     "go_undefined",      "pytest_assert_eq",   "go_test_fail",
        "make_no_rule",      "make_recipe_failed", "python_key_error",  "rust_e0425",         "tsc_2304",
        "jq_cannot_index",   "git_bad_object",     "eslint_unused_var", "js_reference_error", "npm_missing_script"};
    std::ifstream in(std::string(PAT_TEST_DATA) + "/error_messages.tsv", std::ios::binary);
    REQUIRE(in);
    std::map<std::string, int> seen;
    for (std::string line; std::getline(in, line);) {
      const auto tab = line.find('\t');
      if (tab == std::string::npos) continue;
      const std::string group = line.substr(0, tab), message = line.substr(tab + 1);
      const std::string got = class_of(message);
      CAPTURE(group);
      CAPTURE(message);
      if (const auto it = expected.find(group); it != expected.end()) {
        ++seen[group];
        CHECK(got == it->second);
      }
      if (never_other.count(group)) {
        ++seen[group];
        const bool other = got != "unclassified" && !pat::parse_category(got).has_value();
        CHECK_FALSE(other);
      }
    }
    // Every listed group is in the data (a renamed group must not silently drop out of the test).
    for (const auto& [group, cls] : expected) CHECK_MESSAGE(seen[group] > 0, group);
    for (const auto& group : never_other) CHECK_MESSAGE(seen[group] > 0, group);
  }

  TEST_CASE("shipped rules: every class the rules file names is known, and every class has a rule") {
    CHECK(pat::FailureClassifier::other_classes() == std::vector<std::string>{"network", "auth", "rate_limit",
                                                                              "timeout", "interrupted", "rejected",
                                                                              "cancelled", "hook_denied", "resource"});
    std::ifstream in(shipped_datadir() + "/failure-classes.rules", std::ios::binary);
    REQUIRE(in);
    std::set<std::string> named;
    for (std::string line; std::getline(in, line);) {
      const auto first = line.find_first_not_of(" \t");
      if (first == std::string::npos || line[first] == '#') continue;
      named.insert(line.substr(first, line.find_first_of(" \t", first) - first));
    }
    std::set<std::string> all(pat::FailureClassifier::other_classes().begin(),
                              pat::FailureClassifier::other_classes().end());
    for (const char* c : {"PARAMETER_FORMAT", "INCORRECT_PARAMETER", "WORKFLOW_SEQUENCE", "MISSING_PREREQUISITE"})
      all.insert(c);
    CHECK(named == all);
  }

  TEST_CASE("classify: huge inputs are classified by their start and end, quickly") {
    std::string filler;
    for (int i = 0; i < 200000; ++i) filler += "building target " + std::to_string(i) + " ok\n";
    REQUIRE(filler.size() > 1000000);
    CHECK(class_of(filler) == "unclassified");
    CHECK(class_of(filler + "/bin/bash: line 1: just: command not found") == "MISSING_PREREQUISITE");
    CHECK(class_of("curl: (6) Could not resolve host: x\n" + filler) == "network");
    // A long line with no newline and nothing to match, then a match at the very end.
    const std::string one_line(4 * 1024 * 1024, 'a');
    CHECK(class_of(one_line) == "unclassified");
    CHECK(class_of(one_line + " Permission denied") == "INCORRECT_PARAMETER");
    // Binary noise and NUL bytes do not stop the search.
    std::string binary(100000, '\0');
    binary += "\xff\xfe No space left on device";
    CHECK(class_of(binary) == "resource");
  }

  // ---- user rules ---------------------------------------------------------------------------------

  TEST_CASE("load_default: the user's rules are read first, so they override the shipped ones") {
    pat_test::TempDir dir;
    std::filesystem::create_directories(dir / "pattools");
    pat_test::write_file(dir / "pattools/failure-classes.rules",
                         "# mine\n"
                         "\n"
                         "network      (?i)could not resolve host\n"
                         "WORKFLOW_SEQUENCE  (?i)lockfile is stale\n"
                         "PARAMETER_FORMAT   (?i)no such file\n");
    pat_test::ScopedEnv cfg("XDG_CONFIG_HOME", dir.path().string());
    pat_test::ScopedEnv data("PAT_DATADIR", shipped_datadir());
    const auto c = pat::FailureClassifier::load_default({});
    // A new rule.
    CHECK(c.classify("error: lockfile is stale, run install").name == "WORKFLOW_SEQUENCE");
    // Overrides the shipped INCORRECT_PARAMETER.
    CHECK(c.classify("ls: cannot access 'x': No such file or directory").name == "PARAMETER_FORMAT");
    CHECK(shipped().classify("ls: cannot access 'x': No such file or directory").name == "INCORRECT_PARAMETER");
    // Shipped rules still apply to the rest.
    CHECK(c.classify("curl: (6) Could not resolve host: x").name == "network");
    CHECK(c.classify("/bin/bash: line 1: just: command not found").name == "MISSING_PREREQUISITE");
    CHECK(c.classify("Command timed out after 2m 0.0s").name == "timeout");
  }

  TEST_CASE("load_default: an extra rules file overrides the shipped rules; the user's rules come first") {
    pat_test::TempDir dir;
    std::filesystem::create_directories(dir / "pattools");
    pat_test::write_file(dir / "pattools/failure-classes.rules", "auth  (?i)flaky widget\n");
    pat_test::write_file(dir / "extra.rules", "resource  (?i)flaky widget|gremlins\nresource (?i)command not found\n");
    pat_test::ScopedEnv cfg("XDG_CONFIG_HOME", dir.path().string());
    pat_test::ScopedEnv data("PAT_DATADIR", shipped_datadir());
    const auto c = pat::FailureClassifier::load_default({(dir / "extra.rules").string()});
    CHECK(c.classify("flaky widget").name == "auth");
    CHECK(c.classify("gremlins in the pipes").name == "resource");
    CHECK(c.classify("bash: just: command not found").name == "resource");
    CHECK_FALSE(c.classify("bash: just: command not found").usage_mistake());
  }

  TEST_CASE("load_default: without a user rules file the shipped rules alone apply") {
    pat_test::TempDir dir;
    pat_test::ScopedEnv cfg("XDG_CONFIG_HOME", dir.path().string());
    pat_test::ScopedEnv data("PAT_DATADIR", shipped_datadir());
    const auto c = pat::FailureClassifier::load_default({});
    CHECK(c.classify("curl: (6) Could not resolve host: x").name == "network");
    CHECK(c.classify("something odd").name == "unclassified");
  }

  TEST_CASE("load_default: a missing extra rules file is a config error") {
    pat_test::TempDir dir;
    pat_test::ScopedEnv cfg("XDG_CONFIG_HOME", dir.path().string());
    pat_test::ScopedEnv data("PAT_DATADIR", shipped_datadir());
    const auto err =
        pat_test::error_of([&] { pat::FailureClassifier::load_default({(dir / "missing.rules").string()}); });
    CHECK(err.code == pat::Exit::config);
    CHECK(err.message.find("missing.rules") != std::string::npos);
  }

  // ---- bad rules ------------------------------------------------------------------------------------

  TEST_CASE("load_default: a bad line in the user's rules is a config error naming FILE:LINE") {
    pat_test::TempDir dir;
    std::filesystem::create_directories(dir / "pattools");
    const auto file = dir / "pattools/failure-classes.rules";
    pat_test::ScopedEnv cfg("XDG_CONFIG_HOME", dir.path().string());
    pat_test::ScopedEnv data("PAT_DATADIR", shipped_datadir());

    pat_test::write_file(file, "# comment\nnetwork (?i)fine\nnetwork\n");
    auto err = pat_test::error_of([] { pat::FailureClassifier::load_default({}); });
    CHECK(err.code == pat::Exit::config);
    CHECK(err.message.find(file.string() + ":3:") != std::string::npos);

    pat_test::write_file(file, "network (?i)fine\n\nweather (?i)rain\n");
    err = pat_test::error_of([] { pat::FailureClassifier::load_default({}); });
    CHECK(err.code == pat::Exit::config);
    CHECK(err.message.find(file.string() + ":3:") != std::string::npos);
    CHECK(err.message.find("weather") != std::string::npos);

    pat_test::write_file(file, "timeout (unclosed\n");
    err = pat_test::error_of([] { pat::FailureClassifier::load_default({}); });
    CHECK(err.code == pat::Exit::config);
    CHECK(err.message.find(file.string() + ":1:") != std::string::npos);
  }

  TEST_CASE("add_rules: malformed lines and unknown classes are config errors naming ORIGIN:LINE") {
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"network", "mine:1:"},                              // no expression
        {"network   \t  ", "mine:1:"},                       // only blanks after the class
        {"# ok\nunclassified .*", "mine:2:"},                // not a class a rule can give
        {"Network (?i)x", "mine:1:"},                        // class names are exact
        {"parameter_format x", "mine:1:"},                   // categories are upper case
        {"network ok\n  \n\ttimeout (a|b\n", "mine:3:"},     // bad RE2
        {"rate_limit (?<name>x)y(?P<name>z)\n", "mine:1:"},  // duplicate group name
    };
    for (const auto& [text, where] : bad) {
      CAPTURE(text);
      pat::FailureClassifier c;
      const auto err = pat_test::error_of([&] { c.add_rules(text, "mine"); });
      CHECK(err.code == pat::Exit::config);
      CHECK(err.message.find(where) != std::string::npos);
    }
  }

  TEST_CASE("add_rules: comments, blank lines, indentation and CRLF line ends are accepted") {
    pat::FailureClassifier c;
    c.add_rules(
        "# a comment\r\n\r\n   # indented comment\r\n  timeout   (?i)took forever  \r\n"
        "\tMISSING_PREREQUISITE\t(?i)needs the widget\r\n",
        "mine");
    CHECK(c.classify("it took forever").name == "timeout");
    const auto m = c.classify("this needs the widget");
    CHECK(m.name == "MISSING_PREREQUISITE");
    REQUIRE(m.category.has_value());
    CHECK(*m.category == pat::Category::missing_prerequisite);
    CHECK(c.classify("nothing").name == "unclassified");
  }

  TEST_CASE("add_rules: the first rule that matches wins, in the order added") {
    pat::FailureClassifier c;
    c.add_rules("auth boom\nnetwork boom\n", "a");
    c.add_rules("resource boom|bang\n", "b");
    CHECK(c.classify("boom").name == "auth");
    CHECK(c.classify("bang").name == "resource");
    pat::FailureClassifier empty;
    CHECK(empty.classify("boom").name == "unclassified");
  }

  TEST_CASE("FailureClassifier: moves keep the rules") {
    pat::FailureClassifier c;
    c.add_rules("auth boom\n", "a");
    pat::FailureClassifier moved(std::move(c));
    CHECK(moved.classify("boom").name == "auth");
    pat::FailureClassifier assigned;
    assigned = std::move(moved);
    CHECK(assigned.classify("boom").name == "auth");
  }

}  // TEST_SUITE
