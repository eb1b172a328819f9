#include <chrono>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "detect/repeated_work.hpp"
#include "util/content_hash.hpp"
#include "util/time_format.hpp"

namespace {

using pat::Candidate;
using pat::Event;
using pat::json;

// Hours after a fixed start, as a record timestamp.
std::string at_hours(double h) {
  static const pat::TimePoint start = *pat::parse_time("2026-03-01T08:00:00.000Z");
  return pat::format_rfc3339(start + std::chrono::milliseconds(std::llround(h * 3600000.0)));
}

std::string at_days(double d) { return at_hours(d * 24); }

Event tool_event(std::string id, std::string ts, std::string tool, json input) {
  Event e;
  e.id = std::move(id);
  e.ts = std::move(ts);
  e.source = "claude-hook";
  e.event = "PostToolUse";
  e.tool = std::move(tool);
  e.input = std::move(input);
  e.outcome = pat::Outcome::success;
  e.cwd = "/repo";
  return e;
}

Event bash(std::string id, std::string ts, const std::string& command,
           std::optional<std::int64_t> duration_ms = std::nullopt) {
  Event e = tool_event(std::move(id), std::move(ts), "Bash", {{"command", command}, {"description", "run it"}});
  e.duration_ms = duration_ms;
  return e;
}

Event write(std::string id, std::string ts, const std::string& path, const std::string& content) {
  return tool_event(std::move(id), std::move(ts), "Write", {{"file_path", path}, {"content", content}});
}

std::vector<Candidate> of_type(const std::vector<Candidate>& all, const std::string& type) {
  std::vector<Candidate> out;
  for (const auto& c : all)
    if (c.type == type) out.push_back(c);
  return out;
}

std::string test_file(const std::string& name) {
  return "import pytest\nfrom app import " + name + "\n\ndef test_" + name + "():\n    assert " + name + "() == 1\n";
}

}  // namespace

