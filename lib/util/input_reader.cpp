#include "util/input_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "util/error.hpp"

namespace pat {
namespace {
// Reads start small and double up to 1 MiB: a hook payload is a few KiB, and zero-filling a
// 1 MiB buffer (and faulting its pages in) would cost a hook run a quarter of its time.
constexpr std::size_t kMaxChunk = 1u << 20;
}  // namespace

InputFile::InputFile(const std::string& name) {
  if (name == "-") {
    name_ = "<stdin>";
    fd_ = 0;
    return;
  }
  name_ = name;
  fd_ = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw Error(Exit::no_input, fmt::format("{}: {}", name, std::strerror(errno)));
  owned_ = true;
  struct stat st {};
  if (::fstat(fd_, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd_);
    fd_ = -1;
    throw Error(Exit::no_input, fmt::format("{}: is a directory", name));
  }
}

InputFile::InputFile(int fd, std::string display_name, bool owned)
    : name_(std::move(display_name)), fd_(fd), owned_(owned) {}

InputFile::~InputFile() {
  if (owned_ && fd_ >= 0) ::close(fd_);
}

LineReader::LineReader(InputFile& in, std::size_t max_line, std::size_t keep_bytes, std::uint64_t start_offset)
    : in_(in), max_line_(max_line), keep_bytes_(keep_bytes), offset_(start_offset) {}

bool LineReader::fill() {
  if (eof_) return false;
  if (pos_ > 0 && pos_ >= buf_.size() / 2) {  // drop consumed bytes before growing
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  const std::size_t old = buf_.size();
  buf_.resize(old + chunk_);
  ssize_t n;
  do {
    n = ::read(in_.fd(), buf_.data() + old, chunk_);
  } while (n < 0 && errno == EINTR);
  if (static_cast<std::size_t>(std::max<ssize_t>(n, 0)) == chunk_) chunk_ = std::min(chunk_ * 2, kMaxChunk);
  if (n < 0) {
    const int err = errno;
    buf_.resize(old);
    throw Error(Exit::io_error, fmt::format("{}: read error: {}", in_.name(), std::strerror(err)));
  }
  buf_.resize(old + static_cast<std::size_t>(n));
  if (n == 0) eof_ = true;
  return n > 0;
}

bool LineReader::next(InputLine& line) {
  std::size_t scanned = pos_;
  bool too_long = false;
  std::uint64_t length = 0;
  const std::uint64_t start = offset_;
  long_line_.clear();
  while (true) {
    const char* nl = static_cast<const char*>(std::memchr(buf_.data() + scanned, '\n', buf_.size() - scanned));
    if (nl) {
      const std::size_t end = static_cast<std::size_t>(nl - buf_.data());
      length += end - pos_;
      if (!too_long && end - pos_ > max_line_) {
        too_long = true;
        long_line_.assign(buf_, pos_, std::min(end - pos_, keep_bytes_));
        line.text = long_line_;
      } else if (too_long) {
        if (long_line_.size() < keep_bytes_)
          long_line_.append(buf_, pos_, std::min(end - pos_, keep_bytes_ - long_line_.size()));
        line.text = long_line_;
      } else {
        std::size_t len = end - pos_;
        if (len > 0 && buf_[pos_ + len - 1] == '\r') --len;
        line.text = std::string_view(buf_).substr(pos_, len);
      }
      offset_ += (end - pos_) + 1;
      pos_ = end + 1;
      line.terminated = true;
      break;
    }
    scanned = buf_.size();
    if (!too_long && scanned - pos_ > max_line_) {
      // Over the limit: keep the first bytes for the rejects table, stop buffering the rest.
      too_long = true;
      long_line_.assign(buf_, pos_, std::min(scanned - pos_, keep_bytes_));
      length += scanned - pos_;
      offset_ += scanned - pos_;
      pos_ = scanned;
    } else if (too_long) {
      if (long_line_.size() < keep_bytes_)
        long_line_.append(buf_, pos_, std::min(scanned - pos_, keep_bytes_ - long_line_.size()));
      length += scanned - pos_;
      offset_ += scanned - pos_;
      pos_ = scanned;
    }
    const std::size_t scanned_rel = scanned - pos_;  // fill() may move the buffer
    if (!fill()) {
      // End of input: the last line has no newline.
      if (!too_long && pos_ == buf_.size()) return false;
      if (too_long) {
        line.text = long_line_;
      } else {
        length += buf_.size() - pos_;
        line.text = std::string_view(buf_).substr(pos_);
        offset_ += buf_.size() - pos_;
      }
      pos_ = buf_.size();
      line.terminated = false;
      break;
    }
    scanned = pos_ + scanned_rel;
  }
  line.number = ++line_no_;
  line.offset = start;
  line.too_long = too_long;
  line.length = too_long ? length : line.text.size();
  return true;
}

std::string_view LineReader::peek(std::size_t n) {
  while (buf_.size() - pos_ < n && fill()) {
  }
  return std::string_view(buf_).substr(pos_, std::min(n, buf_.size() - pos_));
}

bool LineReader::read_rest(std::string& out, std::size_t limit, std::uint64_t& total) {
  total = 0;
  while (true) {
    const std::size_t avail = buf_.size() - pos_;
    total += avail;
    const std::size_t room = limit > out.size() ? limit - out.size() : 0;
    out.append(buf_, pos_, std::min(avail, room));
    offset_ += avail;
    buf_.clear();
    pos_ = 0;
    // Over the limit: stop here, since the input may never end (/dev/zero, a stuck pipe).
    if (avail > room) return false;
    if (!fill()) return true;
  }
}

}  // namespace pat
