#include <string>

#include <doctest/doctest.h>

#include "ingest/failure_text.hpp"

TEST_SUITE("failure_text") {
  TEST_CASE("unwrap_failure_text: Bash 'Exit code N' prefix becomes exit_code, the rest the error") {
    const auto f = pat::unwrap_failure_text("Exit code 1\nls: cannot access");
    REQUIRE(f.exit_code.has_value());
    CHECK(*f.exit_code == 1);
    CHECK(f.error == "ls: cannot access");
  }

  TEST_CASE("unwrap_failure_text: multi-line output after the exit code is kept whole") {
    const auto f = pat::unwrap_failure_text("Exit code 2\n/c/Users/x\nls: cannot access 'y': No such file");
    CHECK(f.exit_code == 2);
    CHECK(f.error == "/c/Users/x\nls: cannot access 'y': No such file");
  }

  TEST_CASE("unwrap_failure_text: <tool_use_error> wrapper is stripped, no exit code") {
    const auto f = pat::unwrap_failure_text("<tool_use_error>String to replace not found in file.</tool_use_error>");
    CHECK_FALSE(f.exit_code.has_value());
    CHECK(f.error == "String to replace not found in file.");
  }

  TEST_CASE("unwrap_failure_text: plain text is kept as it is") {
    const auto f = pat::unwrap_failure_text("File does not exist.");
    CHECK_FALSE(f.exit_code.has_value());
    CHECK(f.error == "File does not exist.");
  }

  TEST_CASE("unwrap_failure_text: 'Exit code 127' alone gives the code and an empty error") {
    const auto f = pat::unwrap_failure_text("Exit code 127");
    CHECK(f.exit_code == 127);
    CHECK(f.error.empty());
  }

  TEST_CASE("unwrap_failure_text: surrounding whitespace and \\r\\n are trimmed") {
    const auto f = pat::unwrap_failure_text("  Exit code 3\r\ncommand not found\n\n");
    CHECK(f.exit_code == 3);
    CHECK(f.error == "command not found");
  }

  TEST_CASE("unwrap_failure_text: a negative exit code is parsed") {
    const auto f = pat::unwrap_failure_text("Exit code -1\nkilled");
    CHECK(f.exit_code == -1);
    CHECK(f.error == "killed");
  }

  TEST_CASE("unwrap_failure_text: both wrappers together are both removed") {
    const auto f = pat::unwrap_failure_text("<tool_use_error>Exit code 2\nboom</tool_use_error>");
    CHECK(f.exit_code == 2);
    CHECK(f.error == "boom");
  }

  TEST_CASE("unwrap_failure_text: 'Exit code' not followed by a number alone on its line is text") {
    for (const std::string raw : {"Exit code 1x\nfoo", "Exit code \nfoo", "Exit code abc", "exit code 1\nfoo"}) {
      CAPTURE(raw);
      const auto f = pat::unwrap_failure_text(raw);
      CHECK_FALSE(f.exit_code.has_value());
      CHECK(f.error == raw);
    }
  }

  TEST_CASE("unwrap_failure_text: an absurdly long exit code is not parsed (no overflow)") {
    const auto f = pat::unwrap_failure_text("Exit code 99999999999999999999999\nx");
    CHECK_FALSE(f.exit_code.has_value());
  }

  TEST_CASE("unwrap_failure_text: empty input gives an empty error") {
    const auto f = pat::unwrap_failure_text("");
    CHECK(f.error.empty());
    CHECK_FALSE(f.exit_code.has_value());
  }

}  // TEST_SUITE
