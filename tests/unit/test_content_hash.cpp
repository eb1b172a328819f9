#include <set>
#include <string>

#include <doctest/doctest.h>

#include "util/content_hash.hpp"

// Record ids are content hashes stored in users' databases: the values below are pinned so that
// any change to the hash function (which would make re-ingested events look new) is caught.

TEST_SUITE("content_hash") {
  TEST_CASE("content_hash: pinned values for fixed inputs") {
    CHECK(pat::content_hash("") == "9b7e6b326eddf13f9f551f9aaff86c3b");
    CHECK(pat::content_hash("a") == "291ef2f8cff853945e6b0b35d145f2f6");
    CHECK(pat::content_hash("hello world") == "ca599f0a17aedbbfaf359851765d22c4");
    CHECK(pat::content_hash("The quick brown fox jumps over the lazy dog") == "0c8c2501f3af5a1b91d932dea9e4d788");
  }

  TEST_CASE("hash64: pinned values, and the seed changes the result") {
    CHECK(pat::hash64("abc") == 0x8817368d7de1742eULL);
    CHECK(pat::hash64("abc", 42) == 0x50ad66a01e59fe6dULL);
  }

  TEST_CASE("content_hash: 32 lowercase hex digits") {
    for (const char* s : {"", "x", "a somewhat longer input that spans several 8-byte words"}) {
      const std::string h = pat::content_hash(s);
      CHECK(h.size() == 32);
      CHECK(h.find_first_not_of("0123456789abcdef") == std::string::npos);
    }
  }

  TEST_CASE("content_hash: the same input always gives the same hash") {
    const std::string a = "{\"tool\":\"Bash\",\"input\":{\"command\":\"ls\"}}";
    const std::string b = a;  // a different buffer with the same bytes
    CHECK(pat::content_hash(a) == pat::content_hash(b));
  }

  TEST_CASE("content_hash: different inputs differ, including near misses") {
    const std::string with_nul("abc\0", 4);
    const std::string inputs[] = {"",
                                  "a",
                                  "b",
                                  "ab",
                                  "ba",
                                  "abc",
                                  with_nul,
                                  "abcdefgh",
                                  "abcdefgi",
                                  "abcdefgh1",
                                  "Abcdefgh",
                                  "12345678"
                                  "12345678",
                                  "12345678"
                                  "12345679"};
    std::set<std::string> seen;
    for (const auto& s : inputs) seen.insert(pat::content_hash(s));
    CHECK(seen.size() == std::size(inputs));
  }

  TEST_CASE("content_hash: a single flipped bit in a long input changes the hash") {
    std::string s(1000, 'x');
    const std::string before = pat::content_hash(s);
    s[500] = static_cast<char>(s[500] ^ 1);
    CHECK(pat::content_hash(s) != before);
  }

  TEST_CASE("content_hash: the two halves are independent") {
    const std::string h = pat::content_hash("hello world");
    CHECK(h.substr(0, 16) != h.substr(16));
  }

}  // TEST_SUITE
