#include "harness.hpp"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace pat_fuzz {
namespace {

// The real standard error once quiet_library_messages() has replaced stderr.
std::FILE* own_messages = nullptr;

[[noreturn]] void fail_errno(const char* what) { fail(std::string(what) + ": " + std::strerror(errno)); }

}  // namespace

void fail(std::string_view what) {
  std::FILE* out = own_messages != nullptr ? own_messages : stderr;
  std::fprintf(out, "%s: error: %.*s\n", program_invocation_short_name, static_cast<int>(what.size()), what.data());
  std::fflush(out);
  std::abort();
}

void quiet_library_messages() {
  if (own_messages != nullptr) return;
  std::FILE* null = std::fopen("/dev/null", "w");
  if (null == nullptr) fail_errno("cannot open /dev/null");
  own_messages = stderr;
  // The GNU C library lets a program assign stderr; the library's messages are written through
  // it, while the sanitizers and libFuzzer write to descriptor 2 or to the stream they were given.
  stderr = null;
}

MemoryFile::MemoryFile() : fd_(::memfd_create("fuzz-input", MFD_CLOEXEC)) {
  if (fd_ < 0) fail_errno("memfd_create");
}

MemoryFile::~MemoryFile() { ::close(fd_); }

void MemoryFile::assign(std::string_view bytes) {
  if (::ftruncate(fd_, 0) != 0) fail_errno("ftruncate");
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::pwrite(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_errno("pwrite");
    done += static_cast<std::size_t>(n);
  }
  if (::lseek(fd_, 0, SEEK_SET) != 0) fail_errno("lseek");
}

std::string MemoryFile::contents() const {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) fail_errno("fstat");
  std::string out(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_errno("pread");
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  out.resize(done);
  return out;
}

std::string MemoryFile::path() const { return "/proc/self/fd/" + std::to_string(fd_); }

}  // namespace pat_fuzz
