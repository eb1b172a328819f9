#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "detect/check_learner.hpp"
#include "mistake/call_check.hpp"
#include "mistake/check.hpp"
#include "mistake/mistake_merge.hpp"

using pat::Check;
using pat::json;
using pat::LearningCall;
using pat::PathState;

namespace {

constexpr PathState kMissing{false, false, 0};
constexpr PathState kDirectory{true, true, 0};
PathState file_of(std::uint64_t size) { return PathState{true, false, size}; }

LearningCall call(json input, std::map<std::string, PathState> paths = {}, std::vector<std::string> features = {}) {
  LearningCall c;
  c.input = std::move(input);
  std::sort(features.begin(), features.end());
  c.features = std::move(features);
  c.paths = std::move(paths);
  return c;
}

LearningCall bash(const std::string& command, std::vector<std::string> features = {}) {
  return call({{"command", command}}, {}, std::move(features));
}

// The evidence of one group of failures: the calls, the errors, what the recoveries ran, what the
// tool ever ran successfully.
struct Evidence {
  std::string tool = "mcp__demo__tool";
  std::vector<LearningCall> failing, successful;
  std::vector<std::string> errors;
  std::set<std::string> recovered_by;
  std::optional<pat::ToolHistory> history;

  // One failing call and its error.
  Evidence& fail(LearningCall c, std::string error) {
    failing.push_back(std::move(c));
    errors.push_back(std::move(error));
    return *this;
  }
  Evidence& ok(LearningCall c) {
    successful.push_back(std::move(c));
    return *this;
  }

  std::optional<Check> learn() const {
    std::vector<const LearningCall*> f, s;
    for (const auto& c : failing) f.push_back(&c);
    for (const auto& c : successful) s.push_back(&c);
    pat::LearningInput in;
    in.tool = tool;
    in.failing = &f;
    in.successful = &s;
    in.errors = &errors;
    in.recovered_by = recovered_by;
    in.history = history ? &*history : nullptr;
    return pat::learn_check(in);
  }
};

bool matches(const Check& check, const LearningCall& c) {
  pat::LearningContext ctx(c);
  return pat::matches(check, pat::CallView(c.input, c.cwd), ctx);
}

// The learned check's predicates as JSON; null when nothing was learned. The learned check holds
// for every failing call and for none of the successful ones, whatever it is.
json learned(const Evidence& e) {
  const auto check = e.learn();
  if (!check) return nullptr;
  CAPTURE(pat::to_json(*check).dump());
  for (const auto& c : e.failing) CHECK(matches(*check, c));
  for (const auto& c : e.successful) CHECK_FALSE(matches(*check, c));
  REQUIRE(check->separation.has_value());
  CHECK(check->separation->failing == static_cast<std::int64_t>(e.failing.size()));
  CHECK(check->separation->failing_matched == static_cast<std::int64_t>(e.failing.size()));
  CHECK(check->separation->successful == static_cast<std::int64_t>(e.successful.size()));
  CHECK(check->separation->successful_matched == 0);
  CHECK(check->all.size() <= pat::kMaxPredicates);
  return pat::to_json(*check)["all"];
}

json all_of(const char* text) { return json::parse(text); }

// Whether the learned check matches a call it was not learned from.
bool learned_matches(const Evidence& e, const LearningCall& c) {
  const auto check = e.learn();
  return check && matches(*check, c);
}

std::string full_sha(unsigned seed) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  for (unsigned i = 0; i < 40; ++i) s += kDigits[(seed * 7 + i * 13 + (i * i) % 5) % 16];
  return s;
}

// A tool that looks up commits: full SHAs succeed.
Evidence sha_lookups() {
  Evidence e;
  e.tool = "mcp__git__show_commit";
  for (unsigned i = 0; i < 5; ++i) e.ok(call({{"repo_path", "/work/repo"}, {"sha", full_sha(i)}}));
  return e;
}

constexpr const char* kEditNotRead = "File has not been read yet. Read it first before writing to it.";

}  // namespace

