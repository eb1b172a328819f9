#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "check/check_form.hpp"

using pat::Check;
using pat::Part;
using pat::ShellPart;

namespace {

Part param(const std::string& name) { return Part{name, ShellPart::none, "", ""}; }
Part shell(ShellPart what, const std::string& program = "", const std::string& name = "") {
  return Part{"command", what, program, name};
}

Check check_of(std::vector<pat::Predicate> all) {
  Check c;
  c.all = std::move(all);
  return c;
}

// Checks compare by their records: a check read back is the one written.
std::string record(const Check& c) { return pat::dump_json(pat::to_json(c)); }

}  // namespace

TEST_SUITE("check_form") {
  TEST_CASE("every kind of predicate reads back as written, whatever bytes its values hold") {
    const std::string odd = std::string("a:b\t1:\n\\") + '\0' + "9:x";
    const std::vector<Check> checks = {
        check_of({pat::ParamIs{"limit", true}, pat::ParamIs{"offset", false}}),
        check_of({pat::ValueIn{param("sha"), {"abc1234", odd, ""}}}),
        check_of({pat::ShapeIs{param("n"), *pat::parse_signature("digits{2}/digits{2}/digits{4}")}}),
        check_of({pat::LengthIn{param("msg"), 3, std::nullopt}, pat::LengthIn{param("msg"), 0, 12}}),
        check_of({pat::AffixIs{param("ref"), false, "refs/"}, pat::AffixIs{param("file"), true, odd}}),
        check_of({pat::PathIs{param("file_path"), pat::PathFact::larger_than, 100000},
                  pat::PathIs{shell(ShellPart::argument, "cat"), pat::PathFact::directory, 0}}),
        check_of({pat::ValueIn{shell(ShellPart::flag_value, "git", "--depth"), {"0"}},
                  pat::ValueIn{shell(ShellPart::env, "", odd), {"1"}},
                  pat::SessionLacks{"Bash", "npm", "install", "", true}}),
        check_of({pat::SessionLacks{"Read", "", "", "file_path", false}}),
    };
    for (const auto& c : checks) {
      const std::string form = pat::check_form(c);
      CAPTURE(form);
      const auto back = pat::check_from_form(form);
      REQUIRE(back.has_value());
      CHECK(record(*back) == record(c));
    }
    for (const auto& p : {param("x"), shell(ShellPart::program), shell(ShellPart::env, "", odd)}) {
      const auto back = pat::part_from_form(pat::part_form(p));
      REQUIRE(back.has_value());
      CHECK(*back == p);
    }
  }

  TEST_CASE("what check_form does not write is refused, never half read") {
    const std::string good = pat::check_form(check_of({pat::ValueIn{param("sha"), {"abc"}}}));
    CHECK(pat::check_from_form(good).has_value());
    // Every cut inside the one predicate.
    for (std::size_t n = 0; n < good.size(); ++n) CHECK_FALSE(pat::check_from_form(good.substr(0, n)).has_value());
    CHECK_FALSE(pat::check_from_form(good + "1").has_value());
    CHECK_FALSE(pat::check_from_form("1:v99:x").has_value());          // a length past the end
    CHECK_FALSE(pat::check_from_form("1:q1:x1:01:01:0").has_value());  // an unknown kind
    // A shell part beyond the last, a flag value with no flag named, no parameter.
    CHECK_FALSE(pat::check_from_form("1:v7:command1:70:0:1:11:x").has_value());
    CHECK_FALSE(pat::check_from_form("1:v7:command1:40:0:1:11:x").has_value());
    CHECK_FALSE(pat::check_from_form("1:v0:1:00:0:1:11:x").has_value());
    CHECK_FALSE(pat::check_from_form("1:m1:x1:2").has_value());              // a flag neither 0 nor 1
    CHECK_FALSE(pat::check_from_form("1:l1:x1:00:0:1:51:3").has_value());    // HI under LO
    CHECK_FALSE(pat::check_from_form("1:p1:x1:00:0:1:91:0").has_value());    // a path fact beyond the last
    CHECK_FALSE(pat::check_from_form("1:w4:Bash0:3:add0:1:0").has_value());  // a subcommand without program
    CHECK_FALSE(pat::check_from_form("").has_value());
    CHECK_FALSE(pat::check_from_form(good + good + good + good).has_value());  // over three predicates
    CHECK(pat::check_from_form(good + good + good).has_value());
    CHECK_FALSE(pat::part_from_form(pat::part_form(param("x")) + "0:").has_value());
  }
}
