#pragma once
// Writing a whole file so that a reader sees either the old content or the new, never a part:
// the content goes to a temporary file in the same directory (a rename within one file system
// is atomic), is flushed to disk, then renamed over the target. A report served from a web
// directory or read by a hook is never seen half written, and a failed run leaves the old file.
#include <functional>
#include <string_view>

#include "util/paths.hpp"

namespace pat {

// Throws pat::Error: cant_create (73) when the temporary file cannot be created or renamed into
// place (no such directory, no permission, the target is a directory), io_error (74) when
// writing or flushing it fails. On failure the temporary file is removed and `path` is untouched.
void write_file_atomically(const fs::path& path, std::string_view content);

struct AtomicWrite {
  bool sync = true;  // flush to disk before the rename (off for a cache its readers validate)
  // Asked just before the rename; false: the file is not put in place (the temporary is removed).
  std::function<bool()> before_rename;
};
// As above; false when before_rename said no.
bool write_file_atomically(const fs::path& path, std::string_view content, const AtomicWrite& how);

}  // namespace pat
