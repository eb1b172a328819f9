#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "check_helpers.hpp"
#include "mistake/call_check.hpp"
#include "mistake/check.hpp"
#include "mistake/mistake_merge.hpp"
#include "mistake/signature.hpp"

using pat::AffixIs;
using pat::CallView;
using pat::Check;
using pat::json;
using pat::LengthIn;
using pat::ParamIs;
using pat::Part;
using pat::PathFact;
using pat::PathIs;
using pat::PathState;
using pat::Predicate;
using pat::SessionLacks;
using pat::ShapeIs;
using pat::ShellPart;
using pat::ValueIn;

namespace {

Part param(const std::string& name) { return Part{name, ShellPart::none, "", ""}; }
Part shell(ShellPart s, const std::string& program = "", const std::string& name = "") {
  return Part{"command", s, program, name};
}

ShapeIs shape(const Part& part, std::string_view text) {
  const auto s = pat::parse_signature(text);
  REQUIRE(s.has_value());
  return ShapeIs{part, *s};
}

Check check_of(std::vector<Predicate> all) {
  Check c;
  c.all = std::move(all);
  return c;
}

// A session and a file system the test sets up; what it was not told it cannot judge.
class FakeContext : public pat::CheckContext {
public:
  std::set<std::string> ran;  // session_feature()s of what the session ran
  bool session_known = true;
  std::map<std::string, PathState> paths;  // by the value as the call gives it
  std::vector<std::string> cwds;           // the call's cwd, for every path asked about

  std::optional<bool> session_ran(const SessionLacks& need, const CallView&) override {
    if (!session_known) return std::nullopt;
    return ran.count(pat::session_feature(need)) != 0;
  }
  std::optional<PathState> path_state(const std::string& path, const CallView& call) override {
    cwds.push_back(call.cwd());
    const auto it = paths.find(path);
    if (it == paths.end()) return std::nullopt;
    return it->second;
  }
};

bool holds_on(const Predicate& p, const json& input, pat::CheckContext& context, const std::string& cwd = "") {
  const CallView view(input, cwd);
  return pat::matches(check_of({p}), view, context);
}

bool holds_on(const Predicate& p, const json& input) {
  FakeContext none;
  return holds_on(p, input, none);
}

// The predicate's JSON is `expected`, and reading it back gives the same predicate.
void round_trip(const Predicate& p, const json& expected) {
  CAPTURE(expected.dump());
  CHECK(pat::to_json(p) == expected);
  const auto c = pat::check_from_json(json{{"all", json::array({expected})}});
  REQUIRE(c.has_value());
  REQUIRE(c->all.size() == 1);
  CHECK(c->all.front() == p);
  CHECK(pat::to_json(c->all.front()) == expected);
}

std::optional<Predicate> only_predicate(const json& mistake) {
  const auto c = pat::check_from_json(mistake);
  if (!c || c->all.size() != 1) return std::nullopt;
  return c->all.front();
}

bool reads(const json& predicate) { return pat::check_from_json(json{{"all", json::array({predicate})}}).has_value(); }

constexpr const char* kPipeline =
    "cd /repo && NODE_ENV=production npm run build --mode fast | tee build.log && git push --force origin main";

}  // namespace

