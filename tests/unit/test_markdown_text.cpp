#include <sstream>
#include <string>

#include <doctest/doctest.h>

#include "report/markdown_text.hpp"
#include "util/text.hpp"

using pat::md_code;
using pat::md_inline;
using pat::md_wrap;

TEST_SUITE("markdown_text") {
  TEST_CASE("md_inline: code spans kept, Markdown syntax escaped outside them") {
    CHECK(md_inline("Run `Read` on `file_path` first") == "Run `Read` on `file_path` first");
    CHECK(md_inline("__init__ and *args <*> [x]") == "\\_\\_init\\_\\_ and \\*args \\<\\*\\> \\[x\\]");
    CHECK(md_inline("a | b") == "a \\| b");
    CHECK(md_inline("`a|b`", true) == "`a\\|b`");
    CHECK(md_inline("`a|b`", false) == "`a|b`");
    CHECK(md_inline("one ` stray") == "one \\` stray");
    CHECK(md_inline("line\nbreak\t and  spaces ") == "line break and spaces");
    CHECK(md_inline("see https://example.com/x now") == "see `https://example.com/x` now");
    CHECK(md_inline("$HOME & @team") == "\\$HOME \\& \\@team");
    // Nothing becomes a link: URLs inside words, www. names, and control characters are blanks.
    CHECK(md_inline("[doc](http://x.y)") == "`[doc](http://x.y)`");
    CHECK(md_inline("go to www.example.com") == "go to `www.example.com`");
    CHECK(md_inline("a`b`http://x") == "a`b`http\\://x");
    CHECK(md_inline("(www.example.com)") == "(www\\.example.com)");
    CHECK(md_inline(std::string("a\0b\x01"
                                "c",
                                5)) == "a b c");
  }

  TEST_CASE("md_code: any text as one code span") {
    CHECK(md_code("plain") == "`plain`");
    CHECK(md_code("a `b` c") == "``a `b` c``");
    CHECK(md_code("`edge`") == "`` `edge` ``");
    CHECK(md_code("") == "(empty)");
    CHECK(md_code("x|y", true) == "`x\\|y`");
  }

  TEST_CASE("md_wrap: at most 80 columns, and no line starts a block") {
    std::string text;
    for (int i = 0; i < 40; ++i) text += "word - 1. # > + = | text ";
    const std::string wrapped = md_wrap(md_inline(text), "- ", "  ");
    std::istringstream lines(wrapped);
    std::string line;
    bool first = true;
    while (std::getline(lines, line)) {
      CAPTURE(line);
      CHECK(line.size() <= 80);
      if (!first) {
        REQUIRE(line.substr(0, 2) == "  ");
        const char c = line[2];
        CHECK(std::string("-+*>#=|<~").find(c) == std::string::npos);
        CHECK(!(c >= '0' && c <= '9' && line.size() > 3 && line[3] == '.'));
      }
      first = false;
    }
  }

  TEST_CASE("first_sentence and clip_text: cut outside code spans") {
    CHECK(pat::first_sentence("A value: `a. b` is wrong. Then it fails.", 200) == "A value: `a. b` is wrong.");
    CHECK(pat::first_sentence("No period at all", 200) == "No period at all");
    const std::string cut = pat::clip_text("some words then `a long code span that gets cut`", 30);
    CHECK(cut.size() <= 30);
    CHECK(cut.find('`') == std::string::npos);
    CHECK(cut.substr(cut.size() - 3) == "...");
    CHECK(pat::clip_text("short", 30) == "short");
    CHECK(pat::clip_text("ééééééééééééé", 10).size() <= 10);  // never inside a character
  }

  TEST_CASE("md_fence: a fence longer than the backticks inside, tabs and trailing blanks gone") {
    CHECK(pat::md_fence("a\n", "text") == "```text\na\n```\n");
    CHECK(pat::md_fence("x ```` y", "text") == "`````text\nx ```` y\n`````\n");
    CHECK(pat::md_fence("\tcmd  \n", "text") == "```text\n    cmd\n```\n");
  }

}  // TEST_SUITE
