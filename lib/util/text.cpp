#include "util/text.hpp"

#include <algorithm>

#include "util/utf8.hpp"

namespace pat {

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = to_lower(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::string join(const std::vector<std::string>& parts, std::string_view separator, bool skip_empty) {
  std::string out;
  bool first = true;
  for (const auto& p : parts) {
    if (skip_empty && p.empty()) continue;
    if (!first) out += separator;
    out += p;
    first = false;
  }
  return out;
}

std::string_view trim(std::string_view s, std::string_view chars) {
  const std::size_t b = s.find_first_not_of(chars);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(chars) - b + 1);
}

std::string squeeze(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (const char c : text) {
    if (is_space_or_control(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string clip_text(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::string_view cut = utf8_prefix(text, max_bytes > 3 ? max_bytes - 3 : 0);
  // Prefer a word boundary, when there is one in the second half.
  if (const auto space = cut.rfind(' '); space != std::string_view::npos && space > cut.size() / 2)
    cut = cut.substr(0, space);
  // Never leave a code span open.
  if (std::count(cut.begin(), cut.end(), '`') % 2 == 1) cut = cut.substr(0, cut.rfind('`'));
  while (!cut.empty() && cut.back() == ' ') cut.remove_suffix(1);
  return std::string(cut) + "...";
}

}  // namespace pat
