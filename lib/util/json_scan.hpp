#pragma once
// A linear, non-recursive scanner over JSON text. It finds where one top-level value ends and how
// deeply it nests *before* the real parser sees it, so that a 100,000-deep document is refused
// with a message instead of exhausting the stack, and so that the elements of a JSON array can be
// parsed (and rejected) one by one with their own line numbers.
#include <cstddef>
#include <string_view>
#include <vector>

namespace pat {

struct ScannedValue {
  enum class Status { complete, incomplete, too_deep, empty };
  Status status = Status::empty;
  std::size_t begin = 0;      // first byte of the value
  std::size_t end = 0;        // one past its last byte (for incomplete: end of text)
  std::size_t max_depth = 0;  // deepest nesting seen
};

// Skips whitespace from `pos`, then scans one value. Brackets are counted outside strings only;
// the value is "complete" when its brackets balance (a scalar ends at whitespace or , ] }).
ScannedValue scan_json_value(std::string_view text, std::size_t pos, std::size_t max_depth);

// Deepest bracket nesting in `text` (strings skipped); `ascii` tells whether every byte is below
// 0x80 (then the text is valid UTF-8 without a further look).
std::size_t json_nesting_depth(std::string_view text, bool* ascii = nullptr);

struct ArrayElement {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t line = 0;  // 1-based line of `begin` in the whole text
  bool complete = true;  // false: the array was cut off inside this element
};

// Splits a top-level JSON array (text[pos] == '[') into its element spans without parsing them.
// Elements deeper than max_depth are still returned (the parser will refuse them); the scan
// itself never recurses.
std::vector<ArrayElement> split_json_array(std::string_view text, std::size_t pos, std::size_t first_line);

}  // namespace pat
