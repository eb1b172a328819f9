#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "unit_helpers.hpp"
#include "util/error.hpp"
#include "util/input_reader.hpp"

using pat::InputFile;
using pat::InputLine;
using pat::LineReader;
using pat_test::TempDir;

namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;  // the reader's internal chunk size

struct Line {
  std::string text;
  std::size_t number;
  std::uint64_t offset;
  bool terminated;
  bool too_long;
  std::uint64_t length;
};

std::vector<Line> read_all(const std::string& path, std::size_t max_line, std::size_t keep_bytes) {
  InputFile in(path);
  LineReader reader(in, max_line, keep_bytes);
  std::vector<Line> out;
  InputLine l;
  while (reader.next(l))
    out.push_back(Line{std::string(l.text), l.number, l.offset, l.terminated, l.too_long, l.length});
  return out;
}

std::vector<Line> read_bytes(const std::string& bytes, std::size_t max_line = 16 * kMiB, std::size_t keep_bytes = 64) {
  TempDir tmp;
  const auto path = tmp / "input";
  pat_test::write_file(path, bytes);
  return read_all(path.string(), max_line, keep_bytes);
}

}  // namespace

TEST_SUITE("input_reader") {
  TEST_CASE("LineReader: line numbers, byte offsets and \\r\\n stripped") {
    const auto lines = read_bytes("one\ntwo\r\n\nthree");
    REQUIRE(lines.size() == 4);
    CHECK(lines[0].text == "one");
    CHECK(lines[0].number == 1);
    CHECK(lines[0].offset == 0);
    CHECK(lines[1].text == "two");
    CHECK(lines[1].number == 2);
    CHECK(lines[1].offset == 4);
    CHECK(lines[2].text.empty());
    CHECK(lines[2].number == 3);
    CHECK(lines[2].offset == 9);
    CHECK(lines[3].text == "three");
    CHECK(lines[3].offset == 10);
    for (const auto& l : lines) CHECK_FALSE(l.too_long);
  }

  TEST_CASE("LineReader: the last line without a newline is marked terminated=false") {
    const auto lines = read_bytes("a\nb");
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].terminated);
    CHECK_FALSE(lines[1].terminated);
    CHECK(lines[1].text == "b");
  }

  TEST_CASE("LineReader: a final newline does not make an extra empty line") {
    const auto lines = read_bytes("a\nb\n");
    REQUIRE(lines.size() == 2);
    CHECK(lines[1].terminated);
  }

  TEST_CASE("LineReader: an empty file has no lines") { CHECK(read_bytes("").empty()); }

  TEST_CASE("LineReader: only a lone \\r before the newline is stripped") {
    const auto lines = read_bytes("a\rb\r\r\n");
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].text == "a\rb\r");
  }

  TEST_CASE("LineReader: NUL bytes are kept inside a line") {
    const auto lines = read_bytes(std::string("a\0b\nc", 5));
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].text == std::string("a\0b", 3));
  }

  TEST_CASE("LineReader: offset() and lines_read() follow what was consumed") {
    TempDir tmp;
    pat_test::write_file(tmp / "f", "12345\n678\n");
    InputFile in((tmp / "f").string());
    LineReader r(in, 1000, 10);
    InputLine l;
    REQUIRE(r.next(l));
    CHECK(r.offset() == 6);
    CHECK(r.lines_read() == 1);
    REQUIRE(r.next(l));
    CHECK(r.offset() == 10);
    CHECK_FALSE(r.next(l));
    CHECK(r.lines_read() == 2);
  }

  TEST_CASE("LineReader: lines crossing the 1 MiB chunk boundary are read whole") {
    // The first line ends 10 bytes before the boundary; the second (with a \r\n) straddles it.
    const std::string first(kMiB - 11, 'a');
    const std::string second = std::string(9, 'b') + std::string(100, 'c');
    const std::string bytes = first + "\n" + second + "\r\n" + "tail\n";
    REQUIRE(first.size() + 1 + 9 + 1 == kMiB);
    const auto lines = read_bytes(bytes);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].text == first);
    CHECK(lines[1].text == second);
    CHECK(lines[1].offset == kMiB - 10);
    CHECK(lines[2].text == "tail");
    CHECK(lines[2].offset == kMiB - 10 + second.size() + 2);
    for (const auto& l : lines) CHECK_FALSE(l.too_long);
  }

  TEST_CASE("LineReader: a \\r\\n split exactly at the chunk boundary is stripped") {
    const std::string first(kMiB - 1, 'x');  // its \r is the last byte of the first chunk
    const auto lines = read_bytes(first + "\r\nnext\n");
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].text == first);
    CHECK(lines[1].text == "next");
    CHECK(lines[1].offset == kMiB + 1);
  }

  TEST_CASE("LineReader: a line of several MiB within the limit is read whole") {
    const std::string big(3 * kMiB + 123, 'z');
    const auto lines = read_bytes("a\n" + big + "\nb\n");
    REQUIRE(lines.size() == 3);
    CHECK(lines[1].text.size() == big.size());
    CHECK(lines[1].text == big);
    CHECK(lines[2].text == "b");
    CHECK(lines[2].offset == 2 + big.size() + 1);
  }

  TEST_CASE("LineReader: a line over max_line across chunks is too_long, keeps keep_bytes, and the next line is fine") {
    std::string big;
    big.reserve(3 * kMiB);
    for (std::size_t i = 0; i < 3 * kMiB; ++i) big += static_cast<char>('a' + i % 26);
    const auto lines = read_bytes("head\n" + big + "\n{\"after\":1}\nlast", 1000, 100);
    REQUIRE(lines.size() == 4);
    CHECK(lines[0].text == "head");
    CHECK(lines[1].too_long);
    CHECK(lines[1].terminated);
    CHECK(lines[1].number == 2);
    CHECK(lines[1].offset == 5);
    CHECK(lines[1].text == big.substr(0, 100));
    CHECK(lines[1].length == big.size());
    CHECK_FALSE(lines[2].too_long);
    CHECK(lines[2].text == "{\"after\":1}");
    CHECK(lines[2].number == 3);
    CHECK(lines[2].offset == 5 + big.size() + 1);
    CHECK(lines[3].text == "last");
    CHECK_FALSE(lines[3].terminated);
  }

  TEST_CASE("LineReader: a too-long last line without a newline is reported too_long") {
    const std::string big(2 * kMiB, 'q');
    const auto lines = read_bytes("ok\n" + big, 1000, 10);
    REQUIRE(lines.size() == 2);
    CHECK(lines[1].too_long);
    CHECK_FALSE(lines[1].terminated);
    CHECK(lines[1].text == std::string(10, 'q'));
    CHECK(lines[1].length == big.size());
  }

  TEST_CASE("LineReader: two too-long lines in a row are each reported") {
    const std::string a(kMiB + 5, 'a'), b(2 * kMiB + 7, 'b');
    const auto lines = read_bytes(a + "\n" + b + "\nc\n", 4096, 3);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].too_long);
    CHECK(lines[0].text == "aaa");
    CHECK(lines[0].length == a.size());
    CHECK(lines[1].too_long);
    CHECK(lines[1].text == "bbb");
    CHECK(lines[1].length == b.size());
    CHECK(lines[1].offset == a.size() + 1);
    CHECK(lines[2].text == "c");
    CHECK_FALSE(lines[2].too_long);
  }

  TEST_CASE("LineReader: a line over max_line within one chunk is too_long") {
    // The limit is only checked when no newline is found in the buffered data, so a line of
    // 5,000 bytes with max_line 1,000 comes back whole and not flagged.
    const std::string big(5000, 'x');
    const auto lines = read_bytes("a\n" + big + "\nb\n", 1000, 100);
    REQUIRE(lines.size() == 3);
    CHECK(lines[1].too_long);
    CHECK(lines[1].text.size() == 100);
    CHECK(lines[1].length == 5000);
    CHECK(lines[2].text == "b");
  }

  TEST_CASE("LineReader: start_offset is added to line offsets") {
    TempDir tmp;
    const auto path = tmp / "t.jsonl";
    pat_test::write_file(path, "old\nnew1\nnew2\n");
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    REQUIRE(::lseek(fd, 4, SEEK_SET) == 4);
    InputFile in(fd, "t.jsonl", true);
    CHECK(in.name() == "t.jsonl");
    LineReader r(in, 1000, 10, 4);
    InputLine l;
    REQUIRE(r.next(l));
    CHECK(l.text == "new1");
    CHECK(l.offset == 4);
    CHECK(l.number == 1);
    REQUIRE(r.next(l));
    CHECK(l.offset == 9);
  }

  TEST_CASE("LineReader: peek does not consume") {
    TempDir tmp;
    pat_test::write_file(tmp / "f", "[1,2]\nx\n");
    InputFile in((tmp / "f").string());
    LineReader r(in, 1000, 10);
    CHECK(r.peek(3) == "[1,");
    CHECK(r.peek(100) == "[1,2]\nx\n");
    InputLine l;
    REQUIRE(r.next(l));
    CHECK(l.text == "[1,2]");
  }

  TEST_CASE("LineReader: read_rest returns everything left, or the first limit bytes") {
    TempDir tmp;
    const std::string doc = "line1\n" + std::string(2 * kMiB, 'd') + "\nend";
    pat_test::write_file(tmp / "f", doc);
    {
      InputFile in((tmp / "f").string());
      LineReader r(in, 1000, 10);
      InputLine l;
      REQUIRE(r.next(l));
      std::string rest;
      std::uint64_t total = 0;
      CHECK(r.read_rest(rest, 16 * kMiB, total));
      CHECK(rest == doc.substr(6));
      CHECK(total == doc.size() - 6);
    }
    {
      InputFile in((tmp / "f").string());
      LineReader r(in, 1000, 10);
      std::string rest;
      std::uint64_t total = 0;
      CHECK_FALSE(r.read_rest(rest, 1000, total));
      CHECK(rest == doc.substr(0, 1000));
      CHECK(total > 1000);
      CHECK(total < doc.size());  // reading stopped past the limit
    }
  }

  TEST_CASE("InputFile: a missing path throws Exit::no_input naming the file") {
    TempDir tmp;
    const std::string path = (tmp / "missing.jsonl").string();
    const auto err = pat_test::error_of([&] { InputFile in(path); });
    CHECK(err.code == pat::Exit::no_input);
    CHECK(err.message.find("missing.jsonl") != std::string::npos);
  }

  TEST_CASE("InputFile: a directory throws Exit::no_input") {
    TempDir tmp;
    const auto err = pat_test::error_of([&] { InputFile in(tmp.path().string()); });
    CHECK(err.code == pat::Exit::no_input);
    CHECK(err.message.find("directory") != std::string::npos);
  }

  TEST_CASE("InputFile: \"-\" is stdin") {
    InputFile in("-");
    CHECK(in.name() == "<stdin>");
    CHECK(in.fd() == 0);
  }

}  // TEST_SUITE
