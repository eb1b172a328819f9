#pragma once
// Reading input files and stdin in bounded pieces: lines (JSONL, logs) or whole documents (JSON
// arrays, pretty-printed payloads). A line over the limit is reported, not loaded whole: up to
// `keep_bytes` of it are kept for the rejects table and the rest is skipped.
#include <cstdint>
#include <string>
#include <string_view>

namespace pat {

class InputFile {
public:
  // "-" is stdin. Throws pat::Error(no_input) for a missing file or a directory.
  explicit InputFile(const std::string& name);
  // An already open descriptor, e.g. a transcript opened at an offset; closed here if `owned`.
  InputFile(int fd, std::string display_name, bool owned);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  const std::string& name() const { return name_; }  // "<stdin>" or the path as given
  int fd() const { return fd_; }

private:
  std::string name_;
  int fd_ = -1;
  bool owned_ = false;
};

struct InputLine {
  std::string_view text;     // without the newline (and without a trailing \r)
  std::size_t number = 0;    // 1-based
  std::uint64_t offset = 0;  // byte offset of the line's start in the input
  bool terminated = false;   // ended by \n (false: the last line, cut off)
  bool too_long = false;     // longer than max_line: `text` holds the first keep_bytes
  std::uint64_t length = 0;  // the line's full length in bytes
};

class LineReader {
public:
  LineReader(InputFile& in, std::size_t max_line, std::size_t keep_bytes, std::uint64_t start_offset = 0);

  // Next line, or false at end of input. The view is valid until the next call.
  bool next(InputLine& line);

  // At least `n` bytes of what comes next (fewer at end of input), without consuming them.
  std::string_view peek(std::size_t n);

  // Everything not yet consumed, appended to `out`. False if it exceeds `limit` bytes: then
  // `out` holds the first `limit` bytes and reading stops (the input may never end); `total` is
  // what was read, more than `limit`.
  bool read_rest(std::string& out, std::size_t limit, std::uint64_t& total);

  std::size_t lines_read() const { return line_no_; }
  std::uint64_t offset() const { return offset_; }

private:
  bool fill();  // reads more into buf_; false at end of input

  InputFile& in_;
  std::size_t max_line_;
  std::size_t keep_bytes_;
  std::string buf_;
  std::size_t pos_ = 0;
  bool eof_ = false;
  std::size_t line_no_ = 0;
  std::uint64_t offset_ = 0;  // input offset of buf_[pos_]
  std::string long_line_;
  std::size_t chunk_ = 16u << 10;  // bytes asked of the next read()
};

}  // namespace pat
