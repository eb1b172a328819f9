#pragma once
// Which file a path names now: its device and inode (a file replaced at the same path is
// another). The caches beside the store are tied to the store file this way.
#include <cstdint>
#include <optional>

#include "util/paths.hpp"

namespace pat {

struct FileIdentity {
  std::uint64_t device = 0, inode = 0;
};
// nullopt when the path cannot be looked at.
std::optional<FileIdentity> file_identity(const fs::path& path);

}  // namespace pat
