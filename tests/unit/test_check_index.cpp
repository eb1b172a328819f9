#include <memory>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "check/check_index.hpp"
#include "check/pattern_matcher.hpp"
#include "records/pattern.hpp"
#include "store/pattern_store.hpp"
#include "store/session_facts.hpp"
#include "store/store.hpp"
#include "unit_helpers.hpp"

using pat::CheckIndex;
using pat::json;
using pat::Pattern;
using pat::ToolCall;

namespace {

Pattern pattern(const std::string& id, const std::string& tool, double confidence, const json& all) {
  Pattern p;
  p.base.id = id;
  p.base.tool = tool;
  p.base.category = pat::Category::incorrect_parameter;
  p.base.template_text = "failure of " + id;
  p.base.mistake = {{"all", all}};
  p.base.root_cause = "root cause of " + id;
  p.observations = 12;
  p.confidence = confidence;
  p.level = pat::level_for(confidence);
  p.first_seen = p.last_seen = "2026-02-25T16:09:44.068Z";
  return p;
}

json in(const json& part, const std::vector<std::string>& values) { return {{"part", part}, {"in", values}}; }
json param(const std::string& name) { return {{"param", name}}; }
json shell(const std::string& what, const std::string& program = "") {
  json p = {{"param", "command"}, {"shell", what}};
  if (!program.empty()) p["program"] = program;
  return p;
}

// `npm` run in a directory where the session ran no `npm install` before.
Pattern npm_without_install() {
  return pattern("init", "Bash", 0.9,
                 json::array({in(shell("program"), {"npm"}),
                              {{"session", "lacks"},
                               {"tool", "Bash"},
                               {"program", "npm"},
                               {"subcommand", "install"},
                               {"same_cwd", true}}}));
}

struct Fixture {
  pat_test::TempDir tmp;
  pat_test::fs::path db = tmp / "pat.db";
  std::unique_ptr<pat::Store> store = pat::Store::open(pat::StoreOptions{db, 10000, false});

  void save(const std::vector<Pattern>& patterns) {
    pat::Store::Transaction tx(*store);
    for (const auto& p : patterns) pat::PatternStore(*store).save(p, "test");
    tx.commit();
  }
  std::unique_ptr<CheckIndex> rebuilt() {
    REQUIRE(pat::rebuild_check_index(*store));
    auto index = CheckIndex::open(db);
    REQUIRE(index != nullptr);
    return index;
  }
  // A successful call of the session, as patlog --hook leaves it in the session's file.
  void ran(const std::string& session, const std::string& tool, const json& input, const std::string& cwd = "/w") {
    pat::Event e;
    e.session = session;
    e.tool = tool;
    e.input = input;
    e.cwd = cwd;
    e.outcome = pat::Outcome::success;
    REQUIRE(pat::append_session_facts(db, session, pat::facts_line(pat::facts_of(e))));
  }
};

std::vector<std::string> ids_of(const CheckIndex& index, const std::string& tool) {
  std::vector<std::string> ids;
  index.for_tool(tool, [&](const pat::IndexedCheck& c) {
    ids.emplace_back(c.id);
    return true;
  });
  return ids;
}

ToolCall call(const std::string& tool, const json& input, const std::string& session = "s1") {
  ToolCall c;
  c.tool = tool;
  c.input = input;
  c.session = session;
  c.cwd = "/w";
  return c;
}

}  // namespace

