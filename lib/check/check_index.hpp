#pragma once
// The check index: the checks of the active patterns in a file beside the store (<db>.checks),
// sorted by tool, so that patcheck can find that no pattern matches a call without opening the
// store, which costs more than checking (ARCHITECTURE.md, Performance). Each check carries an
// anchor, the values of one of its "in" predicates (hashed), so that a check whose anchor the
// call lacks is not even parsed.
//
// The store keeps it honest (store/store.hpp): a commit that wrote patterns removes the index
// first, so an index is never older than the patterns it lists; it is missing until rebuilt.
// An index is used only if it names the very file of the store (device and inode) and is whole
// (its last line is the end line).
//
// Format, one line per check (text; the fields of a line are separated by tabs):
//   pattools-check-index 2 DEVICE INODE GENERATION
//   TOOL  CONFIDENCE  OBSERVATIONS  ID  ANCHOR_PART  ANCHOR_HASHES  CHECK
//   ...
//   end COUNT
// sorted by TOOL, then by confidence, highest first, then by id. In every field but the numbers,
// backslash, tab, CR and LF are escaped as \\ \t \r \n. ANCHOR_PART is the part of the check's
// "in" predicate with the fewest values, ANCHOR_HASHES the hash64 of each of those values in hex,
// comma-separated (both empty for a check without an "in" predicate); ANCHOR_PART and CHECK are
// in the compact form of check_form.hpp, which is read without a JSON parser.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "store/store.hpp"

namespace pat {

struct IndexedCheck {
  std::string_view id;
  double confidence = 0.0;
  std::string_view anchor_part;    // part_form; empty: the check has no anchor
  std::string_view anchor_hashes;  // hex, comma-separated
  std::string_view check;          // check_form
};

// The index of the store's active patterns, as of one state of the store.
struct CheckIndexContent {
  std::string text;
  std::int64_t generation = 0;
};
CheckIndexContent build_check_index(Store& store);
// Puts `content` in place beside the store, unless a commit changed the patterns since it was
// built (then the index stays missing). True when it was put in place.
bool install_check_index(Store& store, const CheckIndexContent& content);
// Both, for the tools that find the index removed or missing.
bool rebuild_check_index(Store& store);

class CheckIndex {
public:
  // The index beside the store at `db`, or null: none, not this store's, or not whole.
  static std::unique_ptr<CheckIndex> open(const fs::path& db);
  ~CheckIndex();
  CheckIndex(const CheckIndex&) = delete;
  CheckIndex& operator=(const CheckIndex&) = delete;

  const fs::path& db() const { return db_; }
  // Visits the checks of `tool` in the index's order until `visit` returns false.
  void for_tool(std::string_view tool, const std::function<bool(const IndexedCheck&)>& visit) const;

private:
  CheckIndex(fs::path db, const char* data, std::size_t size, std::size_t body, std::size_t end);
  fs::path db_;
  const char* data_;
  std::size_t size_;
  std::size_t body_;  // offset of the first check line
  std::size_t end_;   // offset of the end line
};

// Whether any of the call's values (hashed) is among a check's anchor hashes.
bool anchor_holds(std::string_view anchor_hashes, const std::vector<std::uint64_t>& value_hashes);

}  // namespace pat
