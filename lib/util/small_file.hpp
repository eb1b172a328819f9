#pragma once
// Whole small files a tool reads before its input: the config, rules files, spooled payloads.
// Each comes from outside, so it is bounded: a FIFO, a device such as /dev/zero or a file over
// the limit is refused at once instead of being read forever.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "util/error.hpp"
#include "util/paths.hpp"

namespace pat {

// The bytes of a regular file of at most `limit` bytes; nullopt when nothing is at `path`.
// Throws Error(`code`) naming the file when it is something else, larger, or unreadable.
std::optional<std::string> read_small_file(const fs::path& path, std::size_t limit, Exit code);

}  // namespace pat
