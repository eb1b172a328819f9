#include "util/small_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace pat {

std::optional<std::string> read_small_file(const fs::path& path, std::size_t limit, Exit code) {
  // O_NONBLOCK: opening a FIFO with no writer would otherwise wait for one.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw Error(code, fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)));
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw Error(code, fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)));
  if (!S_ISREG(st.st_mode)) throw Error(code, fmt::format("{} is not a regular file", path.string()));
  if (static_cast<std::uint64_t>(st.st_size) > limit)
    throw Error(code, fmt::format("{} is {} bytes, over the limit of {}", path.string(), st.st_size, limit));
  std::string out;
  char buf[65536];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(code, fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)));
    if (n == 0) break;
    // The file may grow while it is read.
    if (out.size() + static_cast<std::size_t>(n) > limit)
      throw Error(code, fmt::format("{} is over the limit of {} bytes", path.string(), limit));
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace pat
