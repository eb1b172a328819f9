#include "util/json_scan.hpp"

#include <algorithm>

#include "util/text.hpp"

namespace pat {
namespace {

// Skips a string starting at text[i] == '"'; returns the index after the closing quote or npos.
std::size_t skip_string(std::string_view text, std::size_t i) {
  for (++i; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\') {
      ++i;
    } else if (c == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

}  // namespace

ScannedValue scan_json_value(std::string_view text, std::size_t pos, std::size_t max_depth) {
  ScannedValue r;
  while (pos < text.size() && is_json_space(text[pos])) ++pos;
  r.begin = pos;
  if (pos >= text.size()) {
    r.end = pos;
    return r;  // empty
  }
  std::size_t depth = 0;
  std::size_t i = pos;
  const char first = text[i];
  if (first != '{' && first != '[') {
    if (first == '"') {
      const std::size_t e = skip_string(text, i);
      r.status = e == std::string_view::npos ? ScannedValue::Status::incomplete : ScannedValue::Status::complete;
      r.end = e == std::string_view::npos ? text.size() : e;
      return r;
    }
    while (i < text.size() && !is_json_space(text[i]) && text[i] != ',' && text[i] != ']' && text[i] != '}') ++i;
    r.status = ScannedValue::Status::complete;
    r.end = std::max(i, pos + 1);
    return r;
  }
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      const std::size_t e = skip_string(text, i);
      if (e == std::string_view::npos) break;
      i = e - 1;
    } else if (c == '{' || c == '[') {
      ++depth;
      r.max_depth = std::max(r.max_depth, depth);
      if (depth > max_depth) {
        r.status = ScannedValue::Status::too_deep;
        // Find the end anyway, without tracking more than a counter, so the caller can go on.
        for (++i; i < text.size() && depth > 0; ++i) {
          const char d = text[i];
          if (d == '"') {
            const std::size_t e = skip_string(text, i);
            if (e == std::string_view::npos) {
              i = text.size();
              break;
            }
            i = e - 1;
          } else if (d == '{' || d == '[') {
            ++depth;
          } else if (d == '}' || d == ']') {
            --depth;
          }
        }
        r.end = i;
        return r;
      }
    } else if (c == '}' || c == ']') {
      if (depth == 0) break;
      if (--depth == 0) {
        r.status = ScannedValue::Status::complete;
        r.end = i + 1;
        return r;
      }
    }
  }
  r.status = ScannedValue::Status::incomplete;
  r.end = text.size();
  return r;
}

std::size_t json_nesting_depth(std::string_view text, bool* ascii) {
  std::size_t depth = 0, deepest = 0;
  unsigned char high = 0;  // OR of all bytes: bit 7 set if any byte is not ASCII
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  bool in_string = false;
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char c = p[i];
    high |= c;
    if (in_string) {
      if (c == '\\') {
        if (i + 1 < n) high |= p[++i];
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  if (ascii) *ascii = (high & 0x80) == 0;
  return deepest;
}

std::vector<ArrayElement> split_json_array(std::string_view text, std::size_t pos, std::size_t first_line) {
  std::vector<ArrayElement> out;
  std::size_t line = first_line;
  std::size_t counted_to = pos;  // newlines in [pos, counted_to) are already in `line`
  auto line_at = [&](std::size_t at) {
    line += static_cast<std::size_t>(std::count(text.begin() + static_cast<std::ptrdiff_t>(counted_to),
                                                text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
    counted_to = at;
    return line;
  };
  std::size_t i = pos + 1;  // after '['
  while (true) {
    while (i < text.size() && (is_json_space(text[i]) || text[i] == ',')) ++i;
    if (i >= text.size() || text[i] == ']') break;
    // The depth limit here only bounds the scan's own bookkeeping; the caller enforces its own.
    const ScannedValue v = scan_json_value(text, i, static_cast<std::size_t>(-1));
    ArrayElement el;
    el.begin = v.begin;
    el.end = v.end;
    el.line = line_at(v.begin);
    el.complete = v.status == ScannedValue::Status::complete;
    out.push_back(el);
    if (!el.complete) break;
    i = v.end;
  }
  return out;
}

}  // namespace pat
