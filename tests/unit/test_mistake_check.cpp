#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "detect/check_learner.hpp"
#include "mistake/call_check.hpp"
#include "mistake/describe.hpp"
#include "mistake/mistake_merge.hpp"
#include "mistake/shape.hpp"

using pat::json;

namespace {

// Owns the inputs; hands out the pointer vectors learn_check takes.
struct Calls {
  std::vector<json> inputs;
  Calls(std::initializer_list<json> list) : inputs(list) {}
  std::vector<const json*> ptrs() const {
    std::vector<const json*> out;
    for (const json& j : inputs) out.push_back(&j);
    return out;
  }
};

json bash(const std::string& command) { return {{"command", command}, {"description", "run " + command}}; }

std::string hex_of(std::size_t n, unsigned seed) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += kDigits[(seed * 7 + i * 13 + (i * i) % 5) % 16];
  return s;
}

// Learns, and checks what every learned check must satisfy.
std::optional<json> learn(const Calls& failing, const Calls& successful, std::string_view error = "",
                          std::string_view tool = "Bash") {
  auto m = pat::learn_check(tool, failing.ptrs(), successful.ptrs(), error);
  if (m) {
    for (const json& f : failing.inputs) CHECK_MESSAGE(pat::check_matches(*m, f), f.dump());
    for (const json& s : successful.inputs) CHECK_MESSAGE(!pat::check_matches(*m, s), s.dump());
    const json sep = {{"failing", failing.inputs.size()},
                      {"failing_matched", failing.inputs.size()},
                      {"successful", successful.inputs.size()},
                      {"successful_matched", 0}};
    CHECK((*m)["separation"] == sep);
  }
  return m;
}

json check_of(const std::optional<json>& m) { return m ? m->value("check", json()) : json(); }

json mistake(const std::string& param, json check) { return {{"param", param}, {"check", std::move(check)}}; }

}  // namespace

