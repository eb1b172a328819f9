#include "util/program_text.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

// The bounds of the program's text, from the linker (ld's default script defines both).
extern "C" char __executable_start;
extern "C" char etext;

namespace pat {

void map_program_text() {
#ifdef MADV_POPULATE_READ
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto begin = reinterpret_cast<std::uintptr_t>(&__executable_start) & ~(page - 1);
  const auto end = reinterpret_cast<std::uintptr_t>(&etext);
  // A failure (an old kernel, memory pressure) only leaves the pages to be faulted in as usual.
  (void)::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_READ);
#endif
}

}  // namespace pat
