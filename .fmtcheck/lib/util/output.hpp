#pragma once
// Records to stdout, buffered. A reader that goes away (EPIPE: `| head`) ends output quietly;
// any other failed write is an error (exit 74), never ignored.
#include <string>
#include <string_view>

namespace pat {

class Output {
public:
  explicit Output(int fd = 1);
  ~Output();
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  void write_line(std::string_view line);
  void flush();
  bool closed() const { return closed_; }  // the reader has gone

private:
  int fd_;
  std::string buf_;
  bool closed_ = false;
};

}  // namespace pat