TEST_SUITE("repeated_work") {
  TEST_CASE("three similar pytest runs give one repeated_execution candidate") {
    pat::RepeatedWork rw;
    rw.add_success(bash("e1", at_days(0), "pytest backend/tests -k test_login", 1000));
    rw.add_success(bash("e2", at_days(1), "pytest backend/tests -k test_logout", 3000));
    rw.add_success(bash("e3", at_days(2), "pytest backend/tests -k test_signup", 2000));
    const auto all = rw.candidates();
    REQUIRE(all.size() == 1);
    const Candidate& c = all[0];
    CHECK(c.type == "repeated_execution");
    CHECK(c.signature == "test:pytest:backend");
    CHECK(c.occurrences == 3);
    CHECK(c.examples == std::vector<std::string>{"e1", "e2", "e3"});
    CHECK(c.ts == at_days(2));
    CHECK(c.invariants == json{{"program", "pytest"}, {"flags", "-k"}, {"arg1", "backend/tests"}});
    CHECK(c.variables == json{{"arg2", {"test_login", "test_logout", "test_signup"}}});
    CHECK(c.template_text == "pytest backend/tests -k <*>");
    CHECK(c.estimated_savings["per_run_ms"] == 2000);
    CHECK(c.estimated_savings["total_ms"] == 6000);
    CHECK(c.estimated_savings["runs"] == 3);
    CHECK(c.id == pat::content_hash("repeated_execution\ntest:pytest:backend\ne1\ne2\ne3"));
    // the record survives its JSON form
    CHECK(pat::to_json(pat::candidate_from_json(pat::to_json(c))) == pat::to_json(c));
  }

  TEST_CASE("two runs are not enough") {
    pat::RepeatedWork rw;
    rw.add_success(bash("e1", at_days(0), "pytest backend/tests -x"));
    rw.add_success(bash("e2", at_days(1), "pytest backend/tests -x"));
    CHECK(rw.candidates().empty());
  }

  TEST_CASE("without durations the savings give only the number of runs") {
    pat::RepeatedWork rw;
    for (const char* id : {"a", "b", "c"}) rw.add_success(bash(id, at_days(0), "make"));
    const auto all = rw.candidates();
    REQUIRE(all.size() == 1);
    CHECK(all[0].signature == "build:make");
    CHECK(all[0].estimated_savings == json{{"runs", 3}});
    CHECK(all[0].template_text == "make");
  }

  TEST_CASE("runs spread so that no 30-day window holds three give nothing") {
    pat::RepeatedWork rw;
    rw.add_success(bash("e1", at_days(0), "cargo test"));
    rw.add_success(bash("e2", at_days(20), "cargo test"));
    rw.add_success(bash("e3", at_days(40), "cargo test"));
    CHECK(rw.candidates().empty());
    // a fourth run puts days 20, 40 and 45 within one window
    rw.add_success(bash("e4", at_days(45), "cargo test"));
    const auto all = rw.candidates();
    REQUIRE(all.size() == 1);
    CHECK(all[0].signature == "test:cargo:test");
    CHECK(all[0].occurrences == 4);
    CHECK(all[0].ts == at_days(45));
  }

  TEST_CASE("runs out of time order within one window still count") {
    pat::RepeatedWork rw;
    rw.add_success(bash("e1", at_days(20), "npm run build"));
    rw.add_success(bash("e2", at_days(0), "npm run build"));
    rw.add_success(bash("e3", at_days(10), "npm run build"));
    const auto all = rw.candidates();
    REQUIRE(all.size() == 1);
    CHECK(all[0].signature == "build:npm:run-build");
    CHECK(all[0].ts == at_days(20));
  }

  TEST_CASE("different shapes of input do not merge") {
    pat::RepeatedWork rw;
    rw.add_success(bash("a1", at_days(0), "pytest backend/tests -x"));
    rw.add_success(bash("a2", at_days(0), "pytest backend/tests -x"));
    rw.add_success(bash("a3", at_days(0), "pytest backend/tests backend/more -x"));  // one more argument
    rw.add_success(bash("b1", at_days(0), "git status"));
    rw.add_success(bash("b2", at_days(0), "git status"));
    rw.add_success(bash("b3", at_days(0), "git log"));  // another subcommand
    rw.add_success(tool_event("c1", at_days(0), "Read", {{"file_path", "/repo/a.py"}}));
    rw.add_success(tool_event("c2", at_days(0), "Read", {{"file_path", "/repo/b.py"}}));
    rw.add_success(tool_event("c3", at_days(0), "Read", {{"file_path", "/repo/c.py"}, {"limit", 10}}));
    CHECK(rw.candidates().empty());
  }

  TEST_CASE("a flag present in only some runs is a variable; its absence shows as null") {
    pat::RepeatedWork rw;
    rw.add_success(bash("e1", at_days(0), "pytest backend/tests"));
    rw.add_success(bash("e2", at_days(0), "pytest backend/tests -x"));
    rw.add_success(bash("e3", at_days(0), "pytest backend/tests --lf"));
    const auto all = rw.candidates();
    REQUIRE(all.size() == 1);
    CHECK(all[0].invariants == json{{"program", "pytest"}, {"arg1", "backend/tests"}});
    CHECK(all[0].variables == json{{"flags", {nullptr, "-x", "--lf"}}});
    CHECK(all[0].template_text == "pytest backend/tests <*>");
  }

  TEST_CASE("failed runs given as successes are ignored") {
    pat::RepeatedWork rw;
    for (const char* id : {"a", "b", "c"}) {
      Event e = bash(id, at_days(0), "make");
      e.outcome = pat::Outcome::failure;
      rw.add_success(e);
    }
    CHECK(rw.candidates().empty());
  }

  TEST_CASE("signature: kind, program and target of command lines") {
    const auto sig = [](const std::string& command) {
      return pat::RepeatedWork::signature(bash("x", at_days(0), command));
    };
    CHECK(sig("pytest backend/tests -x") == "test:pytest:backend");
    CHECK(sig("python -m pytest backend/tests") == "test:pytest:backend");
    CHECK(sig("cd /repo && pytest backend/tests | tail -20") == "test:pytest:backend");
    CHECK(sig("make") == "build:make");
    CHECK(sig("make test") == "test:make:test");
    CHECK(sig("npm run build") == "build:npm:run-build");
    CHECK(sig("npm test") == "test:npm:test");
    CHECK(sig("go test ./...") == "test:go:test");
    CHECK(sig("cargo clippy") == "lint:cargo:clippy");
    CHECK(sig("eslint src/app.ts") == "lint:eslint:src");
    CHECK(sig("pip install requests") == "install:pip:install-requests");
    CHECK(sig("git push origin main") == "vcs:git:push-origin");
    CHECK(sig("kubectl apply -f k8s/deploy.yaml") == "deploy:kubectl:apply-k8s");
    CHECK(sig("./scripts/run.sh") == "run:run.sh");
    CHECK(sig("") == "");
  }

  TEST_CASE("signature: other tools use the lower-case tool name and a file extension or short parameter") {
    using pat::RepeatedWork;
    CHECK(RepeatedWork::signature(tool_event("x", at_days(0), "Edit", {{"file_path", "/repo/a.py"}})) ==
          "edit:Edit:py");
    CHECK(RepeatedWork::signature(tool_event("x", at_days(0), "Read", {{"file_path", "/repo/Makefile"}})) ==
          "read:Read:Makefile");
    CHECK(RepeatedWork::signature(
              tool_event("x", at_days(0), "mcp__github__create_issue",
                         {{"repo", "acme/shop"}, {"title", "A title far too long to be a target"}})) ==
          "mcp:mcp__github__create_issue:acme/shop");
    CHECK(RepeatedWork::signature(tool_event("x", at_days(0), "Bash", json::object())) == "");
    CHECK(RepeatedWork::signature(tool_event("x", at_days(0), "", nullptr)) == "");
  }

  TEST_CASE("operation_kind from a generic record's extra fields is honoured") {
    const auto generic = [](std::string id, std::string ts) {
      Event e = tool_event(std::move(id), std::move(ts), "./release.sh", {{"command", "./release.sh prod"}});
      e.source = "generic";
      e.event = "exec";
      e.extra["operation_kind"] = "Deploy";
      return e;
    };
    CHECK(pat::RepeatedWork::signature(generic("x", at_days(0))) == "deploy:release.sh:prod");
    Event plain = generic("y", at_days(0));
    plain.extra = json::object();
    CHECK(pat::RepeatedWork::signature(plain) == "run:release.sh:prod");

    pat::RepeatedWork rw;
    for (const char* id : {"a", "b", "c"}) rw.add_success(generic(id, at_days(1)));
    const auto all = rw.candidates();
    REQUIRE(all.size() == 1);
    CHECK(all[0].signature == "deploy:release.sh:prod");
    CHECK(all[0].template_text == "./release.sh prod");
  }

  TEST_CASE("other tools: invariants and variables are input fields; the template names them") {
    pat::RepeatedWork rw;
    for (const char* name : {"a", "b", "c"}) {
      rw.add_success(tool_event(
          name, at_days(0), "Edit",
          {{"file_path", std::string("/repo/") + name + ".py"}, {"old_string", "x = 1"}, {"new_string", "x = 2"}}));
    }
    const auto all = rw.candidates();
    REQUIRE(all.size() == 1);
    CHECK(all[0].signature == "edit:Edit:py");
    CHECK(all[0].invariants == json{{"old_string", "x = 1"}, {"new_string", "x = 2"}});
    CHECK(all[0].variables == json{{"file_path", {"/repo/a.py", "/repo/b.py", "/repo/c.py"}}});
    CHECK(all[0].template_text == "Edit file_path=<*> new_string=x = 2 old_string=x = 1");
  }

  TEST_CASE("three similar files written within 24 hours give a file_template") {
    pat::RepeatedWork rw;
    rw.add_success(write("w1", at_hours(0), "/repo/tests/test_alpha.py", test_file("alpha")));
    rw.add_success(write("w2", at_hours(3), "/repo/tests/test_beta.py", test_file("beta")));
    rw.add_success(write("w3", at_hours(20), "/repo/tests/test_gamma.py", test_file("gamma")));
    const auto files = of_type(rw.candidates(), "file_template");
    REQUIRE(files.size() == 1);
    const Candidate& c = files[0];
    CHECK(c.signature == "file:py:tests/test_<*>.py");
    CHECK(c.occurrences == 3);
    CHECK(c.examples == std::vector<std::string>{"w1", "w2", "w3"});
    CHECK(c.template_text == "import pytest\nfrom app import <*>\n\ndef test_<*>():\n    assert <*>() == 1");
    CHECK(c.invariants == json{{"extension", "py"}, {"lines_in_common", 2}});
    CHECK(c.variables == json{{"file_path", {"tests/test_alpha.py", "tests/test_beta.py", "tests/test_gamma.py"}}});
    CHECK(c.ts == at_hours(20));

    // a later similar file joins the group; an unrelated one does not
    rw.add_success(write("w4", at_days(5), "/repo/tests/test_delta.py", test_file("delta")));
    rw.add_success(write("w5", at_days(5), "/repo/setup.py", "from setuptools import setup\nsetup(name='x')\n"));
    const auto later = of_type(rw.candidates(), "file_template");
    REQUIRE(later.size() == 1);
    CHECK(later[0].occurrences == 4);
  }

  TEST_CASE("files of different lengths merge around their common lines") {
    pat::RepeatedWork rw;
    rw.add_success(write("w1", at_hours(0), "/repo/src/a.md", "# Title\nintro\none\ntwo\nend\n"));
    rw.add_success(write("w2", at_hours(1), "/repo/src/b.md", "# Title\nintro\nthree\nend\n"));
    rw.add_success(write("w3", at_hours(2), "/repo/src/c.md", "# Title\nintro\nfour\nfive\nend\n"));
    const auto files = of_type(rw.candidates(), "file_template");
    REQUIRE(files.size() == 1);
    CHECK(files[0].signature == "file:md:src/<*>.md");
    CHECK(files[0].template_text == "# Title\nintro\n<*>\nend");
  }

  TEST_CASE("similar files spread over three days give no file_template") {
    pat::RepeatedWork rw;
    rw.add_success(write("w1", at_days(0), "/repo/tests/test_alpha.py", test_file("alpha")));
    rw.add_success(write("w2", at_days(1.5), "/repo/tests/test_beta.py", test_file("beta")));
    rw.add_success(write("w3", at_days(3), "/repo/tests/test_gamma.py", test_file("gamma")));
    CHECK(of_type(rw.candidates(), "file_template").empty());
  }

  TEST_CASE("dissimilar files of one extension give no file_template") {
    pat::RepeatedWork rw;
    rw.add_success(write("w1", at_hours(0), "/repo/a.py", "import os\nprint(os.getcwd())\n"));
    rw.add_success(write("w2", at_hours(1), "/repo/b.py", "class Shop:\n    pass\n"));
    rw.add_success(write("w3", at_hours(2), "/repo/c.py", "def total(xs):\n    return sum(xs)\n"));
    CHECK(of_type(rw.candidates(), "file_template").empty());
  }

  TEST_CASE("the same failure template three times is an anti_pattern") {
    const std::string tmpl = "ls: cannot access <*>: No such file or directory";
    pat::RepeatedWork rw;
    for (const char* id : {"f1", "f2"}) {
      Event e = bash(id, at_days(0), std::string("ls /tmp/") + id);
      e.outcome = pat::Outcome::failure;
      rw.add_failure(e, tmpl);
    }
    CHECK(rw.candidates().empty());
    Event third = bash("f3", at_days(2), "ls /tmp/f3");
    third.outcome = pat::Outcome::failure;
    rw.add_failure(third, tmpl);
    rw.add_failure(tool_event("r1", at_days(2), "Read", {{"file_path", "/x"}}), tmpl);  // another tool
    const auto all = rw.candidates();
    REQUIRE(all.size() == 1);
    const Candidate& c = all[0];
    CHECK(c.type == "anti_pattern");
    CHECK(c.signature == "anti-pattern:Bash:" + pat::content_hash(tmpl).substr(0, 16));
    CHECK(c.occurrences == 3);
    CHECK(c.examples == std::vector<std::string>{"f1", "f2", "f3"});
    CHECK(c.template_text == tmpl);
    CHECK(c.ts == at_days(2));
    CHECK(c.invariants["program"] == "ls");
    CHECK(c.variables["arg1"] == json{"/tmp/f1", "/tmp/f2", "/tmp/f3"});
  }

  TEST_CASE("candidates are sorted by type and signature and their ids are stable") {
    const auto feed = [](pat::RepeatedWork& rw) {
      for (int i = 0; i < 3; ++i) {
        const std::string n = std::to_string(i);
        rw.add_success(bash("p" + n, at_hours(i), "pytest backend/tests -k t" + n, 100 * (i + 1)));
        rw.add_success(bash("g" + n, at_hours(i), "git status"));
        rw.add_success(write("w" + n, at_hours(i), "/repo/tests/test_" + n + "x.py", test_file("x" + n)));
        Event f = bash("f" + n, at_hours(i), "cat missing");
        f.outcome = pat::Outcome::failure;
        rw.add_failure(f, "cat: <*>: No such file or directory");
      }
    };
    pat::RepeatedWork first, second;
    feed(first);
    feed(second);
    const auto a = first.candidates();
    const auto b = second.candidates();
    REQUIRE(a.size() == b.size());
    REQUIRE(a.size() == 5);  // pytest, git, Write executions; a file template; an anti-pattern
    for (std::size_t i = 0; i < a.size(); ++i) {
      CHECK(pat::to_json(a[i]) == pat::to_json(b[i]));
      if (i > 0)
        CHECK((a[i - 1].type < a[i].type || (a[i - 1].type == a[i].type && a[i - 1].signature <= a[i].signature)));
    }
    CHECK(a[0].type == "anti_pattern");
    CHECK(a[1].type == "file_template");
    CHECK(a[2].signature == "test:pytest:backend");
    CHECK(a[3].signature == "vcs:git:status");
    CHECK(a[4].signature == "write:Write:py");
  }

  TEST_CASE("memory is bounded: 100,000 events of three signatures keep a few examples each") {
    pat::RepeatedWorkOptions options;
    options.max_examples = 4;
    pat::RepeatedWork rw(options);
    const char* commands[] = {"pytest backend/tests -k t", "make -j", "git status "};
    for (int i = 0; i < 100000; ++i) {
      const std::string n = std::to_string(i);
      rw.add_success(bash("e" + n, at_hours(i / 60.0), commands[i % 3] + std::to_string(i % 97), i % 1000));
    }
    const auto all = rw.candidates();
    REQUIRE(all.size() == 3);
    std::int64_t total = 0;
    for (const auto& c : all) {
      CAPTURE(c.signature);
      total += c.occurrences;
      CHECK(c.examples.size() == 4);
      for (const auto& [field, samples] : c.variables.items()) CHECK(samples.size() <= 5);
      CHECK(c.estimated_savings["runs"] == c.occurrences);
      CHECK(c.estimated_savings["per_run_ms"].get<std::int64_t>() < 1000);
    }
    CHECK(total == 100000);
  }

}  // TEST_SUITE
