#pragma once
// What the fuzz targets share: a broken invariant stops the run loudly, the library's own
// messages stay out of the fuzzer's log, and input bytes can be read as a file.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace pat_fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Prints `PROGRAM: error: WHAT` and aborts: libFuzzer reports an abort as a crash and keeps the
// input that caused it, and a replay of the corpus fails.
[[noreturn]] void fail(std::string_view what);
inline void require(bool holds, std::string_view what) {
  if (!holds) fail(what);
}

// Sends what the library prints on stderr (one message per rejected record) to /dev/null, which
// would otherwise flood the fuzzer's log; fail() and the sanitizers still write to the real stderr.
void quiet_library_messages();

// A file in memory (memfd) for code that reads files or writes to a descriptor: no disk, and
// nothing left behind when a run is cut short.
class MemoryFile {
public:
  MemoryFile();
  ~MemoryFile();
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;

  // Replaces the contents and rewinds.
  void assign(std::string_view bytes);
  std::string contents() const;
  int fd() const { return fd_; }
  // A path that opens this file: /proc/self/fd/N.
  std::string path() const;

private:
  int fd_;
};

}  // namespace pat_fuzz
