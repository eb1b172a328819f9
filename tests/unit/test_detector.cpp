#include <cstdio>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "check_helpers.hpp"
#include "detect/detector.hpp"
#include "detect/error_lines.hpp"
#include "detect/failure_class.hpp"
#include "mistake/call_check.hpp"
#include "records/event.hpp"
#include "unit_helpers.hpp"
#include "util/content_hash.hpp"

using pat::Category;
using pat::Detector;
using pat::Event;
using pat::json;
using pat::Observation;

namespace {

// The shipped rules from this source tree, without whatever the person running the tests keeps
// in ~/.config/pattools/failure-classes.rules.
const pat::FailureClassifier& classifier() {
  static const pat::FailureClassifier c = [] {
    static pat_test::TempDir empty_config;
    pat_test::ScopedEnv cfg("XDG_CONFIG_HOME", empty_config.path().string());
    pat_test::ScopedEnv data("PAT_DATADIR", std::string(PAT_TEST_DATA) + "/../../share/pattools");
    return pat::FailureClassifier::load_default({});
  }();
  return c;
}

constexpr const char* kShaTool = "mcp__git__show_commit";
constexpr const char* kShaError = "Invalid SHA format: expected 40 hex characters";
constexpr const char* kNotRead = "File has not been read yet. Read it first before writing to it.";

// Events in time order, one second apart, each with an id from its content.
class Session {
public:
  explicit Session(std::string id, int start_second = 0) : id_(std::move(id)), second_(start_second) {}

  Event call(const std::string& tool, const json& input, const std::string& outcome, const std::string& error = "") {
    Event e;
    e.tool_use_id = "toolu_" + id_ + "_" + std::to_string(++calls_);
    e.ts = timestamp(second_++);
    e.source = "claude-hook";
    e.session = id_;
    e.event = outcome == "success" ? "PostToolUse" : "PostToolUseFailure";
    e.tool = tool;
    e.input = input;
    e.outcome = *pat::parse_outcome(outcome);
    e.error = error;
    e.id = pat::content_hash(id_ + "\x1f" + e.tool_use_id + "\x1f" + outcome);
    return e;
  }
  Event ok(const std::string& tool, const json& input) { return call(tool, input, "success"); }
  Event fail(const std::string& tool, const json& input, const std::string& error) {
    return call(tool, input, "failure", error);
  }
  Event end() {
    Event e;
    e.ts = timestamp(second_++);
    e.source = "claude-hook";
    e.session = id_;
    e.event = "SessionEnd";
    e.id = pat::content_hash(id_ +
                             "\x1f"
                             "end");
    return e;
  }

private:
  static std::string timestamp(int second) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "2026-02-25T%02d:%02d:%02d.000Z", 10 + second / 3600, (second / 60) % 60,
                  second % 60);
    return buf;
  }
  std::string id_;
  int second_;
  int calls_ = 0;
};

std::string full_sha(unsigned seed) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  for (unsigned i = 0; i < 40; ++i) s += kDigits[(seed * 7 + i * 13 + (i * i) % 5) % 16];
  return s;
}

json sha_input(const std::string& sha) { return {{"repo_path", "/work/repo"}, {"sha", sha}}; }

json edit(const std::string& path) {
  return {{"file_path", path}, {"old_string", "int x = 1;"}, {"new_string", "int x = 2;"}};
}
json read(const std::string& path) { return {{"file_path", path}}; }

struct Result {
  std::vector<Observation> observations;
  std::vector<pat::Candidate> candidates;
  pat::DetectStats stats;
};

Result detect(const std::vector<Event>& events, const std::vector<Event>& context = {}) {
  Detector d(classifier());
  for (const auto& e : context) d.add(e, pat::Detector::Role::context);
  for (const auto& e : events) d.add(e);
  Result r;
  d.finish(r.observations, r.candidates);
  r.stats = d.stats();
  return r;
}

// A session that looks up full SHAs and, twice, a short one: successes and failures.
std::vector<Event> sha_session() {
  Session s("sess-sha");
  std::vector<Event> ev;
  for (unsigned i = 0; i < 5; ++i) ev.push_back(s.ok(kShaTool, sha_input(full_sha(i))));
  ev.push_back(s.fail(kShaTool, sha_input("abc1234"), kShaError));
  ev.push_back(s.ok("Bash", {{"command", "git log --oneline -3"}}));
  ev.push_back(s.fail(kShaTool, sha_input("def5678"), kShaError));
  for (unsigned i = 5; i < 8; ++i) ev.push_back(s.ok(kShaTool, sha_input(full_sha(i))));
  return ev;
}

}  // namespace

