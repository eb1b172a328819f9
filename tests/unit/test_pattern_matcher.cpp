#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "check/pattern_matcher.hpp"
#include "check/tool_call.hpp"
#include "records/pattern.hpp"
#include "store/pattern_store.hpp"
#include "store/store.hpp"
#include "unit_helpers.hpp"
#include "util/content_hash.hpp"

using pat::Decision;
using pat::json;
using pat::Level;
using pat::Pattern;
using pat::ToolCall;
using pat::Verdict;

namespace {

constexpr const char* kShowCommit = "mcp__git__show_commit";
constexpr const char* kFullSha = "0123456789abcdef0123456789abcdef01234567";

json value_check(const std::string& param, const std::vector<std::string>& values) {
  return {{"param", param}, {"check", {{"type", "value"}, {"values", values}}}};
}

json requires_check(const std::string& tool, const std::string& same, bool unless_new_file = false) {
  json r = {{"tool", tool}, {"same", same}};
  if (unless_new_file) r["unless"] = "new_file";
  return {{"requires", r}};
}

// A stored pattern as patlearn would leave it; the matcher reads only the indexed columns
// (tool, status, confidence, mistake) until a pattern matches, then its words from the record.
Pattern pattern(const std::string& id, const std::string& tool, double confidence, const json& mistake) {
  Pattern p;
  p.base.id = id;
  p.base.tool = tool;
  p.base.category = pat::Category::parameter_format;
  p.base.template_text = "failure of " + id;
  p.base.mistake = mistake;
  p.base.root_cause = "root cause of " + id;
  p.base.prevention = {{"prevent " + id, "because of " + id, 3}};
  p.observations = 12;
  p.confidence = confidence;
  p.level = pat::level_for(confidence);
  p.first_seen = p.last_seen = "2026-02-25T16:09:44.068Z";
  return p;
}

// A store in a temporary directory with patterns and events put in directly.
struct Fixture {
  pat_test::TempDir tmp;
  std::unique_ptr<pat::Store> store = pat::Store::open(pat::StoreOptions{tmp / "pat.db", 10000, false});

  void save(const Pattern& p) {
    pat::Store::Transaction tx(*store);
    pat::PatternStore(*store).save(p, "test");
    tx.commit();
  }

  // A finished call as a PostToolUse hook reports it (session_ran reads these rows).
  void event(const std::string& name, const std::string& session, const std::string& tool, pat::Outcome outcome,
             const json& input) {
    pat::Event e;
    e.id = pat::content_hash("event\x1f" + name);
    e.ts = "2026-02-25T16:09:44.068Z";
    e.source = "claude-hook";
    e.session = session;
    e.event = outcome == pat::Outcome::success ? "PostToolUse" : "PostToolUseFailure";
    e.tool = tool;
    e.tool_use_id = "toolu_" + name;
    e.outcome = outcome;
    json details = {{"input", input}};
    if (outcome == pat::Outcome::failure) details["error"] = "it failed";
    pat::Store::Transaction tx(*store);
    REQUIRE(store->insert_event(e, details.dump()) == pat::InsertResult::stored);
    tx.commit();
  }

