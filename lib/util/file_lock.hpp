#pragma once
// An advisory lock on a file of its own (flock(2), created 0600 when missing), for work that
// several processes must do one at a time outside SQLite's own locks: replacing the check index
// beside the store (check/check_index.hpp). The kernel releases it when the process dies.
#include <chrono>

#include "util/paths.hpp"

namespace pat {

class FileLock {
public:
  // Waits up to `timeout` for the lock. Throws pat::Error: busy (75) when another process kept
  // it that long, cant_create (73) when the lock file cannot be opened.
  FileLock(const fs::path& path, std::chrono::milliseconds timeout);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

private:
  int fd_ = -1;
};

}  // namespace pat
