#include <algorithm>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "detect/error_lines.hpp"
#include "detect/line_template.hpp"
#include "detect/template_similarity.hpp"

namespace {

using pat::line_template;

// Each line of `variants` must give the template `expected`.
void check_all_give(std::initializer_list<std::string_view> variants, std::string_view expected) {
  for (const auto v : variants) {
    CAPTURE(v);
    CHECK(line_template(v) == expected);
  }
}

// Whether every multi-byte sequence of `s` is whole: the templater must never cut one. Kept
// here rather than linked from utf8.cpp so that this test builds with the templater alone.
bool utf8_sequences_whole(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += len;
  }
  return true;
}

struct Labelled {
  std::string group, message;
};

std::vector<Labelled> read_labelled_messages() {
  std::vector<Labelled> rows;
  std::ifstream in(std::string(PAT_TEST_DATA) + "/error_messages.tsv", std::ios::binary);
  for (std::string line; std::getline(in, line);) {
    const auto tab = line.find('\t');
    if (line.empty() || tab == std::string::npos) continue;
    rows.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  return rows;
}

// Share of items whose key's majority value is their own value: with key = template id and
// value = label it says whether a template holds one mistake; with key = label and value =
// template id, whether one mistake has one template.
double majority_agreement(const std::vector<std::pair<std::string, std::string>>& key_value) {
  std::map<std::string, std::map<std::string, int>> counts;
  for (const auto& [key, value] : key_value) ++counts[key][value];
  int agreeing = 0;
  for (const auto& [key, values] : counts) {
    int most = 0;
    for (const auto& [value, n] : values) most = std::max(most, n);
    agreeing += most;
  }
  return key_value.empty() ? 0.0 : static_cast<double>(agreeing) / static_cast<double>(key_value.size());
}

}  // namespace