TEST_SUITE("check_index") {
  TEST_CASE("the index lists the active checks of each tool, highest confidence first, whatever the tool's name") {
    Fixture f;
    const json all = json::array({in(param("x"), {"bad"})});
    std::vector<Pattern> ps;
    const std::vector<std::string> tools = {"Read",        "ReadX",     "Rea", "a\tb",
                                            "back\\slash", "new\nline", "Z",   "mcp__s__t"};
    for (std::size_t i = 0; i < tools.size(); ++i) {
      ps.push_back(pattern("lo-" + std::to_string(i), tools[i], 0.80, all));
      ps.push_back(pattern("hi-" + std::to_string(i), tools[i], 0.90, all));
    }
    Pattern archived = pattern("archived", "Read", 0.99, all);
    archived.status = pat::PatternStatus::archived;
    ps.push_back(archived);
    f.save(ps);
    const auto index = f.rebuilt();
    for (std::size_t i = 0; i < tools.size(); ++i) {
      CAPTURE(tools[i]);
      CHECK(ids_of(*index, tools[i]) == std::vector<std::string>{"hi-" + std::to_string(i), "lo-" + std::to_string(i)});
    }
    CHECK(ids_of(*index, "R").empty());
    CHECK(ids_of(*index, "Reads").empty());
    CHECK(ids_of(*index, "zzz").empty());
    CHECK(ids_of(*index, "").empty());
  }

  TEST_CASE("an id with a tab or a line end (an imported pattern's) keeps every line whole") {
    Fixture f;
    const json all = json::array({in(param("x"), {"bad"})});
    f.save({pattern("odd\nid\there", "M", 0.9, all), pattern("a", "A", 0.9, all), pattern("z", "Z", 0.9, all)});
    const auto index = f.rebuilt();
    CHECK(ids_of(*index, "M") == std::vector<std::string>{"odd\\nid\\there"});
    CHECK(ids_of(*index, "A") == std::vector<std::string>{"a"});
    CHECK(ids_of(*index, "Z") == std::vector<std::string>{"z"});
    CHECK_FALSE(pat::index_clears(*index, call("M", {{"x", "bad"}}), 0.75));
  }

  TEST_CASE("a session file never says ran where the store does not: a value that is not a string") {
    Fixture f;
    f.save({pattern("read", "Edit", 0.9, json::array({{{"session", "lacks"}, {"tool", "Read"}, {"same", "all"}}}))});
    const auto index = f.rebuilt();
    f.ran("s1", "Read", {{"file_path", "/w/a.cpp"}, {"all", true}});
    const ToolCall edit = call("Edit", {{"file_path", "/w/a.cpp"}, {"all", true}});
    CHECK_FALSE(pat::index_clears(*index, edit, 0.75));
  }

  TEST_CASE("a commit that writes patterns removes the index, and a rolled-back one keeps it") {
    Fixture f;
    f.save({pattern("p1", "Read", 0.9, json::array({in(param("x"), {"bad"})}))});
    REQUIRE(pat::rebuild_check_index(*f.store));
    REQUIRE(pat_test::fs::exists(f.store->check_index_path()));
    {
      pat::Store::Transaction tx(*f.store);
      pat::PatternStore(*f.store).save(pattern("p2", "Read", 0.9, json::array({in(param("x"), {"worse"})})), "test");
    }  // rolled back
    CHECK(pat_test::fs::exists(f.store->check_index_path()));
    const auto before = f.store->pattern_generation();
    f.save({pattern("p2", "Read", 0.9, json::array({in(param("x"), {"worse"})}))});
    CHECK_FALSE(pat_test::fs::exists(f.store->check_index_path()));
    CHECK(f.store->check_index_removed());
    CHECK(f.store->pattern_generation() == before + 1);
    CHECK(CheckIndex::open(f.db) == nullptr);
    CHECK(ids_of(*f.rebuilt(), "Read") == std::vector<std::string>{"p1", "p2"});
  }

  TEST_CASE("an index built before a later commit of patterns is not put in place") {
    Fixture f;
    f.save({pattern("p1", "Read", 0.9, json::array({in(param("x"), {"bad"})}))});
    const auto content = pat::build_check_index(*f.store);
    f.save({pattern("p2", "Read", 0.9, json::array({in(param("x"), {"worse"})}))});
    CHECK_FALSE(pat::install_check_index(*f.store, content));
    CHECK_FALSE(pat_test::fs::exists(f.store->check_index_path()));
    CHECK(pat::install_check_index(*f.store, pat::build_check_index(*f.store)));
  }

  TEST_CASE("an index of another store file, or one that is not whole, is not used") {
    Fixture f;
    f.save({pattern("p1", "Read", 0.9, json::array({in(param("x"), {"bad"})}))});
    REQUIRE(pat::rebuild_check_index(*f.store));
    const std::string text = pat_test::read_file(f.store->check_index_path());
    // Beside a copy of the store (another file): not this store's index.
    pat_test::fs::copy_file(f.db, f.tmp / "copy.db");
    pat_test::write_file(f.tmp / "copy.db.checks", text);
    CHECK(CheckIndex::open(f.tmp / "copy.db") == nullptr);
    // Cut anywhere before its end line, or emptied: not whole.
    for (const std::size_t keep : {std::size_t{0}, std::size_t{10}, text.size() / 2, text.size() - 1}) {
      CAPTURE(keep);
      pat_test::write_file(f.store->check_index_path(), text.substr(0, keep));
      CHECK(CheckIndex::open(f.db) == nullptr);
    }
    pat_test::write_file(f.store->check_index_path(), text);
    CHECK(CheckIndex::open(f.db) != nullptr);
  }

  TEST_CASE("index_clears: never a call that the store's matcher would match, and the others without the store") {
    Fixture f;
    pat_test::write_file(f.tmp / "file.txt", "x");
    const std::string dir = f.tmp.path().string();
    f.save({
        pattern("value", "T", 0.9, json::array({in(param("sha"), {"abc1234", "bee4"})})),
        pattern("shape", "T", 0.9, json::array({{{"part", param("n")}, {"shape", "digits{9}"}}})),
        pattern("missing", "T", 0.9, json::array({{{"param", "need"}, {"is", "missing"}}, in(param("mode"), {"x"})})),
        pattern("program", "Bash", 0.9, json::array({in(shell("program"), {"quillctl"})})),
        pattern("flag", "Bash", 0.9, json::array({in(shell("flag", "git"), {"--force"})})),
        pattern("path", "Read", 0.9, json::array({{{"part", param("file_path")}, {"path", "directory"}}})),
        pattern("low", "T", 0.5, json::array({in(param("sha"), {"low"})})),
        npm_without_install(),
        // Values with the bytes the index escapes, and the kinds of predicate left.
        pattern("escaped", "U", 0.9, json::array({in(param("q"), {"a\tb\\c\n12:x"})})),
        pattern("affix", "U", 0.9, json::array({{{"part", param("ref")}, {"prefix", "refs/\t"}}})),
        pattern("length", "U", 0.9, json::array({{{"part", param("msg")}, {"length", {0, 3}}}})),
    });
    const auto index = f.rebuilt();
    pat::PatternMatcher matcher(*f.store, pat::CheckOptions{});
    const std::vector<ToolCall> calls = {
        call("T", {{"sha", "abc1234"}}),
        call("T", {{"sha", "0123456789abcdef0123456789abcdef01234567"}}),
        call("T", {{"sha", "low"}}),
        call("T", {{"n", "123456789"}}),
        call("T", {{"n", "123456789012"}}),
        call("T", {{"mode", "x"}}),
        call("T", {{"mode", "x"}, {"need", "y"}}),
        call("Bash", {{"command", "quillctl deploy"}}),
        call("Bash", {{"command", "./quillctl deploy"}}),
        call("Bash", {{"command", "git push --force origin main"}}),
        call("Bash", {{"command", "git push origin main && ls"}}),
        call("Bash", {{"command", "npm test"}}),
        call("Read", {{"file_path", dir}}),
        call("Read", {{"file_path", dir + "/file.txt"}}),
        call("Other", {{"sha", "abc1234"}}),
        call("U", {{"q", "a\tb\\c\n12:x"}}),
        call("U", {{"q", "a\tb\\c\n12:y"}}),
        call("U", {{"ref", "refs/\theads"}}),
        call("U", {{"ref", "refs/heads"}}),
        call("U", {{"msg", "ok"}}),
        call("U", {{"msg", "a longer message"}}),
    };
    std::size_t cleared = 0, matched = 0;
    for (const auto& c : calls) {
      CAPTURE(c.input.dump());
      const bool clear = pat::index_clears(*index, c, 0.75);
      const bool match = !matcher.check(c).matches.empty();
      CHECK_FALSE((clear && match));
      cleared += clear ? 1 : 0;
      matched += match ? 1 : 0;
    }
    // abc1234, 9 digits, mode without need, quillctl (not ./quillctl), --force, npm with no install
    // in the session, a directory; the escaped value, the prefix with a tab, the short message.
    CHECK(matched == 10);
    CHECK(cleared == calls.size() - matched);
  }

  TEST_CASE("a session predicate is settled without the store when the session's file says it ran") {
    Fixture f;
    f.save(
        {npm_without_install(),
         pattern("read", "Edit", 0.9, json::array({{{"session", "lacks"}, {"tool", "Read"}, {"same", "file_path"}}}))});
    const auto index = f.rebuilt();
    const ToolCall npm_test = call("Bash", {{"command", "npm test"}});
    const ToolCall edit = call("Edit", {{"file_path", "/w/a.cpp"}});
    CHECK_FALSE(pat::index_clears(*index, npm_test, 0.75));
    CHECK_FALSE(pat::index_clears(*index, edit, 0.75));
    // What does not satisfy the predicates: another session, directory, subcommand, file, tool.
    f.ran("s2", "Bash", {{"command", "npm install"}});
    f.ran("s1", "Bash", {{"command", "npm install"}}, "/elsewhere");
    f.ran("s1", "Bash", {{"command", "npm ci"}});
    f.ran("s1", "Read", {{"file_path", "/w/b.cpp"}});
    f.ran("s1", "Grep", {{"file_path", "/w/a.cpp"}});
    CHECK_FALSE(pat::index_clears(*index, npm_test, 0.75));
    CHECK_FALSE(pat::index_clears(*index, edit, 0.75));
    f.ran("s1", "Bash", {{"command", "cd /w && npm install --no-audit"}});
    f.ran("s1", "Read", {{"file_path", "/w/a.cpp"}, {"limit", 20}});
    CHECK(pat::index_clears(*index, npm_test, 0.75));
    CHECK(pat::index_clears(*index, edit, 0.75));
    // No session: no history to judge by, as the store's matcher decides.
    CHECK(pat::index_clears(*index, call("Edit", {{"file_path", "/w/a.cpp"}}, ""), 0.75));
  }

  TEST_CASE("session facts: a line that cannot be read is left out, the others still answer") {
    Fixture f;
    f.ran("s1", "Read", {{"file_path", "/w/a.cpp"}});
    const auto file = pat::session_facts_directory(f.db) /
                      pat_test::fs::directory_iterator(pat::session_facts_directory(f.db))->path().filename();
    const std::string good = pat_test::read_file(file);
    pat_test::write_file(file, "zz not hex\n" + good + "1 2 3\n" + good.substr(0, 10));
    const auto facts = pat::SessionFacts::read(f.db, "s1");
    pat::SessionNeed need;
    need.tool = "Read";
    need.same = "file_path";
    need.same_value = "/w/a.cpp";
    CHECK(facts.ran(need));
    need.same_value = "/w/b.cpp";
    CHECK_FALSE(facts.ran(need));
    CHECK_FALSE(pat::SessionFacts::read(f.db, "s2").ran(pat::SessionNeed{"Read", "", "", std::nullopt, "", ""}));
  }
}