TEST_SUITE("check_learner") {
  TEST_CASE("a parameter the successes give and the failures lack") {
    Evidence e;
    e.tool = "mcp__db__query";
    e.fail(call({{"sql", "select 1"}}), "Error: database is required");
    e.fail(call({{"sql", "select count(*) from users"}}), "Error: database is required");
    e.ok(call({{"sql", "select 2"}, {"database", "main"}}));
    e.ok(call({{"sql", "select * from orders"}, {"database", "analytics"}}));
    CHECK(learned(e) == all_of(R"([{"param":"database","is":"missing"}])"));
  }

  TEST_CASE("a value set: the failing values, when nothing more general separates them") {
    Evidence e;
    e.tool = "mcp__export__run";
    e.fail(call({{"format", "yaml"}}), "unsupported output format");
    e.fail(call({{"format", "toml"}}), "unsupported output format");
    e.ok(call({{"format", "json"}}));
    e.ok(call({{"format", "text"}}));
    e.ok(call({{"format", "csv"}}));
    CHECK(learned(e) == all_of(R"([{"part":{"param":"format"},"in":["toml","yaml"]}])"));
    // A value set reaches no further than the values seen.
    CHECK_FALSE(learned_matches(e, call({{"format", "xml"}})));
  }

  TEST_CASE("a shape: 9 digits where the successes pass 12") {
    Evidence e;
    e.tool = "mcp__billing__get_account";
    e.fail(call({{"account_id", "123456789"}}), "account not found");
    e.fail(call({{"account_id", "987654321"}}), "account not found");
    for (const char* id : {"123456789012", "210987654321", "555555555555"}) e.ok(call({{"account_id", id}}));
    const auto check = e.learn();
    REQUIRE(check.has_value());
    CHECK(learned(e) == all_of(R"([{"part":{"param":"account_id"},"shape":"digits{9}"}])"));
    CHECK(check->usual == "12 digits");
    // The form reaches other values of it, and no value of the successes' form.
    CHECK(learned_matches(e, call({{"account_id", "000000001"}})));
    CHECK_FALSE(learned_matches(e, call({{"account_id", "999999999999"}})));
  }

  TEST_CASE("a length: where the form is shared with a success but the lengths are not") {
    // Slugs of six bytes fail. Their form, 2 or 3 letters twice, holds for "ab-cd" and "abc-abc"
    // too, which succeed: only the length tells the failures apart.
    Evidence e;
    e.tool = "mcp__cms__publish";
    e.fail(call({{"slug", "ab-cde"}}), "slug rejected");
    e.fail(call({{"slug", "abc-de"}}), "slug rejected");
    e.ok(call({{"slug", "ab-cd"}}));
    e.ok(call({{"slug", "abc-abc"}}));
    e.ok(call({{"slug", "abcd-efghi"}}));
    CHECK(learned(e) == all_of(R"([{"part":{"param":"slug"},"length":[6,6]}])"));
  }

  TEST_CASE("a length: of structured values whose structures differ") {
    // Slugs of three words and of six fail where shorter ones of two to four words succeed: no
    // one form holds them, their length tells them apart.
    Evidence e;
    e.tool = "mcp__cms__publish";
    e.fail(call({{"slug", "scope-vector-drift-route-rate-x"}}), "slug too wide");
    e.fail(call({{"slug", "frame-review-release"}}), "slug too wide");
    e.ok(call({{"slug", "tally-index"}}));
    e.ok(call({{"slug", "weekly-parcel-fix"}}));
    e.ok(call({{"slug", "rate-f"}}));
    CHECK(learned(e) == all_of(R"([{"part":{"param":"slug"},"length":[18,31]}])"));
    CHECK(learned_matches(e, call({{"slug", "cart-weekly-token-frame"}})));
    CHECK_FALSE(learned_matches(e, call({{"slug", "cart-weekly"}})));
  }

  TEST_CASE("a prefix: the failing paths share a directory no success is in") {
    Evidence e;
    e.tool = "mcp__fs__write";
    e.fail(call({{"path", "/tmp/scratch/a.txt"}}), "permission denied");
    e.fail(call({{"path", "/tmp/scratch/b.txt"}}), "permission denied");
    e.ok(call({{"path", "/home/u/proj/a.txt"}}));
    e.ok(call({{"path", "/home/u/proj/notes.txt"}}));
    CHECK(learned(e) == all_of(R"([{"part":{"param":"path"},"prefix":"/tmp/scratch/"}])"));
    CHECK(learned_matches(e, call({{"path", "/tmp/scratch/c.md"}})));
  }

  TEST_CASE("a suffix: the failing names share an extension no success has") {
    Evidence e;
    e.tool = "mcp__docs__render";
    e.fail(call({{"name", "report.docx"}}), "cannot render this document");
    e.fail(call({{"name", "notes.docx"}}), "cannot render this document");
    // "draft.html" has the failures' form and length: only the suffix tells them apart.
    e.ok(call({{"name", "draft.html"}}));
    e.ok(call({{"name", "index.json"}}));
    e.ok(call({{"name", "a.md"}}));
    CHECK(learned(e) == all_of(R"([{"part":{"param":"name"},"suffix":".docx"}])"));
    CHECK(learned_matches(e, call({{"name", "summary.docx"}})));
  }

  TEST_CASE("a path fact: a directory where the successes read files") {
    Evidence e;
    e.tool = "Read";
    e.fail(call({{"file_path", "/repo/src"}}, {{"/repo/src", kDirectory}}),
           "EISDIR: illegal operation on a directory, read");
    e.fail(call({{"file_path", "/repo/docs"}}, {{"/repo/docs", kDirectory}}),
           "EISDIR: illegal operation on a directory, read");
    e.ok(call({{"file_path", "/repo/src/main.cpp"}}, {{"/repo/src/main.cpp", file_of(1200)}}));
    e.ok(call({{"file_path", "/repo/README.md"}}, {{"/repo/README.md", file_of(300)}}));
    CHECK(learned(e) == all_of(R"([{"part":{"param":"file_path"},"path":"directory"}])"));
  }

  TEST_CASE("a path fact: nothing there") {
    Evidence e;
    e.tool = "Read";
    e.fail(call({{"file_path", "/repo/config/app.yaml"}}, {{"/repo/config/app.yaml", kMissing}}),
           "ENOENT: no such file or directory");
    e.fail(call({{"file_path", "/repo/docs/setup.md"}}, {{"/repo/docs/setup.md", kMissing}}),
           "ENOENT: no such file or directory");
    e.ok(call({{"file_path", "/repo/config/db.yaml"}}, {{"/repo/config/db.yaml", file_of(80)}}));
    e.ok(call({{"file_path", "/repo/docs/index.md"}}, {{"/repo/docs/index.md", file_of(900)}}));
    CHECK(learned(e) == all_of(R"([{"part":{"param":"file_path"},"path":"missing"}])"));
  }

  TEST_CASE("a path fact: a file larger than the largest one that was read") {
    Evidence e;
    e.tool = "Read";
    e.fail(call({{"file_path", "/repo/data/dump.json"}}, {{"/repo/data/dump.json", file_of(300000)}}),
           "File content (300000 bytes) exceeds maximum allowed size (262144 bytes)");
    e.fail(call({{"file_path", "/repo/logs/app.log"}}, {{"/repo/logs/app.log", file_of(500000)}}),
           "File content (500000 bytes) exceeds maximum allowed size (262144 bytes)");
    e.ok(call({{"file_path", "/repo/src/main.cpp"}}, {{"/repo/src/main.cpp", file_of(1000)}}));
    e.ok(call({{"file_path", "/repo/README.md"}}, {{"/repo/README.md", file_of(20000)}}));
    CHECK(learned(e) == all_of(R"([{"part":{"param":"file_path"},"path":"larger_than","bytes":20000}])"));
  }

  TEST_CASE("a shell program that is not installed, named by the error") {
    Evidence e;
    e.tool = "Bash";
    e.history = pat::ToolHistory{{"ls", "git"}};
    e.fail(bash("tusk list --all"), "Exit code 127\nbash: tusk: command not found");
    e.ok(bash("ls -la"));
    e.ok(bash("git status"));
    CHECK(learned(e) == all_of(R"([{"part":{"param":"command","shell":"program"},"in":["tusk"]}])"));
    // The program wherever it is run.
    CHECK(learned_matches(e, bash("cd /repo && tusk add 'buy milk'")));
    CHECK_FALSE(learned_matches(e, bash("git log")));
  }

  TEST_CASE("a flag the program does not know") {
    Evidence e;
    e.tool = "Bash";
    e.history = pat::ToolHistory{{"zapper"}};
    e.fail(bash("zapper deploy --force"), "Exit code 2\nzapper: unknown option --force");
    e.fail(bash("zapper status --force"), "Exit code 2\nzapper: unknown option --force");
    e.ok(bash("zapper deploy"));
    e.ok(bash("zapper status --verbose"));
    CHECK(learned(e) == all_of(R"([{"part":{"param":"command","shell":"flag","program":"zapper"},"in":["--force"]}])"));
  }

  TEST_CASE("a subcommand the program does not have") {
    Evidence e;
    e.tool = "Bash";
    e.history = pat::ToolHistory{{"git"}};
    e.fail(bash("git pushh origin main"), "Exit code 1\ngit: 'pushh' is not a git command. See 'git --help'.");
    e.fail(bash("git pushh origin dev"), "Exit code 1\ngit: 'pushh' is not a git command. See 'git --help'.");
    e.ok(bash("git push origin main"));
    e.ok(bash("git status"));
    CHECK(learned(e) ==
          all_of(R"([{"part":{"param":"command","shell":"subcommand","program":"git"},"in":["pushh"]}])"));
  }

  TEST_CASE("a variable set for the command, named by the error") {
    Evidence e;
    e.tool = "Bash";
    e.history = pat::ToolHistory{{"npm"}};
    e.fail(bash("NODE_ENV=prod npm run build"), "Exit code 1\nInvalid NODE_ENV value: prod");
    e.fail(bash("NODE_ENV=prod npm run start"), "Exit code 1\nInvalid NODE_ENV value: prod");
    e.ok(bash("NODE_ENV=production npm run build"));
    e.ok(bash("npm run build"));
    e.ok(bash("npm run start"));
    CHECK(learned(e) ==
          all_of(R"([{"part":{"param":"command","shell":"env","program":"npm","name":"NODE_ENV"},"in":["prod"]}])"));
  }

  TEST_CASE("a session step from a recovery: no earlier pip install") {
    const std::string pip = "Bash\x1fprogram=pip install";
    Evidence e;
    e.tool = "Bash";
    e.history = pat::ToolHistory{{"pytest", "pip"}};
    e.fail(bash("pytest -q"), "Exit code 1\nModuleNotFoundError: No module named 'requests'");
    e.fail(bash("pytest tests/test_api.py"), "Exit code 1\nModuleNotFoundError: No module named 'requests'");
    e.recovered_by = {pip};
    e.ok(bash("pytest -q", {pip}));
    e.ok(bash("pytest tests/test_db.py", {pip}));
    CHECK(learned(e) == all_of(R"([{"session":"lacks","tool":"Bash","program":"pip","subcommand":"install"}])"));
  }

  TEST_CASE("a session step named by the error: an Edit before a Read of the same file") {
    const std::string read_same = "Read\x1fsame=file_path";
    const auto edit = [](const char* path, std::vector<std::string> features = {}) {
      return call({{"file_path", path}, {"old_string", "int x = 1;"}, {"new_string", "int x = 2;"}}, {},
                  std::move(features));
    };
    Evidence e;
    e.tool = "Edit";
    e.fail(edit("/repo/a.cpp", {"Bash"}), kEditNotRead);
    e.fail(edit("/repo/b.cpp", {"Bash", "Read"}), kEditNotRead);  // a Read of another file
    e.ok(edit("/repo/c.cpp", {"Read", read_same}));
    e.ok(edit("/repo/d.cpp", {"Bash", "Read", read_same}));
    CHECK(learned(e) == all_of(R"([{"session":"lacks","tool":"Read","same":"file_path"}])"));
  }

  TEST_CASE("a conjunction: no single predicate separates, two do") {
    Evidence e;
    e.tool = "mcp__cloud__deploy";
    e.fail(call({{"env", "prod"}, {"region", "eu"}}), "forbidden");
    e.fail(call({{"env", "prod"}, {"region", "eu"}}), "forbidden");
    e.ok(call({{"env", "prod"}, {"region", "us"}}));
    e.ok(call({{"env", "dev"}, {"region", "eu"}}));
    Check expected;
    expected.all = {pat::ValueIn{pat::Part{"env", pat::ShellPart::none, "", ""}, {"prod"}},
                    pat::ValueIn{pat::Part{"region", pat::ShellPart::none, "", ""}, {"eu"}}};
    pat::normalise(expected);
    CHECK(learned(e) == pat::to_json(expected)["all"]);
    CHECK_FALSE(learned_matches(e, call({{"env", "dev"}, {"region", "us"}})));
  }

  TEST_CASE("a conjunction: a session step only before the program that needs it") {
    // `ls` runs fine without `pip install`: "no earlier pip install" alone would flag it.
    const std::string pip = "Bash\x1fprogram=pip install";
    Evidence e;
    e.tool = "Bash";
    e.history = pat::ToolHistory{{"pytest", "pip", "ls"}};
    e.fail(bash("pytest -q"), "Exit code 1\nModuleNotFoundError: No module named 'requests'");
    e.fail(bash("pytest tests/test_api.py"), "Exit code 1\nModuleNotFoundError: No module named 'requests'");
    e.recovered_by = {pip};
    e.ok(bash("pytest -q", {pip}));
    e.ok(bash("ls -la"));
    e.ok(bash("ls src"));
    // The programs the failing commands ran narrow the session step to them.
    CHECK(learned(e) == all_of(R"([{"part":{"param":"command","shell":"program"},"in":["pytest"]},
                                   {"session":"lacks","tool":"Bash","program":"pip","subcommand":"install"}])"));
    CHECK_FALSE(learned_matches(e, bash("ls build")));
    CHECK(learned_matches(e, bash("pytest -x")));
  }

  TEST_CASE("guard: one value the error does not name is at most a value set") {
    Evidence e = sha_lookups();
    e.fail(call({{"repo_path", "/work/repo"}, {"sha", "abc1234"}}), "commit not found");
    e.fail(call({{"repo_path", "/work/repo"}, {"sha", "abc1234"}}), "commit not found");
    CHECK(learned(e) == all_of(R"([{"part":{"param":"sha"},"in":["abc1234"]}])"));
    CHECK_FALSE(learned_matches(e, call({{"repo_path", "/work/repo"}, {"sha", "def5678"}})));

    SUBCASE("two distinct values earn the shape") {
      e.failing.back().input["sha"] = "def5678";
      CHECK(learned(e) == all_of(R"([{"part":{"param":"sha"},"shape":"hex{7}"}])"));
      CHECK(learned_matches(e, call({{"repo_path", "/work/repo"}, {"sha", "0a1b2c3"}})));
    }
    SUBCASE("so does an error that names the value") {
      e.errors = {"fatal: bad object abc1234", "fatal: bad object abc1234"};
      CHECK(learned(e) == all_of(R"([{"part":{"param":"sha"},"shape":"hex{7}"}])"));
    }
  }

  TEST_CASE("guard: one path value the error does not name earns no path fact and no prefix") {
    Evidence e;
    e.tool = "Read";
    const LearningCall failing = call({{"file_path", "/repo/src"}}, {{"/repo/src", kDirectory}});
    e.fail(failing, "read failed");
    e.fail(failing, "read failed");
    e.ok(call({{"file_path", "/repo/src/main.cpp"}}, {{"/repo/src/main.cpp", file_of(1200)}}));
    e.ok(call({{"file_path", "/repo/README.md"}}, {{"/repo/README.md", file_of(300)}}));
    CHECK(learned(e) == all_of(R"([{"part":{"param":"file_path"},"in":["/repo/src"]}])"));
    CHECK_FALSE(learned_matches(e, call({{"file_path", "/repo/docs"}}, {{"/repo/docs", kDirectory}})));
  }

  TEST_CASE("guard: nothing matches a call merely because it is unlike the successes") {
    // Two failing values of no common form: the check lists them and reaches no further, however
    // unlike the successes another value is.
    Evidence e;
    e.tool = "mcp__render__run";
    e.fail(call({{"mode", "fast"}}), "render failed");
    e.fail(call({{"mode", "turbo-9"}}), "render failed");
    e.ok(call({{"mode", "slow"}}));
    e.ok(call({{"mode", "normal"}}));
    CHECK(learned(e) == all_of(R"([{"part":{"param":"mode"},"in":["fast","turbo-9"]}])"));
    for (const char* other : {"x", "ultra-fast", "FAST", "warp-10", "12345"}) {
      CAPTURE(other);
      CHECK_FALSE(learned_matches(e, call({{"mode", other}})));
    }
    // Successes of the failing values' forms change nothing: still the two values, no more.
    e.ok(call({{"mode", "warp"}}));
    e.ok(call({{"mode", "turbo-8"}}));
    CHECK(learned(e) == all_of(R"([{"part":{"param":"mode"},"in":["fast","turbo-9"]}])"));
  }

  TEST_CASE("guard: a value no success used as a path earns a path fact only from the error") {
    // A date has slashes; nothing is there by that name, as for any text. The errors name the
    // values but say nothing of a file: their form is the mistake, not a missing file.
    Evidence e;
    e.tool = "mcp__cal__book";
    e.fail(call({{"day", "11/05/2026"}}, {{"11/05/2026", kMissing}}), "day 11/05/2026 slithers off the loom");
    e.fail(call({{"day", "12/7/2026"}}, {{"12/7/2026", kMissing}}), "day 12/7/2026 slithers off the loom");
    e.ok(call({{"day", "2026-11-05"}}));
    e.ok(call({{"day", "2026-12-24"}}));
    CHECK(learned(e) == all_of(R"([{"part":{"param":"day"},"shape":"digits{2}/digits{1,2}/digits{4}"}])"));
    // What the error or the session witnessed is evidence.
    for (auto& c : e.failing) c.witnessed.insert(c.input["day"].get<std::string>());
    CHECK(learned(e) == all_of(R"([{"part":{"param":"day"},"path":"missing"}])"));
  }

  TEST_CASE("guard: a predicate on a part no success has is no check by itself") {
    // `diff` exits 1 when the files differ; no successful call ran diff, so "an argument of diff
    // is a" separates nothing from anything.
    Evidence e;
    e.tool = "Bash";
    e.history = pat::ToolHistory{{"grep", "diff"}};
    e.fail(bash("diff a b"), "Exit code 1\n1c1\n< x\n---\n> y");
    e.fail(bash("diff a b"), "Exit code 1\n1c1\n< x\n---\n> z");
    e.ok(bash("grep -n foo src/main.c"));
    e.ok(bash("grep -r bar ."));
    CHECK_FALSE(e.learn().has_value());

    SUBCASE("beside a successful diff, the same part does separate") {
      e.ok(bash("diff x y"));
      CHECK(learned(e) == all_of(R"([{"part":{"param":"command","shell":"subcommand","program":"diff"},"in":["a"]}])"));
    }
  }

  TEST_CASE("guard: a single failure the error points nowhere is no evidence") {
    Evidence e = sha_lookups();
    e.fail(call({{"repo_path", "/work/repo"}, {"sha", "abc1234"}}), "something went wrong");
    CHECK_FALSE(e.learn().has_value());
    // The same failure once more is.
    e.fail(call({{"repo_path", "/work/repo"}, {"sha", "def5678"}}), "something went wrong");
    CHECK(learned(e) == all_of(R"([{"part":{"param":"sha"},"shape":"hex{7}"}])"));
  }

  TEST_CASE("guard: a single failure whose error names the value is evidence") {
    Evidence e = sha_lookups();
    e.fail(call({{"repo_path", "/work/repo"}, {"sha", "abc1234"}}), "fatal: bad object abc1234");
    CHECK(learned(e) == all_of(R"([{"part":{"param":"sha"},"shape":"hex{7}"}])"));
  }

  TEST_CASE("guard: a program that succeeded before is no mistake by itself") {
    Evidence e;
    e.tool = "Bash";
    e.fail(bash("quill sync"), "Exit code 1\nremote rejected the update");
    e.fail(bash("quill sync"), "Exit code 1\nremote rejected the update");
    e.ok(bash("ls -la"));
    e.ok(bash("git status"));

    SUBCASE("it ran successfully before, and the error does not name it") {
      e.history = pat::ToolHistory{{"ls", "git", "quill"}};
      CHECK_FALSE(e.learn().has_value());
    }
    SUBCASE("it never succeeded and failed twice") {
      e.history = pat::ToolHistory{{"ls", "git"}};
      CHECK(learned(e) == all_of(R"([{"part":{"param":"command","shell":"program"},"in":["quill"]}])"));
    }
    SUBCASE("it ran successfully before, and the error names it") {
      e.history = pat::ToolHistory{{"ls", "git", "quill"}};
      e.errors = {"Exit code 127\nbash: quill: command not found", "Exit code 127\nbash: quill: command not found"};
      CHECK(learned(e) == all_of(R"([{"part":{"param":"command","shell":"program"},"in":["quill"]}])"));
    }
  }

  TEST_CASE("guard: a tool that never succeeded is learned from what the error points to") {
    // Every Edit was refused; the agent read the file and the Edit went through: the error names
    // Read and the recovery ran it.
    const std::string read_same = "Read\x1fsame=file_path";
    Evidence e;
    e.tool = "Edit";
    e.fail(call({{"file_path", "/repo/a.cpp"}, {"old_string", "x"}, {"new_string", "y"}}), kEditNotRead);
    e.fail(call({{"file_path", "/repo/b.cpp"}, {"old_string", "x"}, {"new_string", "z"}}), kEditNotRead);
    e.recovered_by = {read_same};
    CHECK(learned(e) == all_of(R"([{"session":"lacks","tool":"Read","same":"file_path"}])"));

    SUBCASE("without successes, what the error does not point to is not learned") {
      Evidence unnamed = e;
      unnamed.recovered_by.clear();
      unnamed.errors = {"Edit failed", "Edit failed"};
      CHECK_FALSE(unnamed.learn().has_value());
    }
  }

  TEST_CASE("nothing to learn from") {
    Evidence e = sha_lookups();
    CHECK_FALSE(e.learn().has_value());
    pat::LearningInput in;
    CHECK_FALSE(pat::learn_check(in).has_value());
  }

  TEST_CASE("mentions: a whole token of the text") {
    CHECK(pat::mentions("bash: tusk: command not found", "tusk"));
    CHECK_FALSE(pat::mentions("bash: tusks: command not found", "tusk"));
    CHECK(pat::mentions("unknown option --force", "--force"));
    CHECK(pat::mentions("File has not been read yet. Read it first", "Read"));
    CHECK_FALSE(pat::mentions("File has not been read yet", "Read"));
    CHECK(pat::mentions("cannot open /repo/a.txt: denied", "/repo/a.txt"));
    CHECK_FALSE(pat::mentions("a --- b", "---"));
    CHECK_FALSE(pat::mentions("anything", ""));
  }

  TEST_CASE("session_need reads what session_feature writes") {
    for (const pat::SessionLacks& need :
         {pat::SessionLacks{"Read", "", "", "", false}, pat::SessionLacks{"Read", "", "", "file_path", false},
          pat::SessionLacks{"Bash", "pip", "install", "", true},
          pat::SessionLacks{"Bash", "make", "", "command", true}}) {
      CAPTURE(pat::session_feature(need));
      CHECK(pat::session_need(pat::session_feature(need)) == need);
    }
    CHECK_FALSE(pat::session_need("").has_value());
    CHECK_FALSE(pat::session_need("Read\x1fwhatever").has_value());
  }
}  // TEST_SUITE