TEST_SUITE("detector") {
  TEST_CASE("a short SHA among full-SHA successes: one PARAMETER_FORMAT observation per failure, a shape check") {
    const auto events = sha_session();
    const auto r = detect(events);
    REQUIRE(r.observations.size() == 2);
    const Event& f1 = events[5];
    const Event& f2 = events[7];
    for (std::size_t i = 0; i < 2; ++i) {
      const Observation& o = r.observations[i];
      const Event& f = i == 0 ? f1 : f2;
      CAPTURE(pat::to_json(o).dump());
      CHECK(o.id == pat::content_hash("observation\x1f" + f.id));
      CHECK(o.events == std::vector<std::string>{f.id});
      CHECK(o.ts == f.ts);
      CHECK(o.session == "sess-sha");
      CHECK(o.tool == kShaTool);
      CHECK(o.category == Category::parameter_format);
      CHECK(o.template_text == pat::failure_template(kShaError));
      CHECK(o.mistake["all"] == json::parse(R"([{"part":{"param":"sha"},"shape":"hex{7}"}])"));
      CHECK_FALSE(o.root_cause.empty());
      CHECK(o.root_cause.find("40 hex characters") != std::string::npos);
      CHECK_FALSE(o.prevention.empty());
      // The check matches the failing calls and none of the successful ones.
      CHECK(pat_test::input_matches(o.mistake, f.input));
      for (const auto& e : events)
        if (e.tool == kShaTool && e.outcome == pat::Outcome::success)
          CHECK_FALSE(pat_test::input_matches(o.mistake, e.input));
    }
    // Both failures of one group share the learned mistake and its explanation.
    CHECK(r.observations[0].mistake == r.observations[1].mistake);
    CHECK(r.observations[0].root_cause == r.observations[1].root_cause);
    CHECK(r.stats.events == events.size());
    CHECK(r.stats.failures == 2);
    CHECK(r.stats.usage_mistakes == 2);
    CHECK(r.stats.unexplained == 0);
    CHECK(r.stats.duplicates == 0);
    CHECK(r.stats.observations == 2);
    CHECK(r.stats.other_errors.empty());
  }

  TEST_CASE("observation ids are stable across two Detector runs over the same events") {
    const auto events = sha_session();
    const auto a = detect(events);
    const auto b = detect(events);
    REQUIRE(a.observations.size() == 2);
    REQUIRE(b.observations.size() == a.observations.size());
    for (std::size_t i = 0; i < a.observations.size(); ++i) {
      CHECK(a.observations[i].id == b.observations[i].id);
      CHECK(pat::to_json(a.observations[i]) == pat::to_json(b.observations[i]));
    }
    CHECK(a.observations[0].id != a.observations[1].id);
  }

  TEST_CASE("failures that are not usage mistakes yield no observation and are counted by class") {
    Session s("sess-net");
    std::vector<Event> ev;
    ev.push_back(s.ok("Bash", {{"command", "curl -s https://example.com"}}));
    ev.push_back(s.fail("Bash", {{"command", "curl -s https://x"}}, "curl: (6) Could not resolve host: x"));
    ev.push_back(s.fail("Bash", {{"command", "curl -s https://y"}}, "curl: (6) Could not resolve host: y"));
    ev.push_back(s.fail("Bash", {{"command", "sleep 999"}}, "Command timed out after 2m 0.0s"));
    ev.push_back(s.fail("Bash", {{"command", "rm -rf build"}}, "[Request interrupted by user for tool use]"));
    ev.push_back(s.ok("Bash", {{"command", "curl -s https://example.org"}}));
    const auto r = detect(ev);
    CHECK(r.observations.empty());
    CHECK(r.stats.failures == 4);
    CHECK(r.stats.usage_mistakes == 0);
    CHECK(r.stats.observations == 0);
    CHECK(r.stats.other_errors.at("network") == 2);
    CHECK(r.stats.other_errors.at("timeout") == 1);
    CHECK(r.stats.other_errors.at("interrupted") == 1);
    CHECK(r.stats.other_errors.size() == 3);
  }

  TEST_CASE("a failure nothing explains yields no observation; one without an error text is noise") {
    Session s("sess-grep");
    std::vector<Event> ev;
    for (int i = 0; i < 3; ++i) ev.push_back(s.ok("Bash", {{"command", "grep -rn foo src" + std::to_string(i)}}));
    ev.push_back(s.fail("Bash", {{"command", "grep -rn nothing-here src"}}, ""));
    ev.push_back(s.fail("Bash", {{"command", "diff a b"}}, "3c3\n< one\n---\n> two"));
    const auto r = detect(ev);
    CHECK(r.observations.empty());
    CHECK(r.stats.failures == 2);
    CHECK(r.stats.usage_mistakes == 0);
    CHECK(r.stats.other_errors.at("no_error_text") == 1);
    // diff never succeeded, but one failure whose error does not name it is no evidence that
    // running diff is a mistake.
    CHECK(r.stats.unexplained == 1);
    CHECK(r.stats.unexplained_templates.size() == 1);
  }

  TEST_CASE("Edit without an earlier Read of the same file_path: a requires-Read mistake") {
    Session s("sess-edit");
    std::vector<Event> ev;
    ev.push_back(s.ok("Read", read("/src/a.cpp")));
    ev.push_back(s.ok("Edit", edit("/src/a.cpp")));
    ev.push_back(s.ok("Read", read("/src/b.cpp")));
    ev.push_back(s.ok("Edit", edit("/src/b.cpp")));
    ev.push_back(s.fail("Edit", edit("/src/c.cpp"), kNotRead));
    ev.push_back(s.ok("Read", read("/src/c.cpp")));
    ev.push_back(s.ok("Edit", edit("/src/c.cpp")));
    ev.push_back(s.ok("Read", read("/src/d.cpp")));
    ev.push_back(s.ok("Edit", edit("/src/d.cpp")));
    // One failure is no recurring mistake yet: it waits.
    const auto once = detect(ev);
    CHECK(once.observations.empty());
    CHECK(once.stats.unexplained == 1);
    ev.push_back(s.fail("Edit", edit("/src/e.cpp"), kNotRead));
    const auto r = detect(ev);
    REQUIRE(r.observations.size() == 2);
    const Observation& o = r.observations.front();
    CAPTURE(pat::to_json(o).dump());
    CHECK(o.tool == "Edit");
    CHECK(o.category == Category::workflow_sequence);
    CHECK(o.mistake["all"] == json::parse(R"([{"session":"lacks","tool":"Read","same":"file_path"}])"));
    CHECK(o.id == pat::content_hash("observation\x1f" + ev[4].id));
    REQUIRE_FALSE(o.prevention.empty());
    CHECK(o.prevention.front().action.find("Read") != std::string::npos);
    CHECK(o.prevention.front().action.find("file_path") != std::string::npos);
    CHECK(o.root_cause.find("Read") != std::string::npos);
    // A requirement is checked against the session, not the input: check_matches never fires.
    CHECK_FALSE(pat_test::input_matches(o.mistake, ev[4].input));
    // The recovery (Read of the same file, then Edit) is the fix, seen once.
    bool fix_seen = false;
    for (const auto& p : o.prevention)
      if (p.reason.find("recovered this way once") != std::string::npos) fix_seen = true;
    CHECK(fix_seen);
  }

  TEST_CASE("Write of a file not read: the later Read tells the file was there, new files need no Read") {
    Session s("sess-write");
    std::vector<Event> ev;
    const auto write = [](const std::string& path) { return json{{"file_path", path}, {"content", "x"}}; };
    const auto created = [&](const std::string& path) {
      Event e = s.ok("Write", write(path));
      e.extra["tool_response"] = {{"type", "create"}, {"filePath", path}};
      return e;
    };
    for (const char* path : {"/src/new1.md", "/src/new2.md", "/src/new3.md"}) ev.push_back(created(path));
    ev.push_back(s.ok("Read", read("/src/old1.md")));
    ev.push_back(s.ok("Write", write("/src/old1.md")));
    for (const char* path : {"/src/old2.md", "/src/old3.md"}) {
      ev.push_back(s.fail("Write", write(path), kNotRead));
      ev.push_back(s.ok("Read", read(path)));
      ev.push_back(s.ok("Write", write(path)));
    }
    const auto r = detect(ev);
    REQUIRE(r.observations.size() == 2);
    CAPTURE(pat::to_json(r.observations.front()).dump());
    CHECK(
        r.observations.front().mistake["all"] ==
        json::parse(
            R"([{"part":{"param":"file_path"},"path":"file"},{"session":"lacks","tool":"Read","same":"file_path"}])"));
  }

  TEST_CASE("three recoveries with the same fix: the first prevention step is that fix, 3 times") {
    Session s("sess-fix");
    std::vector<Event> ev;
    for (unsigned i = 0; i < 4; ++i) ev.push_back(s.ok(kShaTool, sha_input(full_sha(i))));
    const char* shorts[] = {"abc1234", "def5678", "0a1b2c3"};
    for (unsigned i = 0; i < 3; ++i) {
      ev.push_back(s.fail(kShaTool, sha_input(shorts[i]), kShaError));
      ev.push_back(s.ok("Bash", {{"command", "git rev-parse " + std::string(shorts[i])}}));
      ev.push_back(s.ok(kShaTool, sha_input(full_sha(10 + i))));  // the recovery
    }
    const auto r = detect(ev);
    REQUIRE(r.observations.size() == 3);
    for (const auto& o : r.observations) {
      CAPTURE(pat::to_json(o).dump());
      REQUIRE_FALSE(o.prevention.empty());
      CHECK(o.prevention.front().action == "Pass `sha` as 40 hex characters");
      CHECK(o.prevention.front().reason.find("3 times") != std::string::npos);
    }
  }

  TEST_CASE("fewer than three recoveries: the fix is a later step, the first says what to check") {
    Session s("sess-fix2");
    std::vector<Event> ev;
    for (unsigned i = 0; i < 4; ++i) ev.push_back(s.ok(kShaTool, sha_input(full_sha(i))));
    ev.push_back(s.fail(kShaTool, sha_input("abc1234"), kShaError));
    ev.push_back(s.ok(kShaTool, sha_input(full_sha(20))));
    ev.push_back(s.fail(kShaTool, sha_input("def5678"), kShaError));  // never recovered
    const auto r = detect(ev);
    REQUIRE(r.observations.size() == 2);
    const auto& steps = r.observations.front().prevention;
    REQUIRE(steps.size() == 2);
    CHECK(steps.front().reason.find("recovered") == std::string::npos);
    CHECK(steps.back().action == "pass `sha` as 40 hex characters");
    CHECK(steps.back().reason.find("once") != std::string::npos);
  }

  TEST_CASE("context_only events produce no observations but inform the contrast") {
    // An earlier run: the tool's successes (full SHAs) and a failure already reported then.
    Session old("sess-old");
    std::vector<Event> context;
    for (unsigned i = 0; i < 6; ++i) context.push_back(old.ok(kShaTool, sha_input(full_sha(i))));
    context.push_back(old.fail(kShaTool, sha_input("1a2b3c4"), kShaError));

    // Alone, the context yields nothing.
    {
      Detector d(classifier());
      for (const auto& e : context) d.add(e, pat::Detector::Role::context);
      std::vector<Observation> obs;
      std::vector<pat::Candidate> cands;
      d.finish(obs, cands);
      CHECK(obs.empty());
      CHECK(d.stats().failures == 0);
      CHECK(d.stats().usage_mistakes == 0);
    }

    // This run: only failures, nothing to contrast them with.
    Session now("sess-new", 100);
    std::vector<Event> events = {now.fail(kShaTool, sha_input("abc1234"), kShaError),
                                 now.fail(kShaTool, sha_input("def5678"), kShaError)};
    const auto without = detect(events);
    const auto with = detect(events, context);
    REQUIRE(with.observations.size() == 2);
    for (const auto& o : with.observations) {
      CAPTURE(pat::to_json(o).dump());
      // Only this run's failures are observed...
      CHECK((o.events.front() == events[0].id || o.events.front() == events[1].id));
      // ...with a check learned against the context's successes.
      CHECK(o.mistake["all"][0]["shape"] == "hex{7}");
      CHECK(o.root_cause.find("40 hex characters") != std::string::npos);
    }
    CHECK(with.stats.failures == 2);
    // Without the context nothing separates them: no check, so no observation.
    CHECK(without.observations.empty());
    CHECK(without.stats.unexplained == 2);
  }

  TEST_CASE("a call seen twice (same tool_use_id and outcome) counts once") {
    auto events = sha_session();
    std::vector<Event> doubled;
    for (const auto& e : events) {
      doubled.push_back(e);
      if (e.outcome == pat::Outcome::failure || e.tool == "Bash") {
        Event twin = e;  // the transcript's copy of the hook's event
        twin.source = "claude-transcript";
        twin.id = pat::content_hash("transcript\x1f" + e.id);
        doubled.push_back(twin);
      }
    }
    const auto once = detect(events);
    const auto twice = detect(doubled);
    CHECK(twice.stats.duplicates == 3);
    CHECK(twice.stats.events == once.stats.events);
    CHECK(twice.stats.failures == 2);
    REQUIRE(twice.observations.size() == 2);
    for (std::size_t i = 0; i < 2; ++i)
      CHECK(pat::to_json(twice.observations[i]) == pat::to_json(once.observations[i]));

    // The same tool_use_id with another outcome is another event; without a tool_use_id nothing is
    // a duplicate.
    Session s("sess-x");
    Event a = s.ok("Bash", {{"command", "ls"}});
    Event b = a;
    b.outcome = pat::Outcome::failure;
    b.error = "ls: cannot access 'x': No such file or directory";
    Event c = s.ok("Bash", {{"command", "pwd"}});
    c.tool_use_id.clear();
    const auto r = detect({a, b, c, c});
    CHECK(r.stats.duplicates == 0);
    CHECK(r.stats.events == 4);
  }

  TEST_CASE("SessionEnd forgets the session") {
    Session s("sess-end");
    const Event call = s.fail("Bash", {{"command", "curl https://x"}}, "curl: (6) Could not resolve host: x");
    const Event end = s.end();
    // Without SessionEnd in between, the repeat is a duplicate; after it, the session is new.
    const auto kept = detect({call, call});
    CHECK(kept.stats.duplicates == 1);
    CHECK(kept.stats.other_errors.at("network") == 1);
    const auto forgotten = detect({call, end, call});
    CHECK(forgotten.stats.duplicates == 0);
    CHECK(forgotten.stats.other_errors.at("network") == 2);
    // SessionEnd itself is no tool call.
    CHECK(forgotten.stats.events == 2);

    // A failure is not recovered by a call made after its session ended.
    Session t("sess-rec");
    std::vector<Event> ev;
    for (unsigned i = 0; i < 4; ++i) ev.push_back(t.ok(kShaTool, sha_input(full_sha(i))));
    ev.push_back(t.fail(kShaTool, sha_input("abc1234"), kShaError));
    ev.push_back(t.fail(kShaTool, sha_input("def5678"), kShaError));
    ev.push_back(t.end());
    ev.push_back(t.ok(kShaTool, sha_input(full_sha(30))));
    const auto r = detect(ev);
    REQUIRE(r.observations.size() == 2);
    for (const auto& p : r.observations.front().prevention) CHECK(p.reason.find("recovered") == std::string::npos);

    // What the session ran before it ended no longer counts as run earlier: an Edit after the end
    // has no Read of its file before it.
    Session u("sess-read");
    std::vector<Event> w;
    w.push_back(u.ok("Read", read("/src/a.cpp")));
    w.push_back(u.ok("Edit", edit("/src/a.cpp")));
    w.push_back(u.ok("Read", read("/src/b.cpp")));
    w.push_back(u.ok("Edit", edit("/src/b.cpp")));
    w.push_back(u.ok("Read", read("/src/c.cpp")));
    w.push_back(u.end());
    w.push_back(u.fail("Edit", edit("/src/c.cpp"), kNotRead));
    w.push_back(u.fail("Edit", edit("/src/c.cpp"), kNotRead));
    const auto rr = detect(w);
    REQUIRE(rr.observations.size() == 2);
    CHECK(rr.observations.front().mistake["all"] ==
          json::parse(R"([{"session":"lacks","tool":"Read","same":"file_path"}])"));
  }

  TEST_CASE("events without a tool or an outcome are not tool calls") {
    Session s("sess-misc");
    Event prompt = s.ok("", json::object());
    prompt.event = "UserPromptSubmit";
    Event pre = s.ok("Bash", {{"command", "ls"}});
    pre.event = "PreToolUse";
    pre.outcome = pat::Outcome::unknown;
    const auto r = detect({prompt, pre});
    CHECK(r.stats.events == 0);
    CHECK(r.observations.empty());
  }

}  // TEST_SUITE