TEST_SUITE("error_template") {
  TEST_CASE("line_template: numbers") {
    CHECK(line_template("listening on port 8080 failed after 3 retries") ==
          "listening on port <*> failed after <*> retries");
    CHECK(line_template("Found 12 matches of the string") == "Found <*> matches of the string");
    CHECK(line_template("index out of range [-1]") == "index out of range [<*>]");
    check_all_give({"limit of 40,000 tokens", "limit of 2,000,000 tokens", "limit of 800 tokens"},
                   "limit of <*> tokens");
  }

  TEST_CASE("line_template: hashes and SHAs, short and full") {
    check_all_give({"fatal: bad object e83c5163316f89bfbde7d9ab23ca2e25604af290", "fatal: bad object 1a2b3c4",
                    "fatal: bad object 77f0e4cd9a"},
                   "fatal: bad object <*>");
  }

  TEST_CASE("line_template: UUIDs in either case") {
    check_all_give({"session 0f8fad5b-d9cb-469f-a165-70867728950e expired",
                    "session 3F2504E0-4F89-11D3-9A0C-0305E82C3301 expired"},
                   "session <*> expired");
  }

  TEST_CASE("line_template: paths, unix and Windows, absolute and relative") {
    check_all_give({"open /var/lib/app/data.db failed", "open src/app/main.ts failed", "open ./run.sh failed",
                    "open ../lib/x failed", "open ~/notes.txt failed", "open C:\\Users\\dev\\app.log failed",
                    "open D:/builds/out.zip failed", "open \\\\server\\share\\x.txt failed",
                    "open tests\\unit\\test_core.py failed", "open config.yaml failed", "open .env failed",
                    "open src/**/*.ts failed"},
                   "open <*> failed");
  }

  TEST_CASE("line_template: URLs") {
    check_all_give({"GET https://api.example.com/v1/users?id=7&sort=asc failed", "GET http://localhost:8080/ failed",
                    "GET unix:///var/run/docker.sock failed"},
                   "GET <*> failed");
  }

  TEST_CASE("line_template: quoted names in every quoting style") {
    CHECK(line_template("No module named 'requests'") == "No module named '<*>'");
    CHECK(line_template("pods \"web-1\" not found") == "pods \"<*>\" not found");
    CHECK(line_template("cannot find value `foo` in this scope") == "cannot find value `<*>` in this scope");
    CHECK(line_template("No rule to make target `all'.") == "No rule to make target `<*>'.");
    CHECK(line_template("error: \xE2\x80\x98size\xE2\x80\x99 undeclared") ==
          "error: \xE2\x80\x98<*>\xE2\x80\x99 undeclared");
    // A quoted path with spaces is one value too.
    CHECK(line_template("Cannot find path 'C:\\Program Files\\Tool\\a.ini' because") ==
          "Cannot find path '<*>' because");
    // Apostrophes inside words are not quotes.
    CHECK(line_template("can't open 'x': it's gone") == "can't open '<*>': it's gone");
    // Empty quotes are kept as they are.
    CHECK(line_template("in API group \"\" in the namespace \"prod\"") == "in API group \"\" in the namespace \"<*>\"");
  }

  TEST_CASE("line_template: hosts and IP addresses, with ports, IPv4 and IPv6") {
    check_all_give({"connect 10.0.0.5:443 refused", "connect [2001:db8::1]:443 refused", "connect ::1 refused",
                    "connect :::3000 refused", "connect fe80::1%eth0 refused", "connect registry.npmjs.org refused",
                    "connect localhost:5432 refused", "connect localhost refused", "connect [::]:80 refused"},
                   "connect <*> refused");
  }

  TEST_CASE("line_template: times, dates and durations") {
    check_all_give({"at 2024-05-01T12:34:56.789Z the job failed", "at 2024-11-08T17:45:12.310+01:00 the job failed",
                    "at 12:30 the job failed", "at May  3 14:22:07 the job failed",
                    "at Jan 30 18:13:44 UTC the job failed", "at 10:00 PM the job failed"},
                   "at <*> the job failed");
    check_all_give({"timed out after 1.5s", "timed out after 300ms", "timed out after 2m 0.0s",
                    "timed out after 120 seconds", "timed out after 7 s"},
                   "timed out after <*>");
  }

  TEST_CASE("line_template: sizes, hex numbers, e-mail addresses, versions") {
    check_all_give({"wrote 12KB", "wrote 3.5 MiB", "wrote 1.02 GB", "wrote 512 bytes", "wrote 100%"}, "wrote <*>");
    CHECK(line_template("code=0x1f addr=0xdeadbeef") == "code=<*> addr=<*>");
    CHECK(line_template("mail to bob@example.com bounced") == "mail to <*> bounced");
    CHECK(line_template("requires rustc 1.70.0 but found v1.65.2") == "requires rustc <*> but found <*>");
    CHECK(line_template("installed left-pad@1.3.0") == "installed <*>");
  }

  TEST_CASE("line_template: words, keywords, error codes and well-known forms stay") {
    for (const std::string_view kept :
         {"fatal: not a git repository", "error: externally-managed-environment", "error[E0425]: cannot find value",
          "error TS2304: Cannot find name", "Error: ENOENT: no such file",
          "panic: runtime error: nil pointer dereference [signal SIGSEGV: segmentation violation]",
          "encoding utf-8 with ipv4 on x86_64 and sha256", "java.lang.NullPointerException: Cannot invoke",
          "No changes to make: old_string and new_string are the same.",
          "File has not been read yet. Read it first before writing to it.", "I/O error on N/A, e.g. this"}) {
      CAPTURE(kept);
      CHECK(line_template(kept) == kept);
    }
  }

  TEST_CASE("line_template: HTTP statuses are kept, other 3-digit numbers are not") {
    CHECK(line_template("HTTP 404 from server") == "HTTP 404 from server");
    CHECK(line_template("HTTP 404 from server") != line_template("HTTP 500 from server"));
    CHECK(line_template("Request failed with status code 503") == "Request failed with status code 503");
    CHECK(line_template("npm ERR! 404 Not Found - GET https://x.org/y") == "npm ERR! 404 Not Found - GET <*>");
    CHECK(line_template("Error: 429 Too Many Requests, retry after 30s") ==
          "Error: 429 Too Many Requests, retry after <*>");
    CHECK(line_template("HTTP/1.1 502 Bad Gateway") == "HTTP/1.1 502 Bad Gateway");
    CHECK(line_template("The requested URL returned error: 403") == "The requested URL returned error: 403");
    CHECK(line_template("listening on port 500") == "listening on port <*>");
    CHECK(line_template("550 5.1.1 <a@b.org>: rejected") == "<*> <<*>>: rejected");
    // A one-digit exit status is a value; 126/127/137 name what happened.
    CHECK(line_template("exit status 1") == "exit status <*>");
    CHECK(line_template("exit code 127") == "exit code 127");
  }

  TEST_CASE("line_template: the same mistake with other values gives the same template") {
    check_all_give({"/usr/bin/bash: line 1: just: command not found", "/usr/bin/bash: line 3: rg: command not found",
                    "/usr/bin/bash: line 1: cargo-nextest: command not found"},
                   "<*>: line <*>: <*>: command not found");
    check_all_give({"zsh: command not found: just", "zsh: command not found: pip3"}, "zsh: command not found: <*>");
    check_all_give({"/usr/bin/bash: line 1: cd: dir: No such file or directory",
                    "/usr/bin/bash: line 4: cd: /opt/app/x: No such file or directory"},
                   "<*>: line <*>: cd: <*>: No such file or directory");
    check_all_give({"./main.go:12:5: undefined: handler", "pkg/api/routes.go:7:9: undefined: middleware.Auth"},
                   "<*>: undefined: <*>");
    check_all_give({"grep: notes: No such file or directory", "grep: ./lib/parser.c: No such file or directory"},
                   "grep: <*>: No such file or directory");
    check_all_give({"<tool_use_error>Error: No such tool available: mcp__x__y</tool_use_error>",
                    "<tool_use_error>Error: No such tool available: WebSearch</tool_use_error>"},
                   "<tool_use_error>Error: No such tool available: <*></tool_use_error>");
  }

  TEST_CASE("line_template: a different mistake gives a different template") {
    CHECK(line_template("Error: ENOENT: no such file or directory, open '/x/y'") !=
          line_template("EISDIR: illegal operation on a directory, read '/x/y'"));
    CHECK(line_template("rm: cannot remove 'build': Permission denied") !=
          line_template("rm: cannot remove 'build': Is a directory"));
    CHECK(line_template("TypeError: Cannot read properties of undefined (reading 'x')") !=
          line_template("TypeError: Cannot read properties of null (reading 'x')"));
    CHECK(line_template("error[E0425]: cannot find value `x` in this scope") !=
          line_template("error[E0412]: cannot find type `x` in this scope"));
  }

  TEST_CASE("line_template: flags, called names and code identifiers are values") {
    CHECK(line_template("error: unexpected argument --foo") == "error: unexpected argument <*>");
    CHECK(line_template("invalid option -z given") == "invalid option <*> given");
    CHECK(line_template("TypeError: fetch_data() takes 2 positional arguments") ==
          "TypeError: <*>() takes <*> positional arguments");
    CHECK(line_template("--- FAIL: TestParseConfig (0.00s)") == "--- FAIL: <*> (<*>)");
    CHECK(line_template("TypeError: fetchUser is not a function") == "TypeError: <*> is not a function");
    // Error class names and kinds in parentheses are not.
    CHECK(line_template("Error from server (NotFound): pods \"x\" not found") ==
          "Error from server (NotFound): pods \"<*>\" not found");
    CHECK(line_template("ModuleNotFoundError: No module named 'x'") == "ModuleNotFoundError: No module named '<*>'");
  }

  TEST_CASE("line_template: structured bodies keep their keys and messages, mask their values") {
    CHECK(
        line_template(
            R"(API Error: 400 {"error":{"type":"invalid_request_error","message":"max_tokens: 100000 > 64000"},"request_id":"req_011CQ8nY"})") ==
        R"(API Error: 400 {"error":{"type":"invalid_request_error","message":"max_tokens: <*> > <*>"},"request_id":"<*>"})");
    CHECK(line_template(R"({"message":"pods \"x\" not found","code":404})") ==
          R"({"message":"pods \"<*>\" not found","code":404})");
    CHECK(line_template(R"(level=error msg="failed to connect" err="dial tcp 10.0.0.1:5432")") ==
          R"(level=error msg="failed to connect" err="dial tcp <*>")");
    CHECK(line_template("{'detail': 'Not authenticated'}") == "{'detail': 'Not authenticated'}");
    // "==" is no key: the quoted names after it are values.
    CHECK(line_template("assert 'hello-world' == 'hello_world'") == "assert '<*>' == '<*>'");
  }

  TEST_CASE("line_template: consecutive values collapse into one <*>") {
    CHECK(line_template("May  3 14:22:07 web01 kernel: oops") == "<*> kernel: oops");
    CHECK(line_template("took 2m 0.0s") == "took <*>");
    // Values separated by punctuation stay apart.
    CHECK(line_template("line 3, column 9 (char 17)") == "line <*>, column <*> (char <*>)");
    CHECK(line_template("at [12]:[5]") == "at [<*>]:[<*>]");
  }

  TEST_CASE("line_template: white space is collapsed and trimmed, terminal colours are dropped") {
    CHECK(line_template("  ! [rejected]        main -> main   ") == "! [rejected] main -> main");
    CHECK(line_template("\ttab\tand\r\n spaces") == "tab and spaces");
    CHECK(line_template("\x1b[31merror\x1b[0m: file 12 missing") == "error: file <*> missing");
  }

  TEST_CASE("line_template: the output buffer is overwritten and can be reused") {
    std::string out = "old contents";
    line_template("port 80 closed", out);
    CHECK(out == "port <*> closed");
    line_template("", out);
    CHECK(out.empty());
  }

  TEST_CASE("line_template: odd input does not crash and keeps valid UTF-8 whole") {
    CHECK(line_template("").empty());
    CHECK(line_template("   \t  ").empty());
    CHECK(line_template(std::string_view("nul\0byte 12", 11)) == "nul byte <*>");
    CHECK_NOTHROW(line_template("bad \xff\xfe utf8 12\xc3"));
    CHECK_NOTHROW(line_template("\xe2\x80"));
    CHECK_NOTHROW(line_template("x\x1b"));
    CHECK_NOTHROW(line_template("x\x1b]0;title"));
    CHECK_NOTHROW(line_template("\\"));
    CHECK_NOTHROW(line_template("\"\\"));
    // Unmatched typographic quotes and malformed terminal escapes next to multi-byte characters.
    CHECK(line_template("it\xE2\x80\x99s \xE2\x80\x98x\xE2\x80\x99") == "it\xE2\x80\x99s \xE2\x80\x98<*>\xE2\x80\x99");
    for (const std::string_view odd :
         {"()\x1b[,\xE2\x80\x98\xE2\x80\x98\\\xE2\x80\x98status", "\x1b\xC3\xA9 x", "\x1b[1;\xE6\x97\xA5 y"}) {
      CAPTURE(odd);
      CHECK(utf8_sequences_whole(line_template(odd)));
    }

    const std::string unicode =
        "r\xC3\xA9sum\xC3\xA9 \xE2\x80\x98na\xC3\xAFve\xE2\x80\x99 caf\xC3\xA9"
        "123 "
        "\xC3\xBC"
        "ber/stra\xC3\x9F"
        "e \xE6\x97\xA5\xE6\x9C\xAC 'ファイル' 12\xE2\x82\xAC";
    const std::string t = line_template(unicode);
    CHECK(t == "r\xC3\xA9sum\xC3\xA9 \xE2\x80\x98<*>\xE2\x80\x99 <*> \xE6\x97\xA5\xE6\x9C\xAC '<*>' <*>");
    CHECK(utf8_sequences_whole(t));
  }

  TEST_CASE("line_template: megabyte lines of any shape are templated whole") {
    const std::size_t mb = 1 << 20;
    auto repeated = [mb](std::string_view unit) {
      std::string s;
      while (s.size() < mb) s.append(unit);
      return s;
    };
    const std::string words = repeated("word ");
    CHECK(line_template(words) == words.substr(0, words.size() - 1));
    CHECK(line_template(repeated("12 ")) == "<*>");
    CHECK(line_template(std::string(mb, 'x')).size() == mb);
    CHECK(line_template(std::string(mb, '7')) == "<*>");
    // Pathological quoting and bracketing: each stays linear.
    for (const std::string_view unit : {"'", " 'a", "\"", "\\\"", "`", "\xE2\x80\x98", "[", "{\"", "\\", "\x1b["}) {
      CAPTURE(unit);
      const std::string line = repeated(unit);
      CHECK_NOTHROW(line_template(line));
    }
    const std::string multi = repeated("\xC3\xA9\xE6\x97\xA5 9 ");
    CHECK(utf8_sequences_whole(line_template(multi)));
  }

  TEST_CASE("error_lines: picks the error line out of a long Bash output") {
    std::string output;
    for (int i = 0; i < 50; ++i)
      output += "-rw-r--r-- 1 dev dev 1234 May  3 10:00 file_" + std::to_string(i) + ".txt\n";
    output += "-rw-r--r-- 1 dev dev 88 May  3 10:00 error.log\n";
    output += "-rw-r--r-- 1 dev dev 88 May  3 10:00 failed_tests/\n";
    output += "grep: x: No such file or directory\n";
    CHECK(pat::error_lines(output) == "grep: x: No such file or directory");
  }

  TEST_CASE("error_lines: the last line of a Python traceback carries the error") {
    const std::string tb =
        "Traceback (most recent call last):\n  File \"/app/main.py\", line 3, in <module>\n"
        "    import requests\nModuleNotFoundError: No module named 'requests'\n";
    CHECK(pat::error_lines(tb) == "ModuleNotFoundError: No module named 'requests'");
  }

  TEST_CASE("error_lines: lines naming an error come before lines naming a symptom, in text order") {
    const std::string text =
        "Compiling app v0.1.0\nwarning: unused variable\nsome path not found\nerror[E0425]: cannot find value `x`\n"
        "  --> src/main.rs:3:5\nerror: could not compile `app` (bin \"app\") due to 1 previous error\n";
    CHECK(pat::error_lines(text, 2) ==
          "error[E0425]: cannot find value `x`\nerror: could not compile `app` (bin \"app\") due to 1 previous error");
    CHECK(pat::error_lines(text, 3) ==
          "some path not found\nerror[E0425]: cannot find value `x`\n"
          "error: could not compile `app` (bin \"app\") due to 1 previous error");
  }

  TEST_CASE("error_lines: at most max_lines lines, the first ones") {
    std::string text;
    for (int i = 0; i < 10; ++i) text += "npm ERR! line " + std::to_string(i) + "\n";
    CHECK(pat::error_lines(text, 2) == "npm ERR! line 0\nnpm ERR! line 1");
    CHECK(pat::error_lines(text, 0).empty());
  }

  TEST_CASE("error_lines: a text of one line, or without an error line, gives its last lines") {
    CHECK(pat::error_lines("  File does not exist.  ") == "File does not exist.");
    CHECK(pat::error_lines("one\n\ntwo\nthree\nfour\n\n") == "two\nthree\nfour");
    CHECK(pat::error_lines("").empty());
    CHECK(pat::error_lines("\n\n  \n").empty());
  }

  TEST_CASE("error_lines: an exit status line is used only when nothing else says what failed") {
    CHECK(pat::error_lines("Exit code 1\nls: cannot access 'x': No such file or directory") ==
          "ls: cannot access 'x': No such file or directory");
    CHECK(pat::error_lines("building...\nprocess exited with code 2\ndone") == "process exited with code 2");
  }

  TEST_CASE("error_lines: words count whole, also CamelCase error names and can't") {
    CHECK(pat::error_lines("a\nb\nKeyError: 'x'\nc") == "KeyError: 'x'");
    CHECK(pat::error_lines("a\nb\nI can't do that\nc") == "I can't do that");
    CHECK(pat::error_lines("a\nb\nconnection timed out\nc") == "connection timed out");
    CHECK(pat::error_lines("a\n\x1b[31mERROR\x1b[0m boom\nc") == "\x1b[31mERROR\x1b[0m boom");
    // Inside names they don't.
    CHECK(pat::error_lines("x\nsrc/errors/mod.rs\nmy-error.txt\ny") == "src/errors/mod.rs\nmy-error.txt\ny");
  }

  TEST_CASE("error_lines: very long lines are cut without splitting a character") {
    std::string line = "error: ";
    while (line.size() < 10000) line += "\xE6\x97\xA5";
    const std::string got = pat::error_lines("ok\n" + line);
    CHECK(got.size() <= 2048);
    CHECK(got.size() > 2000);
    CHECK(utf8_sequences_whole(got));
  }

  TEST_CASE("failure_template: each error line templated, joined by ' | ', repeats said once") {
    const std::string text =
        "npm ERR! code E404\nnpm ERR! 404 Not Found - GET https://registry.npmjs.org/left-padd - Not found\n"
        "npm ERR! 404 Not Found - GET https://registry.npmjs.org/reactt - Not found\n";
    CHECK(pat::failure_template(text) == "npm ERR! code E404 | npm ERR! 404 Not Found - GET <*> - Not found");
    CHECK(pat::failure_template("Exit code 1\nls: cannot access 'x': No such file or directory") ==
          "ls: cannot access '<*>': No such file or directory");
  }

  TEST_CASE("failure_template: a wrapping markup element is not part of the message") {
    CHECK(pat::failure_template("<tool_use_error>String to replace not found in file.</tool_use_error>") ==
          "String to replace not found in file.");
    CHECK(pat::failure_template("<error>x</warning>") == "<error>x</warning>");
    CHECK(pat::failure_template("").empty());
  }

  TEST_CASE("failure_template: a value the call passed is a value wherever the error quotes it") {
    const std::vector<std::string> slug{"frame-review-release-vector"};
    CHECK(pat::failure_template("quillpad: nib overflow on frame-review-release-vector", slug) ==
          "quillpad: nib overflow on <*>");
    CHECK(pat::failure_template("slug frame-review-release-vector.", slug) == "slug <*>.");
    // Only a whole token: not a piece of a longer word.
    const std::vector<std::string> rate{"rate"};
    CHECK(pat::failure_template("rate-limit hit: rates and rate", rate) == "rate-limit hit: rates and <*>");
    CHECK(pat::failure_template("compress=brotli drubbles; plinko zstd|gzip|none", {"brotli"}) ==
          "compress=<*> drubbles; plinko zstd|gzip|none");
    // Without the call's values the text is templated as before.
    CHECK(pat::failure_template("quillpad: nib overflow on frame-review-release-vector") ==
          "quillpad: nib overflow on frame-review-release-vector");
  }

  TEST_CASE("template_similarity: identical, unrelated, one masked value apart") {
    CHECK(pat::template_similarity("bash: <*>: command not found", "bash: <*>: command not found") == 1.0);
    CHECK(pat::template_similarity("File has not been read yet. Read it first before writing to it.",
                                   "String to replace not found in file.") < 0.3);
    CHECK(pat::template_similarity("ls: cannot access '<*>': No such file or directory",
                                   "ls: cannot access 'src': No such file or directory") == 1.0);
    CHECK(pat::template_similarity("error: could not compile `<*>` (lib) due to <*> previous errors",
                                   "error: could not compile `<*>` (lib) due to 3 previous errors") >= 0.9);
    CHECK(pat::template_similarity("error: could not compile `<*>` (lib) due to <*> previous errors",
                                   "error: could not compile `<*>` (lib) due to <*> previous error") >= 0.9);
    CHECK(pat::template_similarity("rm: cannot remove '<*>': Permission denied",
                                   "rm: cannot remove '<*>': Is a directory") < 0.7);
  }

  TEST_CASE("template_similarity: symmetric, empty inputs, bounded on long inputs") {
    const std::string_view a = "fatal: ambiguous argument '<*>': unknown revision";
    const std::string_view b = "fatal: bad object <*>";
    CHECK(pat::template_similarity(a, b) == pat::template_similarity(b, a));
    CHECK(pat::template_similarity("", "") == 1.0);
    CHECK(pat::template_similarity("", "x") == 0.0);
    std::string long_a, long_b;
    for (int i = 0; i < 100000; ++i) {
      long_a += "w ";
      long_b += i % 2 ? "w " : "v ";
    }
    const double s = pat::template_similarity(long_a, long_b);
    CHECK(s >= 0.0);
    CHECK(s <= 1.0);
  }

  TEST_CASE("template_id: 16 hex digits, stable across builds") {
    const std::string id = pat::template_id("bash: <*>: command not found");
    CHECK(id == "d855e08e9d82f920");
    CHECK(pat::template_id(line_template("bash: just: command not found")) == id);
    CHECK(pat::template_id("bash: <*>: command not found.") != id);
  }

  TEST_CASE("the labelled messages: one template per mistake, one mistake per template") {
    const auto rows = read_labelled_messages();
    REQUIRE(rows.size() >= 300);
    std::vector<std::pair<std::string, std::string>> by_template, by_group;
    std::map<std::string, int> groups;
    for (const auto& row : rows) {
      const std::string id = pat::template_id(pat::failure_template(row.message));
      by_template.emplace_back(id, row.group);
      by_group.emplace_back(row.group, id);
      ++groups[row.group];
    }
    REQUIRE(groups.size() >= 40);
    const double purity = majority_agreement(by_template);
    const double completeness = majority_agreement(by_group);
    const double accuracy = std::min(purity, completeness);
    MESSAGE("error_messages.tsv: " << rows.size() << " messages, " << groups.size() << " groups; purity " << purity
                                   << ", completeness " << completeness << ", accuracy " << accuracy);
    CHECK(accuracy >= 0.90);
  }

}  // TEST_SUITE
