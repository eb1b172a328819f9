#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "mistake/signature.hpp"

using pat::RunClass;
using pat::Signature;
using pat::SignatureRun;

namespace {

SignatureRun run(RunClass cls, std::uint32_t lo, std::uint32_t hi) { return SignatureRun{cls, 0, lo, hi}; }
SignatureRun run(RunClass cls, std::uint32_t n) { return run(cls, n, n); }
SignatureRun punct(char c) { return SignatureRun{RunClass::digits, c, 1, 1}; }

Signature sig(std::vector<SignatureRun> runs) { return Signature{std::move(runs)}; }

// The signature of a value the test knows to have one.
Signature of(std::string_view value) {
  const auto s = pat::signature_of(value);
  REQUIRE(s.has_value());
  return *s;
}

// The text form of a value's signature, "" when it has none.
std::string text_of(std::string_view value) {
  const auto s = pat::signature_of(value);
  return s ? pat::signature_text(*s) : std::string();
}

Signature parsed(std::string_view text) {
  const auto s = pat::parse_signature(text);
  REQUIRE(s.has_value());
  return *s;
}

const std::string kFullSha = "0123456789abcdef0123456789abcdef01234567";

}  // namespace

TEST_SUITE("signature") {
  TEST_CASE("signature_of: runs of one class with exact lengths, punctuation literally") {
    CHECK(pat::signature_of("abc1234") == sig({run(RunClass::hex, 7)}));
    CHECK(pat::signature_of("03/15/2026") ==
          sig({run(RunClass::digits, 2), punct('/'), run(RunClass::digits, 2), punct('/'), run(RunClass::digits, 4)}));
    CHECK(pat::signature_of("2026-03-15") ==
          sig({run(RunClass::digits, 4), punct('-'), run(RunClass::digits, 2), punct('-'), run(RunClass::digits, 2)}));
    CHECK(pat::signature_of("fix_login") == sig({run(RunClass::lower, 3), punct('_'), run(RunClass::lower, 5)}));
    CHECK(pat::signature_of(kFullSha) == sig({run(RunClass::hex, 40)}));
    // Every punctuation byte is a run of its own, spaces too.
    CHECK(text_of("a--b") == "lower{1}--lower{1}");
    CHECK(text_of("git log") == "lower{3} lower{3}");
  }

  TEST_CASE("signature_of: the class of a run is the narrowest that holds it") {
    CHECK(text_of("123") == "digits{3}");
    // hex needs a digit and a letter a-f; letters alone are letters, whatever they spell.
    CHECK(text_of("cafe") == "lower{4}");
    CHECK(text_of("deadbee") == "lower{7}");
    CHECK(text_of("9f2c4e1") == "hex{7}");
    CHECK(text_of("9F2C4E1") == "hex{7}");
    CHECK(text_of("HEAD") == "upper{4}");
    CHECK(text_of("Hello") == "alpha{5}");
    // A letter past f, or both cases, with a digit: letters and digits.
    CHECK(text_of("v12") == "alnum{3}");
    CHECK(text_of("aB1") == "alnum{3}");
    CHECK(text_of("0") == "digits{1}");
  }

  TEST_CASE("signature_of: the empty value has no signature") {
    CHECK_FALSE(pat::signature_of("").has_value());
    CHECK_FALSE(pat::fits(sig({run(RunClass::hex, 1, 40)}), ""));
  }

  TEST_CASE("signature_of: at most kMaxSignatureRuns runs") {
    std::string at_limit;
    for (std::size_t i = 0; i < pat::kMaxSignatureRuns / 2; ++i) at_limit += "a-";
    REQUIRE(at_limit.size() == pat::kMaxSignatureRuns);
    const auto s = pat::signature_of(at_limit);
    REQUIRE(s.has_value());
    CHECK(s->runs.size() == pat::kMaxSignatureRuns);
    CHECK_FALSE(pat::signature_of(at_limit + "a").has_value());
    CHECK_FALSE(pat::signature_of("the quick brown fox jumps over the lazy dog").has_value());
    // A long value of few runs is fine: the limit is on runs, not bytes.
    CHECK(text_of(std::string(5000, '7')) == "digits{5000}");
    // The text form is held to the same limit.
    CHECK(pat::parse_signature(pat::signature_text(*s)) == s);
    CHECK_FALSE(pat::parse_signature(pat::signature_text(*s) + "lower{1}").has_value());
  }

  TEST_CASE("signature_of: the bytes of non-ASCII characters are runs of their own") {
    // "é" is two bytes, "日本" six; lengths are in bytes.
    CHECK(text_of("caf\xc3\xa9") == "lower{3}other{2}");
    CHECK(text_of("\xe6\x97\xa5\xe6\x9c\xac") == "other{6}");
    CHECK(text_of("x-\xc3\xa9-1") == "lower{1}-other{2}-digits{1}");
    // Invalid UTF-8 is bytes like any other.
    CHECK(text_of("\xff\xfe") == "other{2}");
    const Signature s = of("caf\xc3\xa9");
    CHECK(pat::fits(s, "caf\xc3\xa9"));
    CHECK(pat::fits(s, "pat\xc3\xa9"));
    CHECK_FALSE(pat::fits(s, "th\xc3\xa9"));  // two letters where three were
    CHECK_FALSE(pat::fits(s, "cafe1"));
    CHECK_FALSE(pat::fits(s, "caf\xc3\xa9\xc3\xa9"));  // four bytes where two were
    // Non-ASCII runs join only with each other.
    CHECK_FALSE(pat::join(of("x-\xc3\xa9"), of("x-1")).has_value());
    CHECK_FALSE(pat::join(of("x-\xc3\xa9"), of("x-a")).has_value());
    CHECK(pat::join(of("x-\xc3\xa9"), of("x-\xe6\x97\xa5")) == parsed("lower{1}-other{2,3}"));
  }

  TEST_CASE("fits: a value fits when its runs line up, each within the class and length range") {
    const Signature short_sha = of("abc1234");
    CHECK(pat::fits(short_sha, "abc1234"));
    CHECK(pat::fits(short_sha, "9f2c4e1"));
    CHECK(pat::fits(short_sha, "1234567"));       // digits are hex
    CHECK(pat::fits(short_sha, "deadbee"));       // hex letters without a digit are still hex
    CHECK(pat::fits(short_sha, "DEADBEE"));       // in capitals too
    CHECK_FALSE(pat::fits(short_sha, kFullSha));  // 40 hex where 7 failed
    CHECK_FALSE(pat::fits(short_sha, "abc123"));
    CHECK_FALSE(pat::fits(short_sha, "abc12345"));
    CHECK_FALSE(pat::fits(short_sha, "ghijklm"));  // letters past f
    CHECK_FALSE(pat::fits(short_sha, "abc-234"));

    const Signature us_date = of("03/15/2026");
    CHECK(pat::fits(us_date, "12/31/1999"));
    CHECK_FALSE(pat::fits(us_date, "2026-03-15"));  // the date written the other way round
    CHECK_FALSE(pat::fits(us_date, "3/15/2026"));
    CHECK_FALSE(pat::fits(us_date, "03-15-2026"));
    CHECK_FALSE(pat::fits(us_date, "ab/cd/efgh"));
    const Signature iso_date = of("2026-03-15");
    CHECK(pat::fits(iso_date, "1999-12-31"));
    CHECK_FALSE(pat::fits(iso_date, "03/15/2026"));
    CHECK_FALSE(pat::fits(iso_date, "2026-03-15T10:00"));

    // A narrow class does not take a wider one; a wide one takes every narrower one.
    CHECK_FALSE(pat::fits(parsed("digits{7}"), "abc1234"));
    CHECK_FALSE(pat::fits(parsed("lower{4}"), "Cafe"));
    CHECK(pat::fits(parsed("alpha{4}"), "cafe"));
    CHECK(pat::fits(parsed("alpha{4}"), "CAFE"));
    CHECK_FALSE(pat::fits(parsed("alpha{4}"), "caf3"));
    CHECK(pat::fits(parsed("alnum{3,5}"), "v12"));
    CHECK(pat::fits(parsed("alnum{3,5}"), "123"));
    CHECK(pat::fits(parsed("alnum{3,5}"), "Hello"));
    CHECK_FALSE(pat::fits(parsed("alnum{3,5}"), "Hello1"));

    // Within a length range, at both ends.
    const Signature range = parsed("digits{8,12}");
    CHECK(pat::fits(range, "12345678"));
    CHECK(pat::fits(range, "123456789012"));
    CHECK_FALSE(pat::fits(range, "1234567"));
    CHECK_FALSE(pat::fits(range, "1234567890123"));
  }

  TEST_CASE("join: classes joined to the narrowest that holds both, lengths widened") {
    // digits and hex join into hex.
    CHECK(pat::join(of("1234567"), of("abc1234")) == sig({run(RunClass::hex, 7)}));
    CHECK(pat::join(of("abc1234"), of("1234567")) == sig({run(RunClass::hex, 7)}));
    // Length ranges widen.
    CHECK(pat::join(of("12345678"), of("123456789012")) == sig({run(RunClass::digits, 8, 12)}));
    CHECK(pat::join(parsed("digits{8,10}"), parsed("digits{9,12}")) == parsed("digits{8,12}"));
    // The other joins.
    CHECK(pat::join(of("abc"), of("ABC")) == parsed("alpha{3}"));
    CHECK(pat::join(of("abcd"), of("1234")) == parsed("alnum{4}"));
    CHECK(pat::join(of("abcz"), of("a1b2")) == parsed("alnum{4}"));
    CHECK(pat::join(of("ABCZ"), of("12345")) == parsed("alnum{4,5}"));
    CHECK_FALSE(pat::join(of("fix_login"), of("add_search_box")).has_value());  // three runs beside five
    CHECK(pat::join(of("fix_login"), of("add_search")) == parsed("lower{3}_lower{5,6}"));
    // Runs that do not line up: another count, or other punctuation at the same place.
    CHECK_FALSE(pat::join(of("abc1234"), of("03/15/2026")).has_value());
    CHECK_FALSE(pat::join(of("03/15/2026"), of("2026-03-15")).has_value());
    CHECK_FALSE(pat::join(of("a-b"), of("a_b")).has_value());
    // Both values fit what the join gives, and it is idempotent.
    const auto j = pat::join(of("12345678"), of("abcdef0123"));
    REQUIRE(j.has_value());
    CHECK(*j == parsed("hex{8,10}"));
    CHECK(pat::fits(*j, "12345678"));
    CHECK(pat::fits(*j, "abcdef0123"));
    CHECK(pat::fits(*j, "abc123456"));
    CHECK(pat::join(*j, *j) == j);
  }

  TEST_CASE("signature_text and parse_signature: the text reads back") {
    CHECK(pat::signature_text(sig({run(RunClass::hex, 7)})) == "hex{7}");
    CHECK(pat::signature_text(sig({run(RunClass::digits, 8, 12)})) == "digits{8,12}");
    CHECK(pat::signature_text(of("03/15/2026")) == "digits{2}/digits{2}/digits{4}");
    CHECK(pat::signature_text(of("2026-03-15")) == "digits{4}-digits{2}-digits{2}");
    CHECK(pat::signature_text(of("fix_login")) == "lower{3}_lower{5}");
    for (const char* value : {"abc1234", "03/15/2026", "2026-03-15", "fix_login", "a b", "v1.2.3-rc1", "user@host:22",
                              "caf\xc3\xa9", "HEAD~3", "Hello, World!", "x=1;y=2"}) {
      CAPTURE(value);
      const Signature s = of(value);
      CHECK(pat::parse_signature(pat::signature_text(s)) == s);
      CHECK(pat::fits(s, value));
    }
    for (const char* text : {"hex{7}", "digits{8,12}", "upper{1,3}.alpha{2}", "alnum{1}", "other{2,4}", "lower{3} "}) {
      CAPTURE(text);
      CHECK(pat::signature_text(parsed(text)) == text);
    }
    CHECK(parsed("digits{2}/digits{2}/digits{4}") == of("03/15/2026"));
  }

  TEST_CASE("signature_text escapes { } and \\ so that they read back as punctuation") {
    const Signature braces = of("{abc}");
    CHECK(pat::signature_text(braces) == "\\{lower{3}\\}");
    CHECK(pat::parse_signature("\\{lower{3}\\}") == braces);
    const Signature backslash = of("a\\b");
    CHECK(pat::signature_text(backslash) == "lower{1}\\\\lower{1}");
    CHECK(pat::parse_signature(pat::signature_text(backslash)) == backslash);
    const Signature all = of("${x}\\{1}");
    CHECK(pat::parse_signature(pat::signature_text(all)) == all);
    CHECK(pat::fits(all, "${y}\\{9}"));
    // Other punctuation is written as it is.
    CHECK(pat::signature_text(of("a.b,c")) == "lower{1}.lower{1},lower{1}");
  }

  TEST_CASE("parse_signature: malformed text has no signature") {
    for (const char* text :
         {"",         "hex",     "hex{",    "hex{7",     "hex7}",   "hex{}",      "hex{0}",
          "hex{9,7}", "hex{7,}", "hex{,7}", "hex{a}",    "hex{-1}", "hex{7,8,9}", "hexa{7}",
          "words{3}", "{",       "}",       "lower{3}}", "\\",      "lower{1}\\", "hex{99999999999}"}) {
      CAPTURE(text);
      CHECK_FALSE(pat::parse_signature(text).has_value());
    }
  }

  TEST_CASE("describe_signature: in words") {
    CHECK(pat::describe_signature(parsed("hex{7}")) == "7 hex characters");
    CHECK(pat::describe_signature(of("03/15/2026")) == "2 digits/2 digits/4 digits");
    CHECK(pat::describe_signature(parsed("digits{8,12}")) == "8 to 12 digits");
    CHECK(pat::describe_signature(parsed("alpha{3}_alpha{5}")) == "3 letters_5 letters");
    CHECK(pat::describe_signature(parsed("digits{1}")) == "1 digit");
    CHECK(pat::describe_signature(of("fix_login")) == "3 lower-case letters_5 lower-case letters");
    CHECK(pat::describe_signature(of("HEAD")) == "4 capital letters");
    CHECK(pat::describe_signature(of("v12")) == "3 letters and digits");
  }
}  // TEST_SUITE