TEST_SUITE("mistake_check") {
  // ---- value_shape ---------------------------------------------------------------------------------

  TEST_CASE("value_shape: the most specific class of the whole value") {
    CHECK(pat::value_shape("a1b2c3d") == "hex");
    CHECK(pat::value_shape("A1B2C3D") == "hex");
    CHECK(pat::value_shape("1234567") == "digits");
    CHECK(pat::value_shape("cafe") == "alpha");
    CHECK(pat::value_shape("prod") == "alpha");
    CHECK(pat::value_shape("test1x") == "alnum");
    CHECK(pat::value_shape("my-project_v1.2:x") == "word");
    CHECK(pat::value_shape("123e4567-e89b-12d3-a456-426614174000") == "uuid");
    CHECK(pat::value_shape("https://example.com/x?y=1") == "url");
    CHECK(pat::value_shape("/etc/hosts") == "path");
    CHECK(pat::value_shape("/Users/John Smith/a b.txt") == "path");
    CHECK(pat::value_shape("src/main.cpp") == "path");
    CHECK(pat::value_shape("C:\\Users\\x") == "path");
    CHECK(pat::value_shape("~/x") == "path");
    CHECK(pat::value_shape("hello world") == "text");
    CHECK(pat::value_shape("a/b c") == "text");
    CHECK(pat::value_shape("") == "text");
    CHECK(pat::value_shape("caf\xc3\xa9") == "text");
  }

  TEST_CASE("shape_fits: classes nest") {
    CHECK(pat::shape_fits("1234567", "hex"));
    CHECK(pat::shape_fits("deadbee", "hex"));
    CHECK(pat::shape_fits("1234567", "alnum"));
    CHECK(pat::shape_fits("abc", "word"));
    CHECK(pat::shape_fits("123e4567-e89b-12d3-a456-426614174000", "word"));
    CHECK(pat::shape_fits("anything at all", "text"));
    CHECK_FALSE(pat::shape_fits("a1b2c3g", "hex"));
    CHECK_FALSE(pat::shape_fits("", "digits"));
    CHECK_FALSE(pat::shape_fits("abc", "no-such-class"));
  }

  // ---- check_matches -------------------------------------------------------------------------------

  TEST_CASE("check_matches: missing") {
    const json m = mistake("repo", {{"type", "missing"}});
    CHECK(pat::check_matches(m, json::object()));
    CHECK(pat::check_matches(m, {{"repo", nullptr}}));
    CHECK(pat::check_matches(m, {{"repo", ""}}));
    CHECK_FALSE(pat::check_matches(m, {{"repo", "x"}}));
    CHECK_FALSE(pat::check_matches(m, {{"repo", 0}}));
  }

  TEST_CASE("check_matches: shape with an exact length or a range") {
    const json exact = mistake("sha", {{"type", "shape"}, {"shape", "hex"}, {"length", 7}});
    CHECK(pat::check_matches(exact, {{"sha", "a1b2c3d"}}));
    CHECK(pat::check_matches(exact, {{"sha", "1234567"}}));
    CHECK_FALSE(pat::check_matches(exact, {{"sha", hex_of(40, 1)}}));
    CHECK_FALSE(pat::check_matches(exact, {{"sha", "a1b2c3g"}}));
    CHECK_FALSE(pat::check_matches(exact, {{"other", "a1b2c3d"}}));
    const json range = mistake("sha", {{"type", "shape"}, {"shape", "hex"}, {"min_length", 7}, {"max_length", 12}});
    CHECK(pat::check_matches(range, {{"sha", "a1b2c3d4e"}}));
    CHECK_FALSE(pat::check_matches(range, {{"sha", "a1b2c3"}}));
    CHECK_FALSE(pat::check_matches(range, {{"sha", "a1b2c3d4e5f6a"}}));
    const json number = mistake("limit", {{"type", "shape"}, {"shape", "digits"}, {"length", 5}});
    CHECK(pat::check_matches(number, {{"limit", 10000}}));
    CHECK(pat::check_matches(number, {{"limit", "10000"}}));
    CHECK_FALSE(pat::check_matches(number, {{"limit", 100}}));
    const json any_length = mistake("id", {{"type", "shape"}, {"shape", "uuid"}});
    CHECK(pat::check_matches(any_length, {{"id", "123e4567-e89b-12d3-a456-426614174000"}}));
  }

  TEST_CASE("check_matches: value, path") {
    const json value = mistake("namespace", {{"type", "value"}, {"values", {"prod", "staging", 3}}});
    CHECK(pat::check_matches(value, {{"namespace", "prod"}}));
    CHECK(pat::check_matches(value, {{"namespace", 3}}));
    CHECK(pat::check_matches(value, {{"namespace", "3"}}));
    CHECK_FALSE(pat::check_matches(value, {{"namespace", "dev"}}));
    CHECK_FALSE(pat::check_matches(value, {{"namespace", json::array({"prod"})}}));
    const json path = mistake("file_path", {{"type", "path"}, {"prefix", "/etc/"}});
    CHECK(pat::check_matches(path, {{"file_path", "/etc/hosts"}}));
    CHECK_FALSE(pat::check_matches(path, {{"file_path", "/home/etc/hosts"}}));
    CHECK_FALSE(pat::check_matches(path, {{"file_path", 5}}));
  }

  TEST_CASE("check_matches: program, subcommand and flag look at every simple command by base name") {
    const json program = mistake("command", {{"type", "program"}, {"program", "just"}});
    CHECK(pat::check_matches(program, bash("just build")));
    CHECK(pat::check_matches(program, bash("cd /x && /usr/bin/just build")));
    CHECK(pat::check_matches(program, bash("sudo -u me just")));
    CHECK_FALSE(pat::check_matches(program, bash("echo just")));
    CHECK_FALSE(pat::check_matches(program, {{"command", 5}}));
    const json sub = mistake("command", {{"type", "subcommand"}, {"program", "git"}, {"subcommand", "pushh"}});
    CHECK(pat::check_matches(sub, bash("git add . && git pushh origin")));
    CHECK_FALSE(pat::check_matches(sub, bash("git push origin")));
    const json flag = mistake("command", {{"type", "flag"}, {"program", "npm"}, {"flag", "--foo"}});
    CHECK(pat::check_matches(flag, bash("npm install --foo=bar")));
    CHECK_FALSE(pat::check_matches(flag, bash("npm install --foobar")));
    CHECK_FALSE(pat::check_matches(flag, bash("yarn --foo")));
  }

  TEST_CASE("check_matches: malformed mistakes and inputs never match and never throw") {
    const json input = {{"command", "just build"}, {"sha", "a1b2c3d"}, {"file_path", "/etc/x"}};
    const std::vector<json> bad = {
        nullptr,
        5,
        "text",
        json::array(),
        json::object(),
        {{"param", 5}},
        {{"param", "sha"}},
        mistake("sha", nullptr),
        mistake("sha", json::object()),
        mistake("sha", {{"type", 7}}),
        mistake("sha", {{"type", "unknown-type"}}),
        mistake("sha", {{"type", "shape"}}),
        mistake("sha", {{"type", "shape"}, {"shape", "hex"}, {"length", -7}}),
        mistake("sha", {{"type", "shape"}, {"shape", "hex"}, {"length", "7"}}),
        mistake("sha", {{"type", "shape"}, {"shape", "hex"}, {"max_length", 1.5}}),
        mistake("sha", {{"type", "value"}}),
        mistake("sha", {{"type", "value"}, {"values", "a1b2c3d"}}),
        mistake("file_path", {{"type", "path"}}),
        mistake("file_path", {{"type", "path"}, {"prefix", ""}}),
        mistake("command", {{"type", "program"}}),
        mistake("command", {{"type", "program"}, {"program", ""}}),
        mistake("command", {{"type", "subcommand"}, {"program", "just"}}),
        mistake("command", {{"type", "flag"}, {"program", "just"}, {"flag", 3}}),
        {{"requires", {{"tool", "Read"}, {"same", "file_path"}}}},
    };
    for (const json& m : bad) {
      CAPTURE(m.dump());
      CHECK_FALSE(pat::check_matches(m, input));
      CHECK_NOTHROW(pat::describe_mistake(m));
      CHECK_NOTHROW(pat::mistake_similarity(m, m));
      CHECK_NOTHROW(pat::generalise_mistake(m, bad[5]));
    }
    const json missing = mistake("sha", {{"type", "missing"}});
    CHECK_FALSE(pat::check_matches(missing, nullptr));
    CHECK_FALSE(pat::check_matches(missing, json::array()));
  }

  // ---- requirement_missing -------------------------------------------------------------------------

  TEST_CASE("requirement_missing: asks whether the required tool ran with the same value") {
    const json m = {{"requires", {{"tool", "Read"}, {"same", "file_path"}}}};
    std::string asked;
    const auto seen_a = [&](std::string_view tool, std::string_view param, std::string_view value) {
      asked = std::string(tool) + "|" + std::string(param) + "|" + std::string(value);
      return value == "/a";
    };
    CHECK_FALSE(pat::requirement_missing(m, {{"file_path", "/a"}}, seen_a));
    CHECK(asked == "Read|file_path|/a");
    CHECK(pat::requirement_missing(m, {{"file_path", "/b"}}, seen_a));
    CHECK_FALSE(pat::requirement_missing(m, json::object(), seen_a));  // nothing to compare: fail open

    const json any = {{"requires", {{"tool", "TodoWrite"}}}};
    CHECK(
        pat::requirement_missing(any, json::object(), [&](std::string_view t, std::string_view p, std::string_view v) {
          asked = std::string(t) + "|" + std::string(p) + "|" + std::string(v);
          return false;
        }));
    CHECK(asked == "TodoWrite||");
  }

  TEST_CASE("requirement_missing: malformed mistakes and a throwing callback fail open") {
    const auto never = [](std::string_view, std::string_view, std::string_view) { return false; };
    CHECK_FALSE(pat::requirement_missing(mistake("x", {{"type", "missing"}}), json::object(), never));
    CHECK_FALSE(pat::requirement_missing({{"requires", 5}}, json::object(), never));
    CHECK_FALSE(pat::requirement_missing({{"requires", {{"tool", 5}}}}, json::object(), never));
    CHECK_FALSE(pat::requirement_missing({{"requires", {{"tool", "Read"}}}}, json::object(), nullptr));
    const auto throws = [](std::string_view, std::string_view, std::string_view) -> bool { throw 1; };
    CHECK_FALSE(pat::requirement_missing({{"requires", {{"tool", "Read"}}}}, json::object(), throws));
  }

  // ---- learn_check ---------------------------------------------------------------------------------

  TEST_CASE("learn_check: a short SHA where successful calls pass 40 hex digits") {
    const Calls failing{{{"sha", "a1b2c3d"}, {"repo", "x"}}, {{"sha", "9f8e7d6"}, {"repo", "x"}}};
    const Calls successful{{{"sha", hex_of(40, 1)}, {"repo", "x"}},
                           {{"sha", hex_of(40, 2)}, {"repo", "y"}},
                           {{"sha", hex_of(40, 3)}, {"repo", "x"}}};
    const auto m = learn(failing, successful, "No commit found for SHA: a1b2c3d", "get_commit");
    REQUIRE(m);
    CHECK((*m)["param"] == "sha");
    CHECK(check_of(m) == json{{"type", "shape"}, {"shape", "hex"}, {"length", 7}});
    CHECK(pat::describe_mistake(*m) == "`sha` is 7 hex characters");
  }

  TEST_CASE("learn_check: short SHAs of several lengths, one of them all digits, give a range") {
    const Calls failing{{{"sha", "a1b2c3d"}}, {{"sha", "1234567890"}}, {{"sha", "abc12345"}}};
    const Calls successful{{{"sha", hex_of(40, 1)}}, {{"sha", hex_of(40, 2)}}};
    const auto m = learn(failing, successful);
    REQUIRE(m);
    CHECK(check_of(m) == json{{"type", "shape"}, {"shape", "hex"}, {"min_length", 7}, {"max_length", 10}});
    CHECK(pat::describe_mistake(*m) == "`sha` is 7 to 10 hex characters");
  }

  TEST_CASE("learn_check: no shape range when a successful value falls inside it") {
    const Calls failing{{{"sha", "a1b2c3d"}}, {{"sha", "a1b2c3d4e5f6"}}};
    const Calls successful{{{"sha", "abcdef123"}}, {{"sha", hex_of(40, 2)}}};
    const auto m = learn(failing, successful);
    REQUIRE(m);
    CHECK(check_of(m)["type"] == "value");
    CHECK(check_of(m)["values"] == json{"a1b2c3d", "a1b2c3d4e5f6"});
  }

  TEST_CASE("learn_check: a program that is not installed") {
    const Calls failing{bash("just build"), bash("cd /repo && just test --verbose")};
    const Calls successful{bash("cd /repo && make build"), bash("ls -la"), bash("git status")};
    for (const std::string error :
         {"bash: just: command not found", "/bin/bash: line 1: just: command not found", "zsh: command not found: just",
          "sh: 1: just: not found", "'just' is not recognized as an internal or external command",
          "Command 'just' not found, but can be installed with: snap install just"}) {
      CAPTURE(error);
      const auto m = learn(failing, successful, error);
      REQUIRE(m);
      CHECK(check_of(m) == json{{"type", "program"}, {"program", "just"}});
    }
    // No successful call to contrast with: the error text alone is the evidence.
    const auto alone = learn(failing, Calls{}, "bash: just: command not found");
    REQUIRE(alone);
    CHECK(check_of(alone) == json{{"type", "program"}, {"program", "just"}});
    CHECK(pat::describe_mistake(*alone) == "the program `just` is run");
  }

  TEST_CASE("learn_check: a script that does not exist, by the error's path") {
    const Calls failing{bash("./scripts/deploy.sh prod")};
    const Calls successful{bash("./scripts/build.sh")};
    const auto m = learn(failing, successful, "bash: ./scripts/deploy.sh: No such file or directory");
    REQUIRE(m);
    CHECK(check_of(m) == json{{"type", "program"}, {"program", "deploy.sh"}});
  }

  TEST_CASE("learn_check: a program that never succeeds, the one the error names first") {
    const Calls failing{bash("cd /x && foo run | bar"), bash("foo run --all | bar")};
    const Calls successful{bash("cd /y && ls")};
    const auto m = learn(failing, successful, "bar: input is malformed");
    REQUIRE(m);
    CHECK(check_of(m) == json{{"type", "program"}, {"program", "bar"}});
    const auto first = learn(failing, successful, "something else");
    REQUIRE(first);
    CHECK(check_of(first) == json{{"type", "program"}, {"program", "foo"}});
  }

  TEST_CASE("learn_check: a wrong subcommand of a program that otherwise succeeds") {
    const Calls failing{bash("git pushh origin main"), bash("git add . && git pushh")};
    const Calls successful{bash("git push origin main"), bash("git status"), bash("git add -A")};
    const auto m = learn(failing, successful, "git: 'pushh' is not a git command. See 'git --help'.");
    REQUIRE(m);
    CHECK(check_of(m) == json{{"type", "subcommand"}, {"program", "git"}, {"subcommand", "pushh"}});
    CHECK(pat::describe_mistake(*m) == "`git` subcommand `pushh`");
  }

  TEST_CASE("learn_check: an unknown flag, the one the error names") {
    const Calls failing{bash("npm install --foo --save-dev x"), bash("npm install --save-dev --foo y")};
    const Calls successful{bash("npm install x"), bash("npm test")};
    const auto m = learn(failing, successful, "npm error: unknown option '--foo'");
    REQUIRE(m);
    CHECK(check_of(m) == json{{"type", "flag"}, {"program", "npm"}, {"flag", "--foo"}});
    CHECK(pat::describe_mistake(*m) == "the flag `--foo` of `npm`");

    const Calls grep_failing{bash("grep -P x f")};
    const Calls grep_ok{bash("grep -E x f")};
    const auto getopt = learn(grep_failing, grep_ok, "grep: invalid option -- 'P'");
    REQUIRE(getopt);
    CHECK(check_of(getopt) == json{{"type", "flag"}, {"program", "grep"}, {"flag", "-P"}});
    const auto clap = learn(Calls{bash("rg --foo x")}, Calls{}, "error: unexpected argument '--foo' found");
    REQUIRE(clap);
    CHECK(check_of(clap) == json{{"type", "flag"}, {"program", "rg"}, {"flag", "--foo"}});
  }

  TEST_CASE("learn_check: a parameter every successful call gives") {
    const Calls failing{{{"title", "a"}}, {{"title", "b"}, {"repo", ""}}};
    const Calls successful{{{"title", "c"}, {"repo", "x"}}, {{"title", "d"}, {"repo", "y"}}};
    const auto m = learn(failing, successful, "", "create_issue");
    REQUIRE(m);
    CHECK(*m ==
          json{{"param", "repo"},
               {"check", {{"type", "missing"}}},
               {"separation", {{"failing", 2}, {"failing_matched", 2}, {"successful", 2}, {"successful_matched", 0}}}});
    CHECK(pat::describe_mistake(*m) == "`repo` is missing");
  }

  TEST_CASE("learn_check: a path prefix the successful calls never use") {
    const Calls failing{{{"file_path", "/etc/nginx/nginx.conf"}}, {{"file_path", "/etc/hosts"}}};
    const Calls successful{{{"file_path", "/home/u/a.txt"}}, {{"file_path", "/home/u/etc/b.txt"}}};
    const auto m = learn(failing, successful, "", "Read");
    REQUIRE(m);
    CHECK(check_of(m) == json{{"type", "path"}, {"prefix", "/etc/"}});
    CHECK(pat::describe_mistake(*m) == "`file_path` starts with `/etc/`");
  }

  TEST_CASE("learn_check: no prefix of just /, specific values instead") {
    const Calls failing{{{"file_path", "/etc/hosts"}}, {{"file_path", "/var/log/x"}}};
    const Calls successful{{{"file_path", "/home/u/a.txt"}}};
    const auto m = learn(failing, successful, "", "Read");
    REQUIRE(m);
    CHECK(check_of(m) == json{{"type", "value"}, {"values", {"/etc/hosts", "/var/log/x"}}});
  }

  TEST_CASE("learn_check: a specific value") {
    const Calls failing{{{"namespace", "prod"}, {"limit", 10}}, {{"namespace", "prod"}, {"limit", 20}}};
    const Calls successful{{{"namespace", "dev"}, {"limit", 10}}, {{"namespace", "test"}, {"limit", 20}}};
    const auto m = learn(failing, successful, "", "query");
    REQUIRE(m);
    CHECK(check_of(m) == json{{"type", "value"}, {"values", {"prod"}}});
    CHECK(pat::describe_mistake(*m) == "`namespace` is `prod`");
  }

  TEST_CASE("learn_check: no successful calls: only a value the error names") {
    const Calls failing{{{"namespace", "prod"}, {"limit", 10}}};
    const auto named = learn(failing, Calls{}, "namespace \"prod\" is forbidden", "query");
    REQUIRE(named);
    CHECK((*named)["param"] == "namespace");
    CHECK_FALSE(learn(failing, Calls{}, "internal error", "query"));
  }

  TEST_CASE("learn_check: free-text parameters are never values, shapes or paths") {
    const Calls failing{{{"file_path", "/a/x"}, {"old_string", "foo"}, {"new_string", "bar"}}};
    const Calls successful{{{"file_path", "/a/x"}, {"old_string", "baz"}, {"new_string", "bar"}}};
    CHECK_FALSE(learn(failing, successful, "String to replace not found in file.", "Edit"));
    const std::string long_value(300, 'x');
    CHECK_FALSE(learn(Calls{{{"q", long_value}}}, Calls{{{"q", "short"}}}, "", "search"));
  }

  TEST_CASE("learn_check: the whole command only as the last resort, for one distinct command") {
    const Calls failing{bash("make test"), bash("make test")};
    const Calls successful{bash("make test"), bash("ls")};
    CHECK_FALSE(learn(failing, successful));  // the same command also succeeded
    const Calls once{bash("ls /nonexistent")};
    const auto m = learn(once, Calls{}, "ls: cannot access '/nonexistent': No such file or directory");
    REQUIRE(m);
    CHECK(*m ==
          json{{"param", "command"},
               {"check", {{"type", "value"}, {"values", {"ls /nonexistent"}}}},
               {"separation", {{"failing", 1}, {"failing_matched", 1}, {"successful", 0}, {"successful_matched", 0}}}});
    const Calls two{bash("ls /a"), bash("ls /b")};
    CHECK_FALSE(learn(two, Calls{}, "ls: cannot access"));
  }

  TEST_CASE("learn_check: a parameter only the failing calls give is not a value check") {
    json slow = bash("npm run biuld");
    slow["timeout"] = 600000;
    const Calls failing{slow};
    const Calls successful{bash("npm run build"), bash("npm test")};
    const auto m = learn(failing, successful, "npm error Missing script: \"biuld\"");
    REQUIRE(m);
    CHECK(*m ==
          json{{"param", "command"},
               {"check", {{"type", "value"}, {"values", {"npm run biuld"}}}},
               {"separation", {{"failing", 1}, {"failing_matched", 1}, {"successful", 2}, {"successful_matched", 0}}}});
  }

  TEST_CASE("learn_check: nothing separates") {
    const Calls same{{{"sha", "a1b2c3d"}}};
    CHECK_FALSE(learn(same, same));
    CHECK_FALSE(learn(Calls{}, same));
    CHECK_FALSE(pat::learn_check("x", {nullptr}, {}, ""));
    const Calls failing{bash("git push"), bash("git push --force")};
    const Calls successful{bash("git push"), bash("git push --force")};
    CHECK_FALSE(learn(failing, successful, "rejected"));
  }

  TEST_CASE("learn_check: deterministic, and cheap with thousands of successful calls") {
    std::vector<json> ok;
    for (unsigned i = 0; i < 3000; ++i)
      ok.push_back({{"command", "git show " + hex_of(40, i) + " && npm run build"}, {"sha", hex_of(40, i)}});
    std::vector<const json*> ok_ptrs;
    for (const json& j : ok) ok_ptrs.push_back(&j);
    const json f1 = {{"command", "git shw abc"}, {"sha", "a1b2c3d"}};
    const json f2 = {{"command", "git shw def"}, {"sha", "b1b2c3d"}};
    const auto a = pat::learn_check("Bash", {&f1, &f2}, ok_ptrs, "git: 'shw' is not a git command");
    const auto b = pat::learn_check("Bash", {&f2, &f1}, ok_ptrs, "git: 'shw' is not a git command");
    REQUIRE(a);
    REQUIRE(b);
    CHECK((*a)["check"] == json{{"type", "subcommand"}, {"program", "git"}, {"subcommand", "shw"}});
    CHECK(*a == *b);
  }

  // ---- similarity and generalisation ---------------------------------------------------------------

  TEST_CASE("mistake_similarity: requirements") {
    const json read_same = {{"requires", {{"tool", "Read"}, {"same", "file_path"}}}};
    const json read_any = {{"requires", {{"tool", "Read"}}}};
    const json write = {{"requires", {{"tool", "Write"}}}};
    CHECK(pat::mistake_similarity(read_same, read_same) == doctest::Approx(1.0));
    CHECK(pat::mistake_similarity(read_same, read_any) == doctest::Approx(0.8));
    CHECK(pat::mistake_similarity(read_any, write) <= 0.3);
    CHECK(pat::mistake_similarity(read_any, mistake("x", {{"type", "missing"}})) == doctest::Approx(0.0));
  }

  TEST_CASE("mistake_similarity: param checks") {
    const json v1 = mistake("sha", {{"type", "value"}, {"values", {"a1b2c3d"}}});
    const json v2 = mistake("sha", {{"type", "value"}, {"values", {"a1b2c3d", "9f8e7d6"}}});
    const json s7 = mistake("sha", {{"type", "shape"}, {"shape", "hex"}, {"length", 7}});
    const json s8 = mistake("sha", {{"type", "shape"}, {"shape", "hex"}, {"length", 8}});
    CHECK(pat::mistake_similarity(v1, v1) == doctest::Approx(1.0));
    CHECK(pat::mistake_similarity(v1, v2) == doctest::Approx(0.9));
    CHECK(pat::mistake_similarity(s7, s8) >= 0.8);
    CHECK(pat::mistake_similarity(s7, v1) >= 0.8);  // the value fits the shape
    CHECK(pat::mistake_similarity(s7, mistake("sha", {{"type", "missing"}})) == doctest::Approx(0.5));
    CHECK(pat::mistake_similarity(s7, mistake("ref", {{"type", "shape"}, {"shape", "hex"}, {"length", 7}})) <= 0.3);
    CHECK(pat::mistake_similarity(mistake("a", {{"type", "missing"}}), mistake("a", {{"type", "missing"}})) ==
          doctest::Approx(1.0));
  }

  TEST_CASE("mistake_similarity: command checks of other programs or subcommands stay apart") {
    const json just = mistake("command", {{"type", "program"}, {"program", "just"}});
    const json just_path = mistake("command", {{"type", "program"}, {"program", "/usr/bin/just"}});
    const json bun = mistake("command", {{"type", "program"}, {"program", "bun"}});
    CHECK(pat::mistake_similarity(just, just_path) == doctest::Approx(1.0));
    CHECK(pat::mistake_similarity(just, bun) == doctest::Approx(0.5));
    const json pushh = mistake("command", {{"type", "subcommand"}, {"program", "git"}, {"subcommand", "pushh"}});
    const json comit = mistake("command", {{"type", "subcommand"}, {"program", "git"}, {"subcommand", "comit"}});
    CHECK(pat::mistake_similarity(pushh, pushh) == doctest::Approx(1.0));
    CHECK(pat::mistake_similarity(pushh, comit) <= 0.5);
    CHECK(pat::mistake_similarity(pushh, just) <= 0.5);
  }

  TEST_CASE("generalise_mistake: two short SHAs as values become a shape, separations add up") {
    json a = mistake("sha", {{"type", "value"}, {"values", {"a1b2c3d"}}});
    a["separation"] = {{"failing", 1}, {"failing_matched", 1}, {"successful", 5}, {"successful_matched", 0}};
    json b = mistake("sha", {{"type", "value"}, {"values", {"1234567"}}});
    b["separation"] = {{"failing", 2}, {"failing_matched", 2}, {"successful", 3}, {"successful_matched", 0}};
    const json g = pat::generalise_mistake(a, b);
    CHECK(g["param"] == "sha");
    CHECK(g["check"] == json{{"type", "shape"}, {"shape", "hex"}, {"length", 7}});
    CHECK(g["separation"] ==
          json{{"failing", 3}, {"failing_matched", 3}, {"successful", 8}, {"successful_matched", 0}});
    const json c = mistake("sha", {{"type", "value"}, {"values", {"abcdef12"}}});
    CHECK(pat::generalise_mistake(a, c)["check"] ==
          json{{"type", "shape"}, {"shape", "hex"}, {"min_length", 7}, {"max_length", 8}});
  }

  TEST_CASE("generalise_mistake: names stay values, their union sorted and capped") {
    const json a = mistake("namespace", {{"type", "value"}, {"values", {"prod", "beta"}}});
    const json b = mistake("namespace", {{"type", "value"}, {"values", {"live", "prod"}}});
    CHECK(pat::generalise_mistake(a, b)["check"] == json{{"type", "value"}, {"values", {"beta", "live", "prod"}}});
    json many = json::array();
    for (int i = 0; i < 30; ++i) many.push_back("name-" + std::to_string(100 + i));
    const json big = mistake("namespace", {{"type", "value"}, {"values", many}});
    CHECK(pat::generalise_mistake(a, big)["check"]["values"].size() == 20);
  }

  TEST_CASE("generalise_mistake: shapes, paths, programs and unrelated mistakes") {
    const json s7 = mistake("sha", {{"type", "shape"}, {"shape", "hex"}, {"length", 7}});
    const json s10 = mistake("sha", {{"type", "shape"}, {"shape", "digits"}, {"length", 10}});
    CHECK(pat::generalise_mistake(s7, s10)["check"] ==
          json{{"type", "shape"}, {"shape", "hex"}, {"min_length", 7}, {"max_length", 10}});
    const json v = mistake("sha", {{"type", "value"}, {"values", {"abc123456"}}});
    CHECK(pat::generalise_mistake(s7, v)["check"] ==
          json{{"type", "shape"}, {"shape", "hex"}, {"min_length", 7}, {"max_length", 9}});
    const json p1 = mistake("file_path", {{"type", "path"}, {"prefix", "/etc/nginx/"}});
    const json p2 = mistake("file_path", {{"type", "path"}, {"prefix", "/etc/ssl/"}});
    const json p3 = mistake("file_path", {{"type", "path"}, {"prefix", "/var/"}});
    CHECK(pat::generalise_mistake(p1, p2)["check"] == json{{"type", "path"}, {"prefix", "/etc/"}});
    CHECK(pat::generalise_mistake(p1, p3) == p1);
    const json just = mistake("command", {{"type", "program"}, {"program", "just"}});
    CHECK(pat::generalise_mistake(just, just) == just);
    const json bun = mistake("command", {{"type", "program"}, {"program", "bun"}});
    CHECK(pat::generalise_mistake(just, bun) == just);
    CHECK(pat::generalise_mistake(s7, just) == s7);
  }

  TEST_CASE("describe_mistake: short plain English") {
    CHECK(pat::describe_mistake(mistake("sha", {{"type", "shape"}, {"shape", "hex"}, {"length", 7}})) ==
          "`sha` is 7 hex characters");
    CHECK(pat::describe_mistake(mistake("n", {{"type", "shape"}, {"shape", "digits"}, {"min_length", 5}})) ==
          "`n` is at least 5 digits");
    CHECK(pat::describe_mistake(mistake("namespace", {{"type", "value"}, {"values", {"prod", "live"}}})) ==
          "`namespace` is `live` or `prod`");
    const json req = {{"requires", {{"tool", "Read"}, {"same", "file_path"}}}};
    CHECK(pat::describe_mistake(req) == "no earlier `Read` of the same `file_path` in the session");
    CHECK(pat::describe_mistake(req, "Edit") == "`Edit` before `Read` of the same `file_path`");
    CHECK(pat::describe_mistake({{"requires", {{"tool", "Read"}}}}, "Edit") == "`Edit` before any `Read`");
    CHECK(pat::describe_mistake(json::object()) == "an unrecognised mistake");
  }

}  // TEST_SUITE
