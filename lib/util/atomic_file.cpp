#include "util/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <system_error>

#include <fmt/format.h>

#include "util/error.hpp"

namespace pat {
namespace {

// The temporary file, removed unless it was renamed into place.
class TempFile {
public:
  explicit TempFile(const fs::path& target) {
    const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    // (Not "." + name: GCC 12 at -O3 warns about that concatenation, falsely, with -Wrestrict.)
    name_ = (dir / fmt::format(".{}.tmp.XXXXXX", target.filename().string())).string();
    fd_ = ::mkstemp(name_.data());
    if (fd_ < 0)
      throw Error(Exit::cant_create,
                  fmt::format("cannot create {}: {} (in {})", target.string(), std::strerror(errno), dir.string()));
  }
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!renamed_) ::unlink(name_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  int fd() const { return fd_; }
  const std::string& name() const { return name_; }
  void close() {
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) throw std::system_error(errno, std::generic_category());
  }
  void renamed() { renamed_ = true; }

private:
  std::string name_;
  int fd_ = -1;
  bool renamed_ = false;
};

// The mode the file gets: that of the file it replaces, else what a new file would get.
mode_t mode_for(const fs::path& target) {
  struct stat st;
  if (::stat(target.c_str(), &st) == 0 && S_ISREG(st.st_mode)) return st.st_mode & 07777;
  return 0600;  // what the tools write tells what the agent ran: its owner's only, whatever the umask
}

}  // namespace

void write_file_atomically(const fs::path& path, std::string_view content) {
  write_file_atomically(path, content, AtomicWrite{});
}

bool write_file_atomically(const fs::path& path, std::string_view content, const AtomicWrite& how) {
  TempFile tmp(path);
  auto io_error = [&](const char* what, int err) {
    return Error(Exit::io_error, fmt::format("cannot write {}: {} ({})", path.string(), std::strerror(err), what));
  };
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(tmp.fd(), content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw io_error("write", errno);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fchmod(tmp.fd(), mode_for(path)) != 0) throw io_error("chmod", errno);
  if (how.sync && ::fsync(tmp.fd()) != 0) throw io_error("fsync", errno);
  try {
    tmp.close();
  } catch (const std::system_error& e) {
    throw io_error("close", e.code().value());
  }
  if (how.before_rename && !how.before_rename()) return false;
  if (::rename(tmp.name().c_str(), path.c_str()) != 0)
    throw Error(Exit::cant_create, fmt::format("cannot create {}: {}", path.string(), std::strerror(errno)));
  tmp.renamed();
  return true;
}

}  // namespace pat