TEST_SUITE("check") {
  TEST_CASE("JSON: ParamIs, missing and present") {
    round_trip(ParamIs{"repo_path", true}, json::parse(R"({"param":"repo_path","is":"missing"})"));
    round_trip(ParamIs{"limit", false}, json::parse(R"({"param":"limit","is":"present"})"));
  }

  TEST_CASE("JSON: ValueIn, of a parameter and of every shell part") {
    round_trip(ValueIn{param("sha"), {"abc1234", "def5678"}},
               json::parse(R"({"part":{"param":"sha"},"in":["abc1234","def5678"]})"));
    round_trip(ValueIn{shell(ShellPart::program), {"tusk"}},
               json::parse(R"({"part":{"param":"command","shell":"program"},"in":["tusk"]})"));
    round_trip(ValueIn{shell(ShellPart::subcommand, "git"), {"pushh"}},
               json::parse(R"({"part":{"param":"command","shell":"subcommand","program":"git"},"in":["pushh"]})"));
    round_trip(ValueIn{shell(ShellPart::flag, "zapper"), {"--force"}},
               json::parse(R"({"part":{"param":"command","shell":"flag","program":"zapper"},"in":["--force"]})"));
    round_trip(ValueIn{shell(ShellPart::flag_value, "zapper", "--timeout"), {"0"}},
               json::parse(R"({"part":{"param":"command","shell":"flag_value","program":"zapper","name":"--timeout"},
                               "in":["0"]})"));
    round_trip(ValueIn{shell(ShellPart::argument, "gizmo"), {"all"}},
               json::parse(R"({"part":{"param":"command","shell":"argument","program":"gizmo"},"in":["all"]})"));
    round_trip(ValueIn{shell(ShellPart::env, "npm", "NODE_ENV"), {"prod"}},
               json::parse(R"({"part":{"param":"command","shell":"env","program":"npm","name":"NODE_ENV"},
                               "in":["prod"]})"));
    // A shell part of any program.
    round_trip(ValueIn{shell(ShellPart::flag), {"-rf"}},
               json::parse(R"({"part":{"param":"command","shell":"flag"},"in":["-rf"]})"));
  }

  TEST_CASE("JSON: a value set is read sorted and without duplicates, numbers and booleans as text") {
    const auto p = only_predicate(json::parse(R"({"all":[{"part":{"param":"n"},"in":["b","a","b",7,true]}]})"));
    REQUIRE(p.has_value());
    CHECK(*p == Predicate(ValueIn{param("n"), {"7", "a", "b", "true"}}));
  }

  TEST_CASE("JSON: ShapeIs, LengthIn (with and without an upper bound), AffixIs") {
    round_trip(shape(param("sha"), "hex{7}"), json::parse(R"({"part":{"param":"sha"},"shape":"hex{7}"})"));
    round_trip(shape(param("date"), "digits{2}/digits{2}/digits{4}"),
               json::parse(R"({"part":{"param":"date"},"shape":"digits{2}/digits{2}/digits{4}"})"));
    round_trip(shape(param("k"), "\\{lower{1,3}\\}"),
               json::parse(R"({"part":{"param":"k"},"shape":"\\{lower{1,3}\\}"})"));
    round_trip(LengthIn{param("id"), 8, 11}, json::parse(R"({"part":{"param":"id"},"length":[8,11]})"));
    round_trip(LengthIn{param("title"), 73, std::nullopt},
               json::parse(R"({"part":{"param":"title"},"length":[73,null]})"));
    round_trip(LengthIn{param("x"), 0, 0}, json::parse(R"({"part":{"param":"x"},"length":[0,0]})"));
    round_trip(AffixIs{param("file_path"), false, "/tmp/"},
               json::parse(R"({"part":{"param":"file_path"},"prefix":"/tmp/"})"));
    round_trip(AffixIs{param("file_path"), true, ".docx"},
               json::parse(R"({"part":{"param":"file_path"},"suffix":".docx"})"));
  }

  TEST_CASE("JSON: PathIs of every fact, bytes only for larger_than") {
    round_trip(PathIs{param("file_path"), PathFact::directory, 0},
               json::parse(R"({"part":{"param":"file_path"},"path":"directory"})"));
    round_trip(PathIs{param("file_path"), PathFact::missing, 0},
               json::parse(R"({"part":{"param":"file_path"},"path":"missing"})"));
    round_trip(PathIs{param("file_path"), PathFact::file, 0},
               json::parse(R"({"part":{"param":"file_path"},"path":"file"})"));
    round_trip(PathIs{param("file_path"), PathFact::larger_than, 262144},
               json::parse(R"({"part":{"param":"file_path"},"path":"larger_than","bytes":262144})"));
    round_trip(PathIs{shell(ShellPart::argument, "cat"), PathFact::missing, 0},
               json::parse(R"({"part":{"param":"command","shell":"argument","program":"cat"},"path":"missing"})"));
  }

  TEST_CASE("JSON: SessionLacks with each of its qualifiers") {
    round_trip(SessionLacks{"Read", "", "", "", false}, json::parse(R"({"session":"lacks","tool":"Read"})"));
    round_trip(SessionLacks{"Read", "", "", "file_path", false},
               json::parse(R"({"session":"lacks","tool":"Read","same":"file_path"})"));
    round_trip(SessionLacks{"Bash", "pip", "", "", false},
               json::parse(R"({"session":"lacks","tool":"Bash","program":"pip"})"));
    round_trip(SessionLacks{"Bash", "pip", "install", "", true},
               json::parse(R"({"session":"lacks","tool":"Bash","program":"pip","subcommand":"install",
                               "same_cwd":true})"));
    round_trip(SessionLacks{"Bash", "npm", "ci", "command", true},
               json::parse(R"({"session":"lacks","tool":"Bash","program":"npm","subcommand":"ci","same":"command",
                               "same_cwd":true})"));
    // same_cwd false is the absence of the key.
    const auto p = only_predicate(json::parse(R"({"all":[{"session":"lacks","tool":"Read","same_cwd":false}]})"));
    REQUIRE(p.has_value());
    CHECK(*p == Predicate(SessionLacks{"Read", "", "", "", false}));
  }

  TEST_CASE("JSON: a whole check with its usual form and separation reads back identically") {
    Check c = check_of(
        {ParamIs{"repo_path", false}, shape(param("sha"), "hex{7}"), SessionLacks{"Bash", "git", "fetch", "", true}});
    c.usual = "40 hex characters";
    c.separation = pat::Separation{3, 3, 12, 0};
    const json j = pat::to_json(c);
    CHECK(j["usual"] == "40 hex characters");
    CHECK(j["separation"] ==
          json::parse(R"({"failing":3,"failing_matched":3,"successful":12,"successful_matched":0})"));
    CHECK(j["all"].size() == 3);
    const auto back = pat::check_from_json(j);
    REQUIRE(back.has_value());
    CHECK(back->all == c.all);
    CHECK(back->usual == c.usual);
    REQUIRE(back->separation.has_value());
    CHECK(back->separation->failing == 3);
    CHECK(back->separation->failing_matched == 3);
    CHECK(back->separation->successful == 12);
    CHECK(back->separation->successful_matched == 0);
    CHECK(pat::to_json(*back) == j);
    // Without them, neither is written.
    const json bare = pat::to_json(check_of({ParamIs{"x", true}}));
    CHECK_FALSE(bare.contains("usual"));
    CHECK_FALSE(bare.contains("separation"));
    CHECK_FALSE(pat::check_from_json(bare)->separation.has_value());
  }

  TEST_CASE("JSON: records of the earlier form are read into the same predicates") {
    const auto one = [](const char* text) { return only_predicate(json::parse(text)); };
    CHECK(one(R"({"param":"repo_path","check":{"type":"missing"}})") == Predicate(ParamIs{"repo_path", true}));
    CHECK(one(R"({"param":"sha","check":{"type":"value","values":["def5678","abc1234"]}})") ==
          Predicate(ValueIn{param("sha"), {"abc1234", "def5678"}}));
    CHECK(one(R"({"param":"sha","check":{"type":"shape","shape":"hex","length":7}})") ==
          Predicate(shape(param("sha"), "hex{7}")));
    CHECK(one(R"({"param":"id","check":{"type":"shape","shape":"digits","min_length":8,"max_length":12}})") ==
          Predicate(shape(param("id"), "digits{8,12}")));
    CHECK(one(R"({"param":"id","check":{"type":"shape","shape":"uuid"}})") ==
          Predicate(shape(param("id"), "hex{8}-hex{4}-hex{4}-hex{4}-hex{12}")));
    CHECK(one(R"({"param":"file_path","check":{"type":"path","prefix":"/tmp/"}})") ==
          Predicate(AffixIs{param("file_path"), false, "/tmp/"}));
    CHECK(one(R"({"param":"command","check":{"type":"program","program":"tusk"}})") ==
          Predicate(ValueIn{shell(ShellPart::program), {"tusk"}}));
    CHECK(one(R"({"param":"command","check":{"type":"subcommand","program":"git","subcommand":"pushh"}})") ==
          Predicate(ValueIn{shell(ShellPart::subcommand, "git"), {"pushh"}}));
    CHECK(one(R"({"param":"command","check":{"type":"flag","program":"zapper","flag":"--force"}})") ==
          Predicate(ValueIn{shell(ShellPart::flag, "zapper"), {"--force"}}));
    CHECK(one(R"({"requires":{"tool":"Read","same":"file_path"}})") ==
          Predicate(SessionLacks{"Read", "", "", "file_path", false}));
    CHECK(one(R"({"requires":{"tool":"Read"}})") == Predicate(SessionLacks{"Read", "", "", "", false}));

    // "Any of these tools will do": no earlier call of any of them.
    const auto any = pat::check_from_json(json::parse(R"({"requires":{"tool":["Read","Grep"],"same":"file_path"}})"));
    REQUIRE(any.has_value());
    CHECK(any->all == std::vector<Predicate>{SessionLacks{"Read", "", "", "file_path", false},
                                             SessionLacks{"Grep", "", "", "file_path", false}});
    // A new file needs no Read: the check holds only for a file that is there.
    const auto unless =
        pat::check_from_json(json::parse(R"({"requires":{"tool":"Read","same":"file_path","unless":"new_file"}})"));
    REQUIRE(unless.has_value());
    CHECK(unless->all == std::vector<Predicate>{SessionLacks{"Read", "", "", "file_path", false},
                                                PathIs{param("file_path"), PathFact::file, 0}});
    // The usual form and the separation of an earlier record are read too.
    const auto with = pat::check_from_json(json::parse(
        R"({"param":"sha","check":{"type":"missing"},"usual":"a SHA","separation":{"failing":2,"successful":5}})"));
    REQUIRE(with.has_value());
    CHECK(with->usual == "a SHA");
    REQUIRE(with->separation.has_value());
    CHECK(with->separation->failing == 2);
    CHECK(with->separation->successful == 5);
    CHECK(with->separation->failing_matched == 0);
  }

  TEST_CASE("JSON: earlier records that say nothing a predicate can hold are not read") {
    for (const char* text : {
             R"({"param":"x","check":{"type":"shape","shape":"word"}})",
             R"({"param":"x","check":{"type":"shape","shape":"url","length":3}})",
             R"({"param":"x","check":{"type":"shape","shape":"hex","min_length":9,"max_length":3}})",
             R"({"param":"x","check":{"type":"value","values":[]}})",
             R"({"param":"x","check":{"type":"value"}})",
             R"({"param":"x","check":{"type":"path"}})",
             R"({"param":"x","check":{"type":"path","prefix":""}})",
             R"({"param":"command","check":{"type":"program"}})",
             R"({"param":"command","check":{"type":"flag","program":"zapper"}})",
             R"({"param":"x","check":{"type":"telepathy"}})",
             R"({"param":"x","check":{}})",
             R"({"param":"","check":{"type":"missing"}})",
             R"({"check":{"type":"missing"}})",
             R"({"param":"x"})",
             R"({"requires":{}})",
             R"({"requires":{"tool":""}})",
             R"({"requires":{"tool":["A","B","C","D"]}})",
         }) {
      CAPTURE(text);
      CHECK_FALSE(pat::check_from_json(json::parse(text)).has_value());
    }
  }

  TEST_CASE("JSON: malformed predicates and unknown kinds give nullopt") {
    // The check itself.
    for (const char* text :
         {R"(null)", R"([])", R"("all")", R"(7)", R"({})", R"({"all":[]})", R"({"all":{}})", R"({"all":"x"})"}) {
      CAPTURE(text);
      CHECK_FALSE(pat::check_from_json(json::parse(text)).has_value());
    }
    // More predicates than a check holds.
    json four = {{"all", json::array()}};
    for (int i = 0; i < 4; ++i) four["all"].push_back({{"param", "p" + std::to_string(i)}, {"is", "missing"}});
    CHECK_FALSE(pat::check_from_json(four).has_value());
    four["all"].erase(3);
    CHECK(pat::check_from_json(four).has_value());

    for (const char* text : {
             R"({"telepathy":true})",
             R"([1])",
             R"("missing")",
             R"({"param":"x","is":"maybe"})",
             R"({"param":"","is":"missing"})",
             R"({"is":"missing"})",
             R"({"part":{"param":"x"}})",
             R"({"part":{"param":"x"},"unlike":["a"]})",
             R"({"part":{"param":""},"in":["a"]})",
             R"({"part":"x","in":["a"]})",
             R"({"part":{"param":"command","shell":"pipe"},"in":["a"]})",
             R"({"part":{"param":"command","shell":""},"in":["a"]})",
             R"({"part":{"param":"command","shell":"flag_value","program":"zapper"},"in":["a"]})",
             R"({"part":{"param":"command","shell":"env","program":"npm"},"in":["a"]})",
             R"({"part":{"param":"x"},"in":[]})",
             R"({"part":{"param":"x"},"in":"a"})",
             R"({"part":{"param":"x"},"in":[{"a":1}]})",
             R"({"part":{"param":"x"},"in":[null]})",
             R"({"part":{"param":"x"},"in":[["a"]]})",
             R"({"part":{"param":"x"},"shape":"hex{0}"})",
             R"({"part":{"param":"x"},"shape":"hex"})",
             R"({"part":{"param":"x"},"shape":7})",
             R"({"part":{"param":"x"},"length":[3]})",
             R"({"part":{"param":"x"},"length":[3,4,5]})",
             R"({"part":{"param":"x"},"length":[5,3]})",
             R"({"part":{"param":"x"},"length":[-1,3]})",
             R"({"part":{"param":"x"},"length":[null,3]})",
             R"({"part":{"param":"x"},"length":["3",null]})",
             R"({"part":{"param":"x"},"length":[1.5,null]})",
             R"({"part":{"param":"x"},"length":3})",
             R"({"part":{"param":"x"},"prefix":""})",
             R"({"part":{"param":"x"},"suffix":""})",
             R"({"part":{"param":"x"},"path":"socket"})",
             R"({"part":{"param":"x"},"path":"larger_than"})",
             R"({"part":{"param":"x"},"path":"larger_than","bytes":-5})",
             R"({"part":{"param":"x"},"path":"larger_than","bytes":"5"})",
             R"({"session":"has","tool":"Read"})",
             R"({"session":"lacks"})",
             R"({"session":"lacks","tool":""})",
             R"({"session":"lacks","tool":"Bash","subcommand":"install"})",
         }) {
      CAPTURE(text);
      CHECK_FALSE(reads(json::parse(text)));
    }
    // One bad predicate spoils the check: it never half-matches.
    CHECK_FALSE(pat::check_from_json(
                    json::parse(R"({"all":[{"param":"x","is":"missing"},{"part":{"param":"x"},"path":"socket"}]})"))
                    .has_value());
    // A too long value set.
    json many = json::array();
    for (std::size_t i = 0; i <= pat::kMaxValues; ++i) many.push_back("v" + std::to_string(i));
    CHECK_FALSE(reads({{"part", {{"param", "x"}}}, {"in", many}}));
    many.erase(many.size() - 1);
    CHECK(reads({{"part", {{"param", "x"}}}, {"in", many}}));
    // An unmatchable check lets every call through.
    CHECK_FALSE(pat_test::input_matches(json::parse(R"({"all":[{"telepathy":true}]})"), {{"x", "a"}}));
  }

  TEST_CASE("part_of: the part a predicate reads") {
    CHECK(pat::part_of(ParamIs{"x", true}) == nullptr);
    CHECK(pat::part_of(SessionLacks{"Read", "", "", "", false}) == nullptr);
    const Predicate v = ValueIn{shell(ShellPart::flag, "zapper"), {"--force"}};
    REQUIRE(pat::part_of(v) != nullptr);
    CHECK(*pat::part_of(v) == shell(ShellPart::flag, "zapper"));
    CHECK(*pat::part_of(PathIs{param("file_path"), PathFact::file, 0}) == param("file_path"));
  }

  TEST_CASE("matches: ParamIs, missing is absent, null or empty") {
    const ParamIs missing{"repo_path", true};
    CHECK(holds_on(missing, json::object()));
    CHECK(holds_on(missing, {{"repo_path", nullptr}}));
    CHECK(holds_on(missing, {{"repo_path", ""}}));
    CHECK(holds_on(missing, {{"other", "x"}}));
    CHECK_FALSE(holds_on(missing, {{"repo_path", "/work/repo"}}));
    CHECK_FALSE(holds_on(missing, {{"repo_path", 0}}));
    CHECK_FALSE(holds_on(missing, {{"repo_path", false}}));
    CHECK_FALSE(holds_on(missing, {{"repo_path", json::array()}}));
    const ParamIs present{"repo_path", false};
    CHECK(holds_on(present, {{"repo_path", "/work/repo"}}));
    CHECK_FALSE(holds_on(present, {{"repo_path", ""}}));
    CHECK_FALSE(holds_on(present, json::object()));
    // An input that is not an object has no parameters.
    CHECK(holds_on(missing, json::array({1, 2})));
    CHECK_FALSE(holds_on(present, "repo_path"));
  }

  TEST_CASE("matches: ValueIn, ShapeIs, LengthIn and AffixIs on a parameter's value") {
    const ValueIn values{param("sha"), {"abc1234", "def5678"}};
    CHECK(holds_on(values, {{"sha", "abc1234"}}));
    CHECK(holds_on(values, {{"sha", "def5678"}}));
    CHECK_FALSE(holds_on(values, {{"sha", "0a1b2c3"}}));
    CHECK_FALSE(holds_on(values, {{"sha", "ABC1234"}}));
    CHECK_FALSE(holds_on(values, json::object()));
    // Scalars as text; objects and arrays have no value.
    CHECK(holds_on(ValueIn{param("n"), {"7", "true"}}, {{"n", 7}}));
    CHECK(holds_on(ValueIn{param("n"), {"7", "true"}}, {{"n", true}}));
    CHECK_FALSE(holds_on(ValueIn{param("n"), {"7"}}, {{"n", json::array({"7"})}}));
    CHECK_FALSE(holds_on(ValueIn{param("n"), {"7"}}, {{"n", {{"7", 7}}}}));

    const ShapeIs short_sha = shape(param("sha"), "hex{7}");
    CHECK(holds_on(short_sha, {{"sha", "9f2c4e1"}}));
    CHECK(holds_on(short_sha, {{"sha", "1234567"}}));
    CHECK_FALSE(holds_on(short_sha, {{"sha", "0123456789abcdef0123456789abcdef01234567"}}));
    CHECK_FALSE(holds_on(short_sha, {{"sha", ""}}));
    CHECK_FALSE(holds_on(short_sha, json::object()));
    const ShapeIs us_date = shape(param("date"), "digits{2}/digits{2}/digits{4}");
    CHECK(holds_on(us_date, {{"date", "03/15/2026"}}));
    CHECK_FALSE(holds_on(us_date, {{"date", "2026-03-15"}}));

    const LengthIn bounded{param("id"), 8, 11};
    CHECK(holds_on(bounded, {{"id", "12345678"}}));
    CHECK(holds_on(bounded, {{"id", "12345678901"}}));
    CHECK_FALSE(holds_on(bounded, {{"id", "1234567"}}));
    CHECK_FALSE(holds_on(bounded, {{"id", "123456789012"}}));
    const LengthIn unbounded{param("title"), 73, std::nullopt};
    CHECK(holds_on(unbounded, {{"title", std::string(73, 'x')}}));
    CHECK(holds_on(unbounded, {{"title", std::string(100000, 'x')}}));
    CHECK_FALSE(holds_on(unbounded, {{"title", std::string(72, 'x')}}));
    // Lengths are in bytes: "é" is two.
    CHECK(holds_on(LengthIn{param("s"), 2, 2}, {{"s", "\xc3\xa9"}}));

    const AffixIs prefix{param("file_path"), false, "/tmp/"};
    CHECK(holds_on(prefix, {{"file_path", "/tmp/x.txt"}}));
    CHECK_FALSE(holds_on(prefix, {{"file_path", "/var/tmp/x.txt"}}));
    CHECK_FALSE(holds_on(prefix, {{"file_path", "/tm"}}));
    const AffixIs suffix{param("file_path"), true, ".docx"};
    CHECK(holds_on(suffix, {{"file_path", "/home/u/report.docx"}}));
    CHECK_FALSE(holds_on(suffix, {{"file_path", "/home/u/report.docx.md"}}));
    CHECK_FALSE(holds_on(suffix, {{"file_path", "/home/u/report.doc"}}));
  }

  TEST_CASE("matches: PathIs asks the context about each value, as the call gives it, with the call's cwd") {
    FakeContext ctx;
    ctx.paths["/repo/src"] = PathState{true, true, 0};
    ctx.paths["/repo/gone.txt"] = PathState{false, false, 0};
    ctx.paths["/repo/small.txt"] = PathState{true, false, 100};
    ctx.paths["/repo/big.log"] = PathState{true, false, 262145};
    ctx.paths["/repo/edge.log"] = PathState{true, false, 262144};
    ctx.paths["notes.md"] = PathState{true, false, 10};
    const auto at = [](const char* path) { return json{{"file_path", path}}; };

    const PathIs directory{param("file_path"), PathFact::directory, 0};
    CHECK(holds_on(directory, at("/repo/src"), ctx));
    CHECK_FALSE(holds_on(directory, at("/repo/small.txt"), ctx));
    CHECK_FALSE(holds_on(directory, at("/repo/gone.txt"), ctx));

    const PathIs missing{param("file_path"), PathFact::missing, 0};
    CHECK(holds_on(missing, at("/repo/gone.txt"), ctx));
    CHECK_FALSE(holds_on(missing, at("/repo/src"), ctx));
    CHECK_FALSE(holds_on(missing, at("/repo/small.txt"), ctx));

    const PathIs file{param("file_path"), PathFact::file, 0};
    CHECK(holds_on(file, at("/repo/small.txt"), ctx));
    CHECK_FALSE(holds_on(file, at("/repo/src"), ctx));
    CHECK_FALSE(holds_on(file, at("/repo/gone.txt"), ctx));

    const PathIs larger{param("file_path"), PathFact::larger_than, 262144};
    CHECK(holds_on(larger, at("/repo/big.log"), ctx));
    CHECK_FALSE(holds_on(larger, at("/repo/edge.log"), ctx));  // over N bytes, not N
    CHECK_FALSE(holds_on(larger, at("/repo/small.txt"), ctx));
    CHECK_FALSE(holds_on(larger, at("/repo/src"), ctx));
    CHECK_FALSE(holds_on(larger, at("/repo/gone.txt"), ctx));

    // A relative path is asked about as written; the context has the call's cwd to resolve it.
    ctx.cwds.clear();
    CHECK(holds_on(file, at("notes.md"), ctx, "/repo"));
    CHECK(ctx.cwds == std::vector<std::string>{"/repo"});
    // No value, no question.
    ctx.cwds.clear();
    CHECK_FALSE(holds_on(missing, json::object(), ctx));
    CHECK_FALSE(holds_on(missing, at(""), ctx));
    CHECK(ctx.cwds.empty());
  }

  TEST_CASE("matches: a predicate that cannot be judged does not hold") {
    FakeContext ctx;  // knows no path
    const auto at = [](const char* path) { return json{{"file_path", path}}; };
    // Not even "missing": an unknown path is no evidence that nothing is there.
    for (const PathFact fact : {PathFact::directory, PathFact::missing, PathFact::file, PathFact::larger_than}) {
      CAPTURE(pat::path_fact_name(fact));
      CHECK_FALSE(holds_on(PathIs{param("file_path"), fact, 0}, at("/nowhere/known"), ctx));
    }
    ctx.session_known = false;
    CHECK_FALSE(holds_on(SessionLacks{"Read", "", "", "file_path", false}, at("/x"), ctx));
    CHECK_FALSE(holds_on(SessionLacks{"Read", "", "", "", false}, json::object(), ctx));
    // In a conjunction, the unknown part makes the whole check not match.
    Check c = check_of({ParamIs{"file_path", false}, SessionLacks{"Read", "", "", "file_path", false}});
    CHECK_FALSE(pat::matches(c, CallView(at("/x")), ctx));
    ctx.session_known = true;
    CHECK(pat::matches(c, CallView(at("/x")), ctx));
    // The context of the unit tests that knows nothing at all.
    pat_test::NoContext none;
    CHECK_FALSE(pat::matches(check_of({PathIs{param("file_path"), PathFact::missing, 0}}), CallView(at("/x")), none));
    CHECK_FALSE(pat::matches(check_of({SessionLacks{"Read", "", "", "", false}}), CallView(at("/x")), none));
  }

  TEST_CASE("matches: SessionLacks holds when the session did not run what it names") {
    FakeContext ctx;
    const SessionLacks read_same{"Read", "", "", "file_path", false};
    const json input = {{"file_path", "/repo/a.cpp"}};
    CHECK(holds_on(read_same, input, ctx));
    ctx.ran.insert("Read");  // a Read of some other file
    CHECK(holds_on(read_same, input, ctx));
    ctx.ran.insert(pat::session_feature(read_same));
    CHECK_FALSE(holds_on(read_same, input, ctx));

    const SessionLacks pip{"Bash", "pip", "install", "", true};
    CHECK(pat::session_feature(pip) ==
          "Bash\x1fprogram=pip install"
          "\x1fsame_cwd");
    CHECK(holds_on(pip, {{"command", "pytest -q"}}, ctx));
    ctx.ran.insert(pat::session_feature(pip));
    CHECK_FALSE(holds_on(pip, {{"command", "pytest -q"}}, ctx));
  }

  TEST_CASE("matches: the shell parts of a command line joined with && and a pipe") {
    const json call = {{"command", kPipeline}};
    // The program as written, of every simple command.
    CHECK(holds_on(ValueIn{shell(ShellPart::program), {"cd"}}, call));
    CHECK(holds_on(ValueIn{shell(ShellPart::program), {"npm"}}, call));
    CHECK(holds_on(ValueIn{shell(ShellPart::program), {"tee"}}, call));
    CHECK(holds_on(ValueIn{shell(ShellPart::program), {"git"}}, call));
    CHECK_FALSE(holds_on(ValueIn{shell(ShellPart::program), {"NODE_ENV=production"}}, call));
    CHECK_FALSE(holds_on(ValueIn{shell(ShellPart::program), {"build"}}, call));
    // Subcommands, of one program or of any.
    CHECK(holds_on(ValueIn{shell(ShellPart::subcommand, "git"), {"push"}}, call));
    CHECK(holds_on(ValueIn{shell(ShellPart::subcommand, "npm"), {"run"}}, call));
    CHECK(holds_on(ValueIn{shell(ShellPart::subcommand), {"push"}}, call));
    CHECK_FALSE(holds_on(ValueIn{shell(ShellPart::subcommand, "npm"), {"push"}}, call));
    CHECK_FALSE(holds_on(ValueIn{shell(ShellPart::subcommand, "git"), {"run"}}, call));
    // Flags.
    CHECK(holds_on(ValueIn{shell(ShellPart::flag, "git"), {"--force"}}, call));
    CHECK(holds_on(ValueIn{shell(ShellPart::flag, "npm"), {"--mode"}}, call));
    CHECK(holds_on(ValueIn{shell(ShellPart::flag), {"--force"}}, call));
    CHECK_FALSE(holds_on(ValueIn{shell(ShellPart::flag, "npm"), {"--force"}}, call));
    CHECK_FALSE(holds_on(ValueIn{shell(ShellPart::flag, "tee"), {"--mode"}}, call));
    // A flag's value.
    CHECK(holds_on(ValueIn{shell(ShellPart::flag_value, "npm", "--mode"), {"fast"}}, call));
    CHECK_FALSE(holds_on(ValueIn{shell(ShellPart::flag_value, "npm", "--mode"), {"slow"}}, call));
    CHECK_FALSE(holds_on(ValueIn{shell(ShellPart::flag_value, "npm", "--target"), {"fast"}}, call));
    CHECK_FALSE(holds_on(ValueIn{shell(ShellPart::flag_value, "git", "--mode"), {"fast"}}, call));
    // Arguments, the subcommand not among them.
    CHECK(holds_on(ValueIn{shell(ShellPart::argument, "git"), {"main"}}, call));
    CHECK(holds_on(ValueIn{shell(ShellPart::argument, "git"), {"origin"}}, call));
    CHECK(holds_on(ValueIn{shell(ShellPart::argument, "tee"), {"build.log"}}, call));
    CHECK(holds_on(ValueIn{shell(ShellPart::argument, "cd"), {"/repo"}}, call));
    CHECK_FALSE(holds_on(ValueIn{shell(ShellPart::argument, "git"), {"push"}}, call));
    CHECK_FALSE(holds_on(ValueIn{shell(ShellPart::argument, "git"), {"build.log"}}, call));
    // A variable set for one command.
    CHECK(holds_on(ValueIn{shell(ShellPart::env, "npm", "NODE_ENV"), {"production"}}, call));
    CHECK_FALSE(holds_on(ValueIn{shell(ShellPart::env, "npm", "NODE_ENV"), {"prod"}}, call));
    CHECK_FALSE(holds_on(ValueIn{shell(ShellPart::env, "git", "NODE_ENV"), {"production"}}, call));
    CHECK_FALSE(holds_on(ValueIn{shell(ShellPart::env, "npm", "NODE"), {"production"}}, call));
    // The other predicates on shell parts: one value that satisfies it is enough.
    CHECK(holds_on(AffixIs{shell(ShellPart::argument, "tee"), true, ".log"}, call));
    CHECK(holds_on(AffixIs{shell(ShellPart::env, "npm", "NODE_ENV"), false, "prod"}, call));
    CHECK(holds_on(LengthIn{shell(ShellPart::argument, "git"), 4, 4}, call));  // "main"
    CHECK_FALSE(holds_on(LengthIn{shell(ShellPart::argument, "git"), 5, 5}, call));
    CHECK(holds_on(shape(shell(ShellPart::argument, "tee"), "lower{5}.lower{3}"), call));
    // The same parts in a conjunction: git push --force.
    FakeContext none;
    CHECK(pat::matches(check_of({ValueIn{shell(ShellPart::subcommand, "git"), {"push"}},
                                 ValueIn{shell(ShellPart::flag, "git"), {"--force"}}}),
                       CallView(call), none));
    CHECK_FALSE(pat::matches(check_of({ValueIn{shell(ShellPart::subcommand, "git"), {"push"}},
                                       ValueIn{shell(ShellPart::flag, "git"), {"--force-with-lease"}}}),
                             CallView(call), none));
    // Shell parts of another parameter, or of a parameter that is no command line.
    CHECK_FALSE(holds_on(ValueIn{Part{"script", ShellPart::program, "", ""}, {"git"}}, call));
    CHECK_FALSE(holds_on(ValueIn{shell(ShellPart::program), {"git"}}, {{"command", 42}}));
  }

  TEST_CASE("matches: the program is as written; a program filter is by base name") {
    const json call = {{"command", "./bin/quillctl sync --dry-run && /usr/bin/git status"}};
    CHECK(holds_on(ValueIn{shell(ShellPart::program), {"./bin/quillctl"}}, call));
    CHECK_FALSE(holds_on(ValueIn{shell(ShellPart::program), {"quillctl"}}, call));
    CHECK(holds_on(ValueIn{shell(ShellPart::program), {"/usr/bin/git"}}, call));
    CHECK(holds_on(ValueIn{shell(ShellPart::flag, "quillctl"), {"--dry-run"}}, call));
    CHECK(holds_on(ValueIn{shell(ShellPart::subcommand, "quillctl"), {"sync"}}, call));
    CHECK(holds_on(ValueIn{shell(ShellPart::subcommand, "git"), {"status"}}, call));
  }

  TEST_CASE("matches: a check holds when all its predicates do; an empty check never") {
    FakeContext ctx;
    ctx.paths["/repo/src"] = PathState{true, true, 0};
    const json input = {{"file_path", "/repo/src"}, {"limit", 10}};
    const Predicate dir = PathIs{param("file_path"), PathFact::directory, 0};
    const Predicate limit = ValueIn{param("limit"), {"10"}};
    const Predicate offset = ParamIs{"offset", false};
    CHECK(pat::matches(check_of({dir}), CallView(input), ctx));
    CHECK(pat::matches(check_of({dir, limit}), CallView(input), ctx));
    CHECK_FALSE(pat::matches(check_of({dir, limit, offset}), CallView(input), ctx));
    CHECK_FALSE(pat::matches(check_of({}), CallView(input), ctx));
  }

  TEST_CASE("check_similarity: the scores the header lists") {
    const auto sim = [](std::vector<Predicate> a, std::vector<Predicate> b) {
      return pat::check_similarity(check_of(std::move(a)), check_of(std::move(b)));
    };
    const Predicate sha_a = ValueIn{param("sha"), {"abc1234"}};
    CHECK(sim({sha_a}, {sha_a}) == 1.0);
    // Value sets of one part.
    CHECK(sim({sha_a}, {ValueIn{param("sha"), {"def5678"}}}) == doctest::Approx(0.8));
    CHECK(sim({ValueIn{param("f"), {"a", "b"}}}, {ValueIn{param("f"), {"b", "c"}}}) == doctest::Approx(0.8 + 0.2 / 3));
    // Two programs are two mistakes: they stay apart.
    const double programs =
        sim({ValueIn{shell(ShellPart::program), {"tusk"}}}, {ValueIn{shell(ShellPart::program), {"quill"}}});
    CHECK(programs < 0.7);
    CHECK(programs <= 0.5);
    CHECK(sim({ValueIn{shell(ShellPart::program), {"quill", "tusk"}}},
              {ValueIn{shell(ShellPart::program), {"tusk"}}}) == doctest::Approx(0.9));
    // Shapes.
    CHECK(sim({shape(param("sha"), "hex{7}")}, {shape(param("sha"), "digits{8}")}) == doctest::Approx(0.9));
    CHECK(sim({shape(param("d"), "digits{2}/digits{2}/digits{4}")},
              {shape(param("d"), "digits{4}-digits{2}-digits{2}")}) == doctest::Approx(0.3));
    // A value set and a shape.
    CHECK(sim({ValueIn{param("sha"), {"abc1234", "def5678"}}}, {shape(param("sha"), "hex{7}")}) ==
          doctest::Approx(0.8));
    CHECK(sim({shape(param("sha"), "hex{7}")}, {ValueIn{param("sha"), {"abc1234", "main"}}}) == doctest::Approx(0.3));
    // Lengths, affixes, paths: the same part and kind.
    CHECK(sim({LengthIn{param("t"), 3, 5}}, {LengthIn{param("t"), 4, std::nullopt}}) >= 0.8);
    CHECK(sim({LengthIn{param("t"), 3, 5}}, {LengthIn{param("t"), 8, 10}}) == doctest::Approx(0.8));
    CHECK(sim({AffixIs{param("p"), false, "/tmp/"}}, {AffixIs{param("p"), false, "/tmp/x/"}}) >= 0.8);
    CHECK(sim({AffixIs{param("p"), false, "/tmp/"}}, {AffixIs{param("p"), false, "/var/"}}) == doctest::Approx(0.8));
    CHECK(sim({AffixIs{param("p"), false, ".log"}}, {AffixIs{param("p"), true, ".log"}}) == doctest::Approx(0.3));
    CHECK(sim({PathIs{param("p"), PathFact::larger_than, 10}}, {PathIs{param("p"), PathFact::larger_than, 99}}) >= 0.8);
    CHECK(sim({PathIs{param("p"), PathFact::directory, 0}}, {PathIs{param("p"), PathFact::missing, 0}}) ==
          doctest::Approx(0.3));
    // Sessions: the same tool with another "same".
    CHECK(sim({SessionLacks{"Read", "", "", "file_path", false}}, {SessionLacks{"Read", "", "", "path", false}}) ==
          doctest::Approx(0.8));
    CHECK(sim({SessionLacks{"Read", "", "", "file_path", false}}, {SessionLacks{"Grep", "", "", "file_path", false}}) ==
          doctest::Approx(0.0));
    // Anything else: 0.3 on the same part, 0 otherwise.
    CHECK(sim({ParamIs{"sha", true}}, {ParamIs{"sha", false}}) == doctest::Approx(0.3));
    CHECK(sim({ValueIn{param("sha"), {"7"}}}, {LengthIn{param("sha"), 1, 1}}) == doctest::Approx(0.3));
    CHECK(sim({ValueIn{param("sha"), {"abc1234"}}}, {ValueIn{param("ref"), {"abc1234"}}}) == doctest::Approx(0.0));
    CHECK(sim({ParamIs{"sha", true}}, {ValueIn{param("sha"), {"abc1234"}}}) == doctest::Approx(0.0));
    CHECK(sim({ValueIn{param("sha"), {"x"}}}, {SessionLacks{"Read", "", "", "", false}}) == doctest::Approx(0.0));
    // An empty check is like nothing.
    CHECK(sim({}, {sha_a}) == 0.0);
    CHECK(sim({}, {}) == 0.0);
  }

  TEST_CASE("check_similarity: the mean of every predicate's best partner, in both directions") {
    const Check one = check_of({ValueIn{param("sha"), {"abc1234"}}});
    const Check two = check_of({ValueIn{param("sha"), {"abc1234"}}, ParamIs{"repo_path", true}});
    CHECK(pat::check_similarity(one, two) == doctest::Approx(2.0 / 3.0));
    CHECK(pat::check_similarity(two, one) == doctest::Approx(2.0 / 3.0));
    const Check other = check_of({ValueIn{param("sha"), {"def5678"}}, ParamIs{"repo_path", true}});
    CHECK(pat::check_similarity(two, other) == doctest::Approx((0.8 + 1.0 + 0.8 + 1.0) / 4));
  }

  TEST_CASE("generalise: value sets united, signatures joined, bounds widened") {
    const auto gen = [](std::vector<Predicate> a, std::vector<Predicate> b) {
      return pat::generalise(check_of(std::move(a)), check_of(std::move(b))).all;
    };
    CHECK(gen({ValueIn{param("sha"), {"abc1234"}}}, {ValueIn{param("sha"), {"def5678"}}}) ==
          std::vector<Predicate>{ValueIn{param("sha"), {"abc1234", "def5678"}}});
    CHECK(gen({shape(param("sha"), "hex{7}")}, {shape(param("sha"), "digits{9}")}) ==
          std::vector<Predicate>{shape(param("sha"), "hex{7,9}")});
    CHECK(gen({shape(param("id"), "digits{9}")}, {shape(param("id"), "digits{8}")}) ==
          std::vector<Predicate>{shape(param("id"), "digits{8,9}")});
    // A value set joins a shape its values fit, and only then.
    CHECK(gen({ValueIn{param("sha"), {"abc1234", "def5678"}}}, {shape(param("sha"), "hex{7}")}) ==
          std::vector<Predicate>{shape(param("sha"), "hex{7}")});
    CHECK(gen({ValueIn{param("sha"), {"abc1234", "main"}}}, {shape(param("sha"), "hex{7}")}) ==
          std::vector<Predicate>{ValueIn{param("sha"), {"abc1234", "main"}}});
    CHECK(gen({shape(param("sha"), "hex{7}")}, {ValueIn{param("sha"), {"abc1234"}}}) ==
          std::vector<Predicate>{shape(param("sha"), "hex{7}")});
    // Lengths: the lower of the lows, no bound if either has none.
    CHECK(gen({LengthIn{param("t"), 5, 9}}, {LengthIn{param("t"), 3, 12}}) ==
          std::vector<Predicate>{LengthIn{param("t"), 3, 12}});
    CHECK(gen({LengthIn{param("t"), 5, 9}}, {LengthIn{param("t"), 7, std::nullopt}}) ==
          std::vector<Predicate>{LengthIn{param("t"), 5, std::nullopt}});
    // Affixes: the longest both have.
    CHECK(gen({AffixIs{param("p"), false, "/tmp/build/"}}, {AffixIs{param("p"), false, "/tmp/cache/"}}) ==
          std::vector<Predicate>{AffixIs{param("p"), false, "/tmp/"}});
    CHECK(gen({AffixIs{param("p"), true, "report.docx"}}, {AffixIs{param("p"), true, "notes.docx"}}) ==
          std::vector<Predicate>{AffixIs{param("p"), true, ".docx"}});
    // Sizes: the smaller threshold.
    CHECK(
        gen({PathIs{param("p"), PathFact::larger_than, 300000}}, {PathIs{param("p"), PathFact::larger_than, 262144}}) ==
        std::vector<Predicate>{PathIs{param("p"), PathFact::larger_than, 262144}});
    // Two programs stay apart: nothing is widened.
    CHECK(gen({ValueIn{shell(ShellPart::program), {"tusk"}}}, {ValueIn{shell(ShellPart::program), {"quill"}}}) ==
          std::vector<Predicate>{ValueIn{shell(ShellPart::program), {"tusk"}}});
    // Another part stays as it was.
    CHECK(gen({ValueIn{param("sha"), {"abc1234"}}}, {ValueIn{param("ref"), {"def5678"}}}) ==
          std::vector<Predicate>{ValueIn{param("sha"), {"abc1234"}}});
  }

  TEST_CASE("generalise: a union over kMaxValues keeps a's set") {
    std::vector<std::string> mine, theirs;
    for (int i = 0; i < 15; ++i) mine.push_back("a" + std::to_string(100 + i));
    for (int i = 0; i < 10; ++i) theirs.push_back("b" + std::to_string(100 + i));
    const auto out = pat::generalise(check_of({ValueIn{param("v"), mine}}), check_of({ValueIn{param("v"), theirs}}));
    CHECK(out.all == std::vector<Predicate>{ValueIn{param("v"), mine}});
    // Up to the limit, they unite.
    theirs.resize(pat::kMaxValues - mine.size());
    const auto full = pat::generalise(check_of({ValueIn{param("v"), mine}}), check_of({ValueIn{param("v"), theirs}}));
    REQUIRE(full.all.size() == 1);
    CHECK(std::get<ValueIn>(full.all.front()).values.size() == pat::kMaxValues);
  }

  TEST_CASE("generalise: predicates without a partner stay; separations add up; the usual form is kept") {
    Check a = check_of({ValueIn{param("sha"), {"abc1234"}}, ParamIs{"repo_path", true}});
    a.separation = pat::Separation{2, 2, 10, 0};
    Check b = check_of({ValueIn{param("sha"), {"def5678"}}});
    b.separation = pat::Separation{3, 3, 5, 1};
    b.usual = "40 hex characters";
    const Check out = pat::generalise(a, b);
    CHECK(out.all == std::vector<Predicate>{ParamIs{"repo_path", true}, ValueIn{param("sha"), {"abc1234", "def5678"}}});
    REQUIRE(out.separation.has_value());
    CHECK(out.separation->failing == 5);
    CHECK(out.separation->failing_matched == 5);
    CHECK(out.separation->successful == 15);
    CHECK(out.separation->successful_matched == 1);
    CHECK(out.usual == "40 hex characters");
    // a's own usual form wins.
    a.usual = "a SHA";
    CHECK(pat::generalise(a, b).usual == "a SHA");
    // Without separations on either side there is none.
    CHECK_FALSE(pat::generalise(check_of({ParamIs{"x", true}}), check_of({ParamIs{"x", true}})).separation.has_value());
    // What a generalised check covers: the failing values of both.
    pat_test::NoContext none;
    CHECK(pat::matches(out, CallView(json{{"sha", "def5678"}}), none));
    CHECK(pat::matches(out, CallView(json{{"sha", "abc1234"}}), none));
  }

  TEST_CASE("normalise: by kind, then content, duplicates dropped") {
    Check c = check_of({SessionLacks{"Read", "", "", "file_path", false}, ValueIn{param("sha"), {"b"}},
                        ParamIs{"repo_path", true}, ValueIn{param("ref"), {"a"}}, ParamIs{"repo_path", true}});
    pat::normalise(c);
    CHECK(c.all == std::vector<Predicate>{ParamIs{"repo_path", true}, ValueIn{param("ref"), {"a"}},
                                          ValueIn{param("sha"), {"b"}},
                                          SessionLacks{"Read", "", "", "file_path", false}});
    // Equal checks written in another order are equal once normalised.
    Check d = check_of({ValueIn{param("sha"), {"b"}}, SessionLacks{"Read", "", "", "file_path", false},
                        ValueIn{param("ref"), {"a"}}, ParamIs{"repo_path", true}});
    pat::normalise(d);
    CHECK(d.all == c.all);
    CHECK(pat::to_json(d) == pat::to_json(c));
    // Normalising twice changes nothing.
    pat::normalise(d);
    CHECK(d.all == c.all);
  }
}  // TEST_SUITE
