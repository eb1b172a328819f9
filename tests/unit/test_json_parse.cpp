#include <string>

#include <doctest/doctest.h>

#include "util/json_parse.hpp"
#include "util/utf8.hpp"

using pat::json;
using pat::JsonLimits;
using pat::ParsedJson;

namespace {
const std::string kReplacement = "\xEF\xBF\xBD";  // U+FFFD
}

TEST_SUITE("json_parse") {
  TEST_CASE("parse_json: a valid document parses") {
    const ParsedJson p = pat::parse_json(R"({"a":[1,2,{"b":null}],"s":"x"})", JsonLimits{});
    REQUIRE(p.ok);
    CHECK_FALSE(p.repaired_utf8);
    CHECK(p.error.empty());
    CHECK(p.value["a"][1] == 2);
    CHECK(p.value["a"][2]["b"].is_null());
    CHECK(p.value["s"] == "x");
  }

  TEST_CASE("parse_json: malformed JSON is not ok and says why, without the library's prefix") {
    const ParsedJson p = pat::parse_json(R"({"a": })", JsonLimits{});
    CHECK_FALSE(p.ok);
    CHECK_FALSE(p.error.empty());
    CHECK(p.error.find("[json.exception") == std::string::npos);
    CHECK(p.error.rfind("parse error", 0) == std::string::npos);
  }

  TEST_CASE("parse_json: trailing garbage after a value is an error") {
    CHECK_FALSE(pat::parse_json(R"({"a":1} x)", JsonLimits{}).ok);
  }

  TEST_CASE("parse_json: empty input is an error, not a crash") {
    const ParsedJson p = pat::parse_json("", JsonLimits{});
    CHECK_FALSE(p.ok);
    CHECK_FALSE(p.error.empty());
  }

  TEST_CASE("parse_json: depth over max_depth is refused with a message naming the limit") {
    JsonLimits limits;
    limits.max_depth = 3;
    CHECK(pat::parse_json("[[[1]]]", limits).ok);
    const ParsedJson p = pat::parse_json("[[[[1]]]]", limits);
    CHECK_FALSE(p.ok);
    CHECK(p.error.find("nesting deeper than 3") != std::string::npos);
  }

  TEST_CASE("parse_json: 100,000 '[' are refused by the depth check, not by the parser") {
    const std::string text(100000, '[');
    const ParsedJson p = pat::parse_json(text, JsonLimits{});
    CHECK_FALSE(p.ok);
    // A parser run would have reported a syntax error (the brackets never close).
    CHECK(p.error.find("nesting deeper than 512") != std::string::npos);
  }

  TEST_CASE("parse_json: invalid UTF-8 is repaired to U+FFFD and flagged") {
    const std::string text = std::string("{\"s\":\"a") + "\xFF" + "b\"}";
    const ParsedJson p = pat::parse_json(text, JsonLimits{});
    REQUIRE(p.ok);
    CHECK(p.repaired_utf8);
    CHECK(p.value["s"] == "a" + kReplacement + "b");
  }

  TEST_CASE("parse_json: valid multi-byte UTF-8 is not flagged as repaired") {
    const ParsedJson p = pat::parse_json("\"caf\xC3\xA9 \xF0\x9F\x98\x80\"", JsonLimits{});
    REQUIRE(p.ok);
    CHECK_FALSE(p.repaired_utf8);
    CHECK(p.value == "caf\xC3\xA9 \xF0\x9F\x98\x80");
  }

  TEST_CASE("parse_json: a lone surrogate escape is repaired instead of rejected") {
    const ParsedJson p = pat::parse_json(R"({"s":"x\udc8fy"})", JsonLimits{});
    REQUIRE(p.ok);
    CHECK(p.repaired_utf8);
    CHECK(p.value["s"] == "x" + kReplacement + "y");
  }

  TEST_CASE("parse_json: a NUL byte inside a string is an error, not a crash") {
    const std::string text("{\"s\":\"a\0b\"}", 11);
    REQUIRE(text.size() == 11);
    const ParsedJson p = pat::parse_json(text, JsonLimits{});
    CHECK_FALSE(p.ok);
    CHECK_FALSE(p.error.empty());
    CHECK(p.error.find('\0') == std::string::npos);
  }

  TEST_CASE("parse_json: a NUL byte before the value is an error") {
    const std::string text("\0{}", 3);
    CHECK_FALSE(pat::parse_json(text, JsonLimits{}).ok);
  }

  TEST_CASE("parse_json: text after a NUL byte is not silently dropped") {
    // nlohmann::json treats '\0' as the end of input, so everything after it is ignored and the
    // line is accepted as if it ended there.
    const std::string text("{\"a\":1}\0{\"hidden\":2}", 21);
    REQUIRE(text.size() == 21);
    CHECK_FALSE(pat::parse_json(text, JsonLimits{}).ok);
    CHECK_FALSE(pat::parse_json(std::string("{}\0", 3), JsonLimits{}).ok);
  }

  TEST_CASE("parse_json: the error message for a long bad token is shortened") {
    const std::string text = "[\"" + std::string(500, 'a') + "\x01\"]";
    const ParsedJson p = pat::parse_json(text, JsonLimits{});
    CHECK_FALSE(p.ok);
    CHECK(p.error.size() < 300);
  }

  TEST_CASE("parse_json: the shortened error message is valid UTF-8") {
    // The message echoes the tail of the bad token; cutting it by bytes may split a character.
    // 31 bytes of two-byte characters before "x<U+0001>'" puts the cut inside a character.
    std::string body;
    for (int i = 0; i < 60; ++i) body += "\xC3\xA9";
    const std::string text = "[\"" + body + "x\x01\"]";
    const ParsedJson p = pat::parse_json(text, JsonLimits{});
    CHECK_FALSE(p.ok);
    CHECK(pat::is_valid_utf8(p.error));
  }

  TEST_CASE("repair_lone_surrogate_escapes: a lone low surrogate becomes \\ufffd") {
    std::string out;
    CHECK(pat::repair_lone_surrogate_escapes(R"("a\udc8fb")", out));
    CHECK(out == R"("a\ufffdb")");
  }

  TEST_CASE("repair_lone_surrogate_escapes: a lone high surrogate becomes \\ufffd") {
    std::string out;
    CHECK(pat::repair_lone_surrogate_escapes(R"("\uD83Dx")", out));
    CHECK(out == R"("\ufffdx")");
  }

  TEST_CASE("repair_lone_surrogate_escapes: two high surrogates in a row are both replaced") {
    std::string out;
    CHECK(pat::repair_lone_surrogate_escapes(R"("\ud83d\ud83d")", out));
    CHECK(out == R"("\ufffd\ufffd")");
  }

  TEST_CASE("repair_lone_surrogate_escapes: a valid surrogate pair is kept") {
    std::string out;
    const std::string text = R"("\ud83d\ude00")";
    CHECK_FALSE(pat::repair_lone_surrogate_escapes(text, out));
    CHECK(out == text);
  }

  TEST_CASE("repair_lone_surrogate_escapes: an escaped backslash before udc8f is not an escape") {
    std::string out;
    const std::string text = R"("\\udc8f")";
    CHECK_FALSE(pat::repair_lone_surrogate_escapes(text, out));
    CHECK(out == text);
  }

  TEST_CASE("repair_lone_surrogate_escapes: ordinary \\u escapes and other text are copied") {
    std::string out;
    const std::string text = R"({"a":"\u00e9\n\"","b":1})";
    CHECK_FALSE(pat::repair_lone_surrogate_escapes(text, out));
    CHECK(out == text);
  }

  TEST_CASE("repair_lone_surrogate_escapes: a truncated escape at the end is copied, not overrun") {
    std::string out;
    CHECK_FALSE(pat::repair_lone_surrogate_escapes(R"("\ud8)", out));
    CHECK(out == R"("\ud8)");
  }

  TEST_CASE("dump_json: strings with invalid UTF-8 are written with U+FFFD instead of throwing") {
    const json j = std::string("a\xFF");
    std::string out;
    CHECK_NOTHROW(out = pat::dump_json(j));
    CHECK(out == "\"a" + kReplacement + "\"");
  }

}  // TEST_SUITE
