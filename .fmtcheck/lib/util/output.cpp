#include "util/output.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "util/error.hpp"

namespace pat {

Output::Output(int fd) : fd_(fd) { buf_.reserve(1 << 16); }

Output::~Output() {
  try {
    flush();
  } catch (...) {  // destructors must not throw; callers flush explicitly to see errors
  }
}

void Output::write_line(std::string_view line) {
  if (closed_) return;
  buf_.append(line);
  buf_.push_back('\n');
  if (buf_.size() >= (1 << 16)) flush();
}

void Output::flush() {
  std::size_t done = 0;
  while (!closed_ && done < buf_.size()) {
    const ssize_t n = ::write(fd_, buf_.data() + done, buf_.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EPIPE) {
        closed_ = true;
        break;
      }
      const int err = errno;
      buf_.clear();
      throw Error(Exit::io_error, fmt::format("write error on standard output: {}", std::strerror(err)));
    }
    done += static_cast<std::size_t>(n);
  }
  buf_.clear();
}

}  // namespace pat
