#include <string>

#include <doctest/doctest.h>

#include "util/utf8.hpp"

namespace {
const std::string kFFFD = "\xEF\xBF\xBD";
}

TEST_SUITE("utf8") {
  TEST_CASE("is_valid_utf8: ASCII, NUL and well-formed 2/3/4-byte characters are valid") {
    CHECK(pat::is_valid_utf8(""));
    CHECK(pat::is_valid_utf8("plain ascii"));
    CHECK(pat::is_valid_utf8(std::string("a\0b", 3)));
    CHECK(pat::is_valid_utf8("\xC3\xA9"));          // U+00E9
    CHECK(pat::is_valid_utf8("\xE2\x82\xAC"));      // U+20AC
    CHECK(pat::is_valid_utf8("\xED\x9F\xBF"));      // U+D7FF, just below the surrogates
    CHECK(pat::is_valid_utf8("\xF0\x9F\x98\x80"));  // U+1F600
    CHECK(pat::is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
  }

  TEST_CASE("is_valid_utf8: overlong encodings are invalid") {
    CHECK_FALSE(pat::is_valid_utf8("\xC0\xAF"));  // '/' in two bytes
    CHECK_FALSE(pat::is_valid_utf8("\xC1\xBF"));
    CHECK_FALSE(pat::is_valid_utf8("\xE0\x80\xAF"));      // '/' in three bytes
    CHECK_FALSE(pat::is_valid_utf8("\xF0\x80\x80\xAF"));  // '/' in four bytes
  }

  TEST_CASE("is_valid_utf8: UTF-16 surrogates encoded in UTF-8 are invalid") {
    CHECK_FALSE(pat::is_valid_utf8("\xED\xA0\x80"));  // U+D800
    CHECK_FALSE(pat::is_valid_utf8("\xED\xBF\xBF"));  // U+DFFF
  }

  TEST_CASE("is_valid_utf8: truncated sequences are invalid") {
    CHECK_FALSE(pat::is_valid_utf8("a\xC3"));
    CHECK_FALSE(pat::is_valid_utf8("a\xE2\x82"));
    CHECK_FALSE(pat::is_valid_utf8("\xF0\x9F\x98"));
    CHECK_FALSE(pat::is_valid_utf8("\xF0\x9F\x98z"));
  }

  TEST_CASE("is_valid_utf8: stray continuation bytes and impossible lead bytes are invalid") {
    CHECK_FALSE(pat::is_valid_utf8("\x80"));
    CHECK_FALSE(pat::is_valid_utf8("ab\xBF"));
    CHECK_FALSE(pat::is_valid_utf8("\xF5\x80\x80\x80"));
    CHECK_FALSE(pat::is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
    CHECK_FALSE(pat::is_valid_utf8("\xFF"));
    CHECK_FALSE(pat::is_valid_utf8("\xFE"));
  }

  TEST_CASE("repair_utf8: valid text is returned unchanged") {
    const std::string s = "h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80";
    CHECK(pat::repair_utf8(s) == s);
  }

  TEST_CASE("repair_utf8: each byte of an overlong encoding becomes U+FFFD") {
    CHECK(pat::repair_utf8("a\xC0\xAF"
                           "b") == "a" + kFFFD + kFFFD + "b");
  }

  TEST_CASE("repair_utf8: an encoded surrogate becomes U+FFFD and the text around it survives") {
    const std::string r = pat::repair_utf8("x\xED\xA0\x80y");
    CHECK(pat::is_valid_utf8(r));
    CHECK(r == "x" + kFFFD + kFFFD + kFFFD + "y");
  }

  TEST_CASE("repair_utf8: a truncated sequence is replaced and the next character kept") {
    const std::string r = pat::repair_utf8("\xE2\x82z");
    CHECK(pat::is_valid_utf8(r));
    CHECK(r.rfind(kFFFD, 0) == 0);
    CHECK(r.substr(r.size() - 1) == "z");
    CHECK(r.find("\xE2\x82z") == std::string::npos);
  }

  TEST_CASE("repair_utf8: a truncated sequence at the end is replaced") {
    const std::string r = pat::repair_utf8("ok\xF0\x9F\x98");
    CHECK(pat::is_valid_utf8(r));
    CHECK(r.rfind("ok" + kFFFD, 0) == 0);
  }

  TEST_CASE("repair_utf8: a 4-byte character next to garbage is kept intact") {
    CHECK(pat::repair_utf8("\xFF\xF0\x9F\x98\x80\xFF") == kFFFD + "\xF0\x9F\x98\x80" + kFFFD);
  }

  TEST_CASE("repair_utf8: the result is always valid UTF-8") {
    std::string all;
    for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
    CHECK_FALSE(pat::is_valid_utf8(all));
    CHECK(pat::is_valid_utf8(pat::repair_utf8(all)));
  }

  TEST_CASE("utf8_prefix: a string within the limit is returned whole") {
    CHECK(pat::utf8_prefix("abc", 3) == "abc");
    CHECK(pat::utf8_prefix("abc", 10) == "abc");
    CHECK(pat::utf8_prefix("abc", 0) == "");
  }

  TEST_CASE("utf8_prefix: never splits a 2-byte character") {
    const std::string s = "h\xC3\xA9llo";
    CHECK(pat::utf8_prefix(s, 1) == "h");
    CHECK(pat::utf8_prefix(s, 2) == "h");
    CHECK(pat::utf8_prefix(s, 3) == "h\xC3\xA9");
  }

  TEST_CASE("utf8_prefix: never splits a 3-byte or 4-byte character") {
    const std::string euro = "a\xE2\x82\xAC";
    CHECK(pat::utf8_prefix(euro, 2) == "a");
    CHECK(pat::utf8_prefix(euro, 3) == "a");
    CHECK(pat::utf8_prefix(euro, 4) == euro);
    const std::string smile = "\xF0\x9F\x98\x80!";
    for (std::size_t n = 0; n < 4; ++n) CHECK(pat::utf8_prefix(smile, n).empty());
    CHECK(pat::utf8_prefix(smile, 4) == "\xF0\x9F\x98\x80");
  }

  TEST_CASE("utf8_prefix: every prefix of valid text is valid") {
    const std::string s = "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80x\xF0\x9F\x98\x80";
    for (std::size_t n = 0; n <= s.size(); ++n) {
      const auto p = pat::utf8_prefix(s, n);
      CHECK(p.size() <= n);
      CHECK(pat::is_valid_utf8(p));
    }
  }

}  // TEST_SUITE
