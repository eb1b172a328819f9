#include "util/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include <fmt/format.h>

#include "util/error.hpp"

namespace pat {

FileLock::FileLock(const fs::path& path, std::chrono::milliseconds timeout) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd_ < 0)
    throw Error(Exit::cant_create,
                fmt::format("cannot open the lock file {}: {}", path.string(), std::strerror(errno)));
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    if ((err != EWOULDBLOCK && err != EINTR) || std::chrono::steady_clock::now() >= deadline) {
      ::close(fd_);
      fd_ = -1;
      throw Error(err == EWOULDBLOCK ? Exit::busy : Exit::io_error,
                  fmt::format("cannot lock {}: {}", path.string(),
                              err == EWOULDBLOCK ? "another process holds it" : std::strerror(err)));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the lock
}

}  // namespace pat