  Verdict check(const ToolCall& c, pat::CheckOptions options = {}) {
    return pat::PatternMatcher(*store, options).check(c);
  }
};

ToolCall call(const std::string& tool, const json& input, const std::string& session = "sess-1") {
  ToolCall c;
  c.tool = tool;
  c.input = input;
  c.session = session;
  c.tool_use_id = "toolu_now";
  return c;
}

std::vector<std::string> matched_ids(const Verdict& v) {
  std::vector<std::string> ids;
  for (const auto& m : v.matches) ids.push_back(m.pattern);
  return ids;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_SUITE("pattern_matcher") {
  TEST_CASE("a value check of the call's tool matches the bad call and not the good one") {
    Fixture f;
    f.save(pattern("p-value", kShowCommit, 0.80, value_check("sha", {"abc1234"})));

    const Verdict bad = f.check(call(kShowCommit, {{"sha", "abc1234"}}));
    CHECK(bad.tool == kShowCommit);
    CHECK(bad.tool_use_id == "toolu_now");
    CHECK(bad.decision == Decision::warn);
    REQUIRE(bad.matches.size() == 1);
    CHECK(bad.matches[0].pattern == "p-value");
    CHECK(bad.matches[0].confidence == 0.80);
    CHECK(bad.matches[0].observations == 12);

    const Verdict good = f.check(call(kShowCommit, {{"sha", kFullSha}}));
    CHECK(good.decision == Decision::allow);
    CHECK(good.matches.empty());
    CHECK_FALSE(good.level.has_value());
  }

  TEST_CASE("shape, program and flag checks match the calls they describe and no others") {
    Fixture f;
    f.save(pattern("p-shape", kShowCommit, 0.80,
                   {{"param", "sha"}, {"check", {{"type", "shape"}, {"shape", "hex"}, {"length", 7}}}}));
    f.save(pattern("p-program", "Bash", 0.80,
                   {{"param", "command"}, {"check", {{"type", "program"}, {"program", "just"}}}}));
    f.save(pattern("p-flag", "Bash", 0.80,
                   {{"param", "command"}, {"check", {{"type", "flag"}, {"program", "git"}, {"flag", "--force"}}}}));

    // A short SHA never seen before still has the learned shape.
    CHECK(matched_ids(f.check(call(kShowCommit, {{"sha", "deadbee"}}))) == std::vector<std::string>{"p-shape"});
    CHECK(f.check(call(kShowCommit, {{"sha", kFullSha}})).matches.empty());

    CHECK(matched_ids(f.check(call("Bash", {{"command", "cd src && just build"}}))) ==
          std::vector<std::string>{"p-program"});
    CHECK(matched_ids(f.check(call("Bash", {{"command", "git push --force origin main"}}))) ==
          std::vector<std::string>{"p-flag"});
    CHECK(f.check(call("Bash", {{"command", "make build"}})).matches.empty());
    CHECK(f.check(call("Bash", {{"command", "git push origin main"}})).matches.empty());
  }

  TEST_CASE("patterns of other tools, archived patterns and patterns under min_confidence are not considered") {
    Fixture f;
    const json mistake = value_check("sha", {"abc1234"});
    f.save(pattern("p-other-tool", "mcp__git__diff", 0.90, mistake));
    Pattern archived = pattern("p-archived", kShowCommit, 0.90, mistake);
    archived.status = pat::PatternStatus::archived;
    f.save(archived);
    f.save(pattern("p-low", kShowCommit, 0.74, mistake));

    const ToolCall bad = call(kShowCommit, {{"sha", "abc1234"}});
    CHECK(f.check(bad).matches.empty());
    CHECK(f.check(bad).decision == Decision::allow);

    // min_confidence is inclusive, and lowering it brings the low pattern in (never the others).
    pat::CheckOptions lower;
    lower.min_confidence = 0.74;
    CHECK(matched_ids(f.check(bad, lower)) == std::vector<std::string>{"p-low"});
    f.save(pattern("p-at-min", kShowCommit, 0.75, mistake));
    CHECK(matched_ids(f.check(bad)) == std::vector<std::string>{"p-at-min"});
  }

  TEST_CASE("matches are ordered by confidence, highest first, ties by id") {
    Fixture f;
    const json mistake = value_check("sha", {"abc1234"});
    // Saved in an order that is neither the confidence nor the id order.
    f.save(pattern("p-c", kShowCommit, 0.80, mistake));
    f.save(pattern("p-a", kShowCommit, 0.80, mistake));
    f.save(pattern("p-z", kShowCommit, 0.90, mistake));
    f.save(pattern("p-b", kShowCommit, 0.76, mistake));
    const Verdict v = f.check(call(kShowCommit, {{"sha", "abc1234"}}));
    CHECK(matched_ids(v) == std::vector<std::string>{"p-z", "p-a", "p-c", "p-b"});
    // The decision and level follow the highest match.
    CHECK(v.decision == Decision::warn);
    CHECK(v.level == Level::high);
  }

  TEST_CASE("decision: warn below block_at, block at or above it") {
    Fixture f;
    const json mistake = value_check("sha", {"abc1234"});
    const ToolCall bad = call(kShowCommit, {{"sha", "abc1234"}});

    SUBCASE("default block_at 0.95") {
      f.save(pattern("p-under", kShowCommit, 0.9499, mistake));
      CHECK(f.check(bad).decision == Decision::warn);
      f.save(pattern("p-at", kShowCommit, 0.95, mistake));
      const Verdict v = f.check(bad);
      CHECK(v.decision == Decision::block);
      CHECK(v.level == Level::critical);
      CHECK(matched_ids(v) == std::vector<std::string>{"p-at", "p-under"});
    }
    SUBCASE("a lower block_at") {
      f.save(pattern("p", kShowCommit, 0.80, mistake));
      pat::CheckOptions o;
      o.block_at = 0.80;
      CHECK(f.check(bad, o).decision == Decision::block);
      o.block_at = 0.81;
      CHECK(f.check(bad, o).decision == Decision::warn);
    }
  }

  TEST_CASE("the level follows the LevelThresholds of the options") {
    Fixture f;
    f.save(pattern("p", kShowCommit, 0.80, value_check("sha", {"abc1234"})));
    const ToolCall bad = call(kShowCommit, {{"sha", "abc1234"}});
    CHECK(f.check(bad).level == Level::medium);  // defaults: medium 0.75, high 0.85
    pat::CheckOptions o;
    o.levels.medium = 0.50;
    o.levels.high = 0.70;
    o.levels.critical = 0.90;
    CHECK(f.check(bad, o).level == Level::high);
    o.levels.critical = 0.80;
    CHECK(f.check(bad, o).level == Level::critical);
    // The level names the confidence; blocking is block_at's alone.
    CHECK(f.check(bad, o).decision == Decision::warn);
  }

  TEST_CASE("root cause and prevention come from the matching patterns' records") {
    Fixture f;
    f.save(pattern("p-hit", kShowCommit, 0.80, value_check("sha", {"abc1234"})));
    f.save(pattern("p-miss", kShowCommit, 0.90, value_check("sha", {"fff0000"})));
    const Verdict v = f.check(call(kShowCommit, {{"sha", "abc1234"}}));
    REQUIRE(v.matches.size() == 1);
    const auto& m = v.matches[0];
    CHECK(m.pattern == "p-hit");
    CHECK(m.root_cause == "root cause of p-hit");
    REQUIRE(m.prevention.size() == 1);
    CHECK(m.prevention[0].action == "prevent p-hit");
    CHECK(m.prevention[0].reason == "because of p-hit");
  }

  TEST_CASE("a requires check matches until the session ran the required tool successfully on the same value") {
    Fixture f;
    f.save(pattern("p-read-first", "Edit", 0.80, requires_check("Read", "file_path")));
    const ToolCall edit = call("Edit", {{"file_path", "/src/a.cpp"}, {"old_string", "x"}});
    CHECK(matched_ids(f.check(edit)) == std::vector<std::string>{"p-read-first"});

    // None of these is a successful Read of the same file in the same session.
    f.event("other-file", "sess-1", "Read", pat::Outcome::success, {{"file_path", "/src/b.cpp"}});
    f.event("failed-read", "sess-1", "Read", pat::Outcome::failure, {{"file_path", "/src/a.cpp"}});
    f.event("other-session", "sess-2", "Read", pat::Outcome::success, {{"file_path", "/src/a.cpp"}});
    f.event("other-tool", "sess-1", "Grep", pat::Outcome::success, {{"file_path", "/src/a.cpp"}});
    CHECK(matched_ids(f.check(edit)) == std::vector<std::string>{"p-read-first"});

    f.event("the-read", "sess-1", "Read", pat::Outcome::success, {{"file_path", "/src/a.cpp"}});
    CHECK(f.check(edit).matches.empty());
    CHECK(f.check(edit).decision == Decision::allow);
    // sess-2 has its own successful Read of the file.
    CHECK(f.check(call("Edit", {{"file_path", "/src/a.cpp"}}, "sess-2")).matches.empty());
    // A session that read nothing still matches.
    CHECK(f.check(call("Edit", {{"file_path", "/src/a.cpp"}}, "sess-3")).matches.size() == 1);
    // Without a session the history cannot be judged: the call goes through.
    CHECK(f.check(call("Edit", {{"file_path", "/src/a.cpp"}}, "")).matches.empty());
  }

  TEST_CASE("unless new_file: a file that does not exist needs no Read, an existing one does") {
    Fixture f;
    f.save(pattern("p-read-existing", "Write", 0.80, requires_check("Read", "file_path", true)));
    const pat_test::fs::path missing = f.tmp / "new.txt";
    const pat_test::fs::path existing = f.tmp / "old.txt";
    pat_test::write_file(existing, "old\n");
    REQUIRE_FALSE(pat_test::fs::exists(missing));

    CHECK(f.check(call("Write", {{"file_path", missing.string()}, {"content", "x"}})).matches.empty());
    CHECK(f.check(call("Write", {{"file_path", existing.string()}, {"content", "x"}})).matches.size() == 1);

    // A relative path is taken from the call's cwd.
    ToolCall relative = call("Write", {{"file_path", "old.txt"}, {"content", "x"}});
    relative.cwd = f.tmp.path().string();
    CHECK(f.check(relative).matches.size() == 1);
    relative.input["file_path"] = "new.txt";
    CHECK(f.check(relative).matches.empty());
  }

  TEST_CASE("a pattern whose mistake JSON is malformed is skipped, the others still match") {
    Fixture f;
    const json mistake = value_check("sha", {"abc1234"});
    f.save(pattern("p-broken", kShowCommit, 0.90, mistake));
    f.save(pattern("p-good", kShowCommit, 0.80, mistake));
    // The matcher parses only the mistake column; break it there.
    f.store->db().exec("UPDATE patterns SET mistake = '{\"param\": \"sha\", \"check\": ' WHERE id = 'p-broken'");
    Verdict v;
    CHECK_NOTHROW(v = f.check(call(kShowCommit, {{"sha", "abc1234"}})));
    CHECK(matched_ids(v) == std::vector<std::string>{"p-good"});
    CHECK(v.level == Level::medium);  // from p-good, not from the skipped 0.90
  }

  TEST_CASE("verdict_message: blocked or warning, with the root causes and prevention steps") {
    Verdict v;
    v.tool = kShowCommit;
    v.decision = Decision::warn;
    pat::VerdictMatch m;
    m.pattern = "0123456789abcdef0123";
    m.confidence = 0.80;
    m.observations = 12;
    m.root_cause = "A value in the wrong format: `sha` is 7 hex characters.";
    m.prevention = {{"Pass `sha` as 40 hex characters", "the full SHA works", 3}};
    v.matches.push_back(m);

    const std::string warn = pat::verdict_message(v);
    CHECK(contains(warn, "warning"));
    CHECK_FALSE(contains(warn, "blocked"));
    CHECK(contains(warn, kShowCommit));
    CHECK(contains(warn, m.root_cause));
    CHECK(contains(warn, "Prevention: Pass `sha` as 40 hex characters (the full SHA works)"));
    CHECK(contains(warn, "confidence 0.80"));
    CHECK(contains(warn, "medium level"));
    CHECK(contains(warn, "seen 12 times"));
    CHECK(contains(warn, "pattern 0123456789ab"));  // the id cut to 12 characters
    CHECK_FALSE(contains(warn, "0123456789abc"));

    v.decision = Decision::block;
    const std::string block = pat::verdict_message(v);
    CHECK(contains(block, "blocked"));
    CHECK_FALSE(contains(block, "warning"));
    CHECK(contains(block, m.root_cause));

    // The level in words follows the thresholds given.
    pat::LevelThresholds t;
    t.high = 0.79;
    CHECK(contains(pat::verdict_message(v, t), "high level"));
  }

  TEST_CASE("verdict_message: cut to max_chars with \"\\n[...]\", never longer") {
    Verdict v;
    v.tool = "Bash";
    v.decision = Decision::warn;
    for (int i = 0; i < 20; ++i) {
      pat::VerdictMatch m;
      m.pattern = "pattern-" + std::to_string(i);
      m.confidence = 0.8;
      m.observations = 1;
      m.root_cause = std::string(100, 'r') + " é";  // a two-byte character: the cut must not split it
      m.prevention = {{std::string(50, 'p'), "", 0}};
      v.matches.push_back(m);
    }
    const std::string full = pat::verdict_message(v);
    REQUIRE(full.size() > 1000);
    CHECK(contains(full, "seen 1 time;"));
    CHECK(pat::verdict_message(v, {}, full.size()) == full);  // exactly the limit: not cut

    for (std::size_t max : {std::size_t{1000}, std::size_t{200}, std::size_t{137}, std::size_t{20}, std::size_t{6}}) {
      CAPTURE(max);
      const std::string cut = pat::verdict_message(v, {}, max);
      CHECK(cut.size() <= max);
      CHECK(cut.ends_with("\n[...]"));
      // What precedes the marker is the start of the full message.
      const std::string kept = cut.substr(0, cut.size() - 6);
      CHECK(full.starts_with(kept));
    }

    // A cut that would fall inside the two bytes of "é" steps back before it.
    const std::size_t e_at = full.find("é");
    REQUIRE(e_at != std::string::npos);
    const std::string inside = pat::verdict_message(v, {}, e_at + 1 + 6);
    CHECK(inside == full.substr(0, e_at) + "\n[...]");

    // Under the marker's own size there is room only for the start of the message.
    for (std::size_t max : {std::size_t{0}, std::size_t{3}, std::size_t{5}}) {
      CAPTURE(max);
      const std::string tiny = pat::verdict_message(v, {}, max);
      CHECK(tiny.size() <= max);
      CHECK(full.starts_with(tiny));
    }
  }

  TEST_CASE("tool_call_from_hook: a PreToolUse payload gives the call") {
    const auto h = pat::tool_call_from_hook({{"hook_event_name", "PreToolUse"},
                                             {"session_id", "sess-9"},
                                             {"tool_name", "Edit"},
                                             {"tool_use_id", "toolu_01"},
                                             {"cwd", "/home/u/project"},
                                             {"tool_input", {{"file_path", "a.cpp"}, {"old_string", "x"}}}});
    CHECK(h.problem.empty());
    CHECK(h.call.tool == "Edit");
    CHECK(h.call.session == "sess-9");
    CHECK(h.call.tool_use_id == "toolu_01");
    CHECK(h.call.cwd == "/home/u/project");
    CHECK(h.call.input == json{{"file_path", "a.cpp"}, {"old_string", "x"}});
  }

  TEST_CASE("tool_call_from_hook: odd field types do not throw, missing names are problems") {
    SUBCASE("a numeric session id is taken as its text") {
      pat::HookCall h;
      CHECK_NOTHROW(h = pat::tool_call_from_hook({{"hook_event_name", "PreToolUse"},
                                                  {"session_id", 12345},
                                                  {"tool_name", "Bash"},
                                                  {"tool_input", {{"command", "ls"}}}}));
      CHECK(h.problem.empty());
      CHECK(h.call.session == "12345");
      CHECK(h.call.tool == "Bash");
    }
    SUBCASE("tool_input that is not an object leaves an empty input") {
      const auto h =
          pat::tool_call_from_hook({{"hook_event_name", "PreToolUse"}, {"tool_name", "Bash"}, {"tool_input", "ls"}});
      CHECK(h.problem.empty());
      CHECK(h.call.input == json::object());
    }
    SUBCASE("no tool_name") {
      const auto h = pat::tool_call_from_hook({{"hook_event_name", "PreToolUse"}, {"session_id", "s"}});
      CHECK_FALSE(h.problem.empty());
    }
    SUBCASE("no hook_event_name") {
      const auto h =
          pat::tool_call_from_hook({{"session_id", "s"}, {"tool_name", "Bash"}, {"tool_input", json::object()}});
      CHECK_FALSE(h.problem.empty());
    }
    SUBCASE("not an object") { CHECK_FALSE(pat::tool_call_from_hook(json::array({1, 2})).problem.empty()); }
  }

  TEST_CASE("tool_call_from_record: a tool string is required, other fields of another type are absent") {
    const auto full = pat::tool_call_from_record(
        {{"tool", "Read"}, {"input", {{"file_path", "/a"}}}, {"session", "s1"}, {"tool_use_id", "u1"}, {"cwd", "/w"}});
    CHECK(full.problem.empty());
    CHECK(full.call.tool == "Read");
    CHECK(full.call.input == json{{"file_path", "/a"}});
    CHECK(full.call.session == "s1");
    CHECK(full.call.tool_use_id == "u1");
    CHECK(full.call.cwd == "/w");

    CHECK_FALSE(pat::tool_call_from_record({{"input", {{"file_path", "/a"}}}}).problem.empty());
    CHECK_FALSE(pat::tool_call_from_record({{"tool", 7}}).problem.empty());
    CHECK_FALSE(pat::tool_call_from_record({{"tool", nullptr}}).problem.empty());
    CHECK_FALSE(pat::tool_call_from_record(json("Read")).problem.empty());

    const auto odd = pat::tool_call_from_record(
        {{"tool", "Read"}, {"session", 42}, {"tool_use_id", json::array()}, {"cwd", false}, {"input", "x"}});
    CHECK(odd.problem.empty());
    CHECK(odd.call.tool == "Read");
    CHECK(odd.call.session.empty());
    CHECK(odd.call.tool_use_id.empty());
    CHECK(odd.call.cwd.empty());
    CHECK(odd.call.input == json::object());
  }

}  // TEST_SUITE
