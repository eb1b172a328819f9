#pragma once
// In --hook mode a payload that cannot be stored now (store busy past its timeout, read-only,
// unreadable) is kept in a spool directory beside the store, <db>.spool/, and stored by the next
// patlog run that can open the store. Nothing a hook received is lost.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "util/paths.hpp"

namespace pat {

class HookSpool {
public:
  explicit HookSpool(const fs::path& db_path);
  const fs::path& directory() const { return dir_; }

  // Writes the payload (0600). Returns the file's path; throws pat::Error(cant_create).
  fs::path put(std::string_view bytes, const std::string& received_at);

  struct Item {
    fs::path file;
    std::string bytes;
    std::string received_at;
    std::string problem;  // not empty: the file could not be read (over `limit`, not a file)
  };
  // Spooled payloads, oldest first (cheap when the directory does not exist); files over
  // `limit` bytes are not read.
  std::vector<Item> pending(std::size_t limit) const;
  void remove(const std::vector<Item>& items) const;
  // Moves a payload that can never be stored to <db>.spool/failed/, where no run reads it again
  // and the user finds it; returns its new path.
  fs::path set_aside(const Item& item) const;

private:
  fs::path dir_;
};

}  // namespace pat
