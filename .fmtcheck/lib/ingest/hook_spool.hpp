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

  // Writes the payload (0600). Returns the file's path; throws pat::Error(cant_create).
  fs::path put(std::string_view bytes, const std::string& received_at);

  struct Item {
    fs::path file;
    std::string bytes;
    std::string received_at;
  };
  // Spooled payloads, oldest first (cheap when the directory does not exist).
  std::vector<Item> pending() const;
  void remove(const std::vector<Item>& items) const;

private:
  fs::path dir_;
};

}  // namespace pat
