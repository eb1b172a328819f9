#include <string>
#include <string_view>

#include <doctest/doctest.h>

#include "util/json_scan.hpp"

using pat::ScannedValue;
using Status = pat::ScannedValue::Status;

namespace {

std::string_view span(std::string_view text, std::size_t begin, std::size_t end) {
  return text.substr(begin, end - begin);
}

}  // namespace

TEST_SUITE("json_scan") {
  TEST_CASE("scan_json_value: a balanced object is complete and ends after its closing brace") {
    const std::string text = R"({"a":[1,2,{"b":null}]} trailing)";
    const ScannedValue v = pat::scan_json_value(text, 0, 64);
    CHECK(v.status == Status::complete);
    CHECK(v.begin == 0);
    CHECK(span(text, v.begin, v.end) == R"({"a":[1,2,{"b":null}]})");
    CHECK(v.max_depth == 3);
  }

  TEST_CASE("scan_json_value: leading whitespace is skipped and begin points at the value") {
    const std::string text = " \t\r\n [1]";
    const ScannedValue v = pat::scan_json_value(text, 0, 8);
    CHECK(v.status == Status::complete);
    CHECK(v.begin == 5);
    CHECK(v.end == text.size());
  }

  TEST_CASE("scan_json_value: scanning starts at pos, not at the start of the text") {
    const std::string text = R"([1] {"x":2})";
    const ScannedValue v = pat::scan_json_value(text, 3, 8);
    CHECK(v.status == Status::complete);
    CHECK(span(text, v.begin, v.end) == R"({"x":2})");
  }

  TEST_CASE("scan_json_value: an unbalanced value is incomplete and runs to the end of the text") {
    const std::string text = R"({"a":[1,2)";
    const ScannedValue v = pat::scan_json_value(text, 0, 64);
    CHECK(v.status == Status::incomplete);
    CHECK(v.end == text.size());
  }

  TEST_CASE("scan_json_value: a string cut off inside an object is incomplete") {
    const std::string text = R"({"a":"never closed})";
    CHECK(pat::scan_json_value(text, 0, 64).status == Status::incomplete);
  }

  TEST_CASE("scan_json_value: nesting beyond max_depth is too_deep but the end is still found") {
    const std::string text = "[[[1]]] [2]";
    const ScannedValue v = pat::scan_json_value(text, 0, 2);
    CHECK(v.status == Status::too_deep);
    CHECK(v.end == 7);
    CHECK(v.max_depth == 3);
    // Exactly at the limit is fine.
    CHECK(pat::scan_json_value(text, 0, 3).status == Status::complete);
  }

  TEST_CASE("scan_json_value: escaped quotes and brackets inside strings do not count") {
    const std::string text = R"({"a":"x\"]}[{","b\\":"]]]"} rest)";
    const ScannedValue v = pat::scan_json_value(text, 0, 64);
    CHECK(v.status == Status::complete);
    CHECK(span(text, v.begin, v.end) == R"({"a":"x\"]}[{","b\\":"]]]"})");
    CHECK(v.max_depth == 1);
  }

  TEST_CASE("scan_json_value: a string scalar with an escaped quote ends at its real closing quote") {
    const std::string text = R"("ab\"c" , 1)";
    const ScannedValue v = pat::scan_json_value(text, 0, 8);
    CHECK(v.status == Status::complete);
    CHECK(span(text, v.begin, v.end) == R"("ab\"c")");
  }

  TEST_CASE("scan_json_value: a number scalar ends at a comma or whitespace") {
    const std::string text = "  -12.5e3, 7";
    const ScannedValue v = pat::scan_json_value(text, 0, 8);
    CHECK(v.status == Status::complete);
    CHECK(span(text, v.begin, v.end) == "-12.5e3");
  }

  TEST_CASE("scan_json_value: only whitespace is empty") {
    CHECK(pat::scan_json_value("   \n ", 0, 8).status == Status::empty);
    CHECK(pat::scan_json_value("", 0, 8).status == Status::empty);
  }

  TEST_CASE("scan_json_value: 100,000 opening brackets are too_deep without recursion") {
    const std::string text(100000, '[');
    const ScannedValue v = pat::scan_json_value(text, 0, 512);
    CHECK(v.status == Status::too_deep);
    CHECK(v.end == text.size());
  }

  TEST_CASE("json_nesting_depth: counts brackets outside strings only") {
    CHECK(pat::json_nesting_depth("") == 0);
    CHECK(pat::json_nesting_depth("42") == 0);
    CHECK(pat::json_nesting_depth("{}") == 1);
    CHECK(pat::json_nesting_depth(R"([{"a":[1]},[2]])") == 3);
    CHECK(pat::json_nesting_depth(R"("[[[[")") == 0);
    CHECK(pat::json_nesting_depth(R"(["]\"[[", {"k":"}"}])") == 2);
  }

  TEST_CASE("json_nesting_depth: stray closing brackets do not underflow") {
    CHECK(pat::json_nesting_depth("]]]}[") == 1);
  }

  TEST_CASE("json_nesting_depth: 100,000-deep nesting is measured") {
    const std::string text = std::string(100000, '[') + std::string(100000, ']');
    CHECK(pat::json_nesting_depth(text) == 100000);
  }

  TEST_CASE("split_json_array: element spans and 1-based line numbers on a multi-line array") {
    const std::string text =
        "[\n"
        "  {\"a\": 1},\n"
        "  {\"b\": \"x,]\"},\n"
        "  3,\n"
        "  {\"c\":\n"
        "     [1]}\n"
        "]\n";
    const auto els = pat::split_json_array(text, 0, 1);
    REQUIRE(els.size() == 4);
    CHECK(span(text, els[0].begin, els[0].end) == R"({"a": 1})");
    CHECK(span(text, els[1].begin, els[1].end) == R"({"b": "x,]"})");
    CHECK(span(text, els[2].begin, els[2].end) == "3");
    CHECK(span(text, els[3].begin, els[3].end) == "{\"c\":\n     [1]}");
    CHECK(els[0].line == 2);
    CHECK(els[1].line == 3);
    CHECK(els[2].line == 4);
    CHECK(els[3].line == 5);
    for (const auto& e : els) CHECK(e.complete);
  }

  TEST_CASE("split_json_array: line numbers count from first_line and pos") {
    const std::string text = "prefix\n[1,\n2]";
    const auto els = pat::split_json_array(text, 7, 10);
    REQUIRE(els.size() == 2);
    CHECK(els[0].line == 10);
    CHECK(els[1].line == 11);
    CHECK(span(text, els[1].begin, els[1].end) == "2");
  }

  TEST_CASE("split_json_array: an empty array has no elements") {
    CHECK(pat::split_json_array("[]", 0, 1).empty());
    CHECK(pat::split_json_array("[ \n ]", 0, 1).empty());
  }

  TEST_CASE("split_json_array: a truncated array marks the last element incomplete") {
    const std::string text = "[{\"a\":1},\n{\"b\":[2,";
    const auto els = pat::split_json_array(text, 0, 1);
    REQUIRE(els.size() == 2);
    CHECK(els[0].complete);
    CHECK_FALSE(els[1].complete);
    CHECK(els[1].line == 2);
    CHECK(els[1].end == text.size());
  }

  TEST_CASE("split_json_array: a string cut off in the last element marks it incomplete") {
    const std::string text = R"(["ok", "cut of)";
    const auto els = pat::split_json_array(text, 0, 1);
    REQUIRE(els.size() == 2);
    CHECK(els[0].complete);
    CHECK_FALSE(els[1].complete);
  }

  TEST_CASE("split_json_array: a 100,000-deep element is returned whole without crashing") {
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    const std::string text = "[" + deep + ",\n{\"after\":true}]";
    const auto els = pat::split_json_array(text, 0, 1);
    REQUIRE(els.size() == 2);
    CHECK(els[0].complete);
    CHECK(els[0].end - els[0].begin == deep.size());
    CHECK(span(text, els[1].begin, els[1].end) == R"({"after":true})");
    CHECK(els[1].line == 2);
  }

  TEST_CASE("split_json_array: 100,000 unclosed brackets give one incomplete element") {
    const std::string text = "[" + std::string(100000, '[');
    const auto els = pat::split_json_array(text, 0, 1);
    REQUIRE(els.size() == 1);
    CHECK_FALSE(els[0].complete);
  }

}  // TEST_SUITE
