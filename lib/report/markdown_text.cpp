#include "report/markdown_text.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#include "util/text.hpp"
#include "util/utf8.hpp"

namespace pat {
namespace {

std::size_t run_at(std::string_view s, std::size_t i, char c) {
  std::size_t n = 0;
  while (i + n < s.size() && s[i + n] == c) ++n;
  return n;
}

std::size_t longest_run(std::string_view s, char c) {
  std::size_t longest = 0;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = run_at(s, i, c);
    longest = std::max(longest, n);
    i += n == 0 ? 1 : n;
  }
  return longest;
}

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c & 0x80) != 0;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool looks_like_url(std::string_view word) {
  return word.find("://") != std::string_view::npos || starts_with(word, "www.") || starts_with(word, "WWW.");
}

// Characters, not bytes: what a reader (and markdownlint) counts as the width of a line.
std::size_t width_of(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

// A word that, at the start of a line, would begin a block instead of continuing the paragraph.
bool opens_block(std::string_view word) {
  if (word.empty()) return false;
  if (std::strchr("-+*>#=|<~", word.front()) && word.front() != '\0') return true;
  if (starts_with(word, "```")) return true;
  std::size_t digits = 0;
  while (digits < word.size() && word[digits] >= '0' && word[digits] <= '9') ++digits;
  return digits > 0 && digits < word.size() && (word[digits] == '.' || word[digits] == ')');
}

}  // namespace

std::string md_code(std::string_view text, bool in_table) {
  std::string s = squeeze(text);
  if (s.empty()) return "(empty)";
  if (in_table) {
    std::string escaped;
    for (const char c : s) {
      if (c == '|') escaped.push_back('\\');
      escaped.push_back(c);
    }
    s = std::move(escaped);
  }
  const std::string fence(longest_run(s, '`') + 1, '`');
  const bool pad = s.front() == '`' || s.back() == '`';
  return fence + (pad ? " " : "") + s + (pad ? " " : "") + fence;
}

std::string md_inline(std::string_view text, bool in_table) {
  const std::string s = squeeze(text);
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c == '`') {
      const std::size_t run = run_at(s, i, '`');
      std::size_t close = std::string::npos;
      for (std::size_t j = i + run; j < s.size();) {
        const std::size_t r = run_at(s, j, '`');
        if (r == 0) {
          ++j;
          continue;
        }
        if (r == run) {
          close = j;
          break;
        }
        j += r;
      }
      if (close != std::string::npos) {
        const std::string_view content = std::string_view(s).substr(i + run, close - i - run);
        if (content.find_first_not_of(' ') != std::string_view::npos) {
          out += md_code(content, in_table);
          i = close + run;
          continue;
        }
      }
      for (std::size_t k = 0; k < run; ++k) out += "\\`";
      i += run;
      continue;
    }
    if ((i == 0 || s[i - 1] == ' ')) {
      const std::size_t end = std::min(s.find(' ', i), s.size());
      const std::string_view word = std::string_view(s).substr(i, end - i);
      if (looks_like_url(word) && word.find('`') == std::string_view::npos) {
        out += md_code(word, in_table);
        i = end;
        continue;
      }
    }
    // Whatever else would become a link: "scheme://" and "www." anywhere in a word.
    const bool link_colon = c == ':' && std::string_view(s).substr(i + 1, 2) == "//";
    const bool link_dot = c == '.' && i >= 3 && (i == 3 || !is_word_char(s[i - 4])) &&
                          (s.compare(i - 3, 3, "www") == 0 || s.compare(i - 3, 3, "WWW") == 0);
    if (link_colon || link_dot || (c != '\0' && std::strchr("\\*_[]<>#|~!&$@", c))) out.push_back('\\');
    out.push_back(c);
    ++i;
  }
  return out;
}

std::string md_fence(std::string_view body, std::string_view language) {
  // Tabs and trailing blanks would only trip markdownlint; the text shown is the same.
  std::string text;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i <= body.size(); ++i) {
    if (i < body.size() && body[i] != '\n') continue;
    std::string line(body.substr(line_start, i - line_start));
    std::string expanded;
    for (const char c : line) expanded += c == '\t' ? std::string("    ") : std::string(1, c);
    while (!expanded.empty() && is_space_or_control(expanded.back())) expanded.pop_back();
    if (i < body.size() || !expanded.empty()) text += expanded + "\n";
    line_start = i + 1;
  }
  const std::string fence(std::max<std::size_t>(3, longest_run(text, '`') + 1), '`');
  return fence + std::string(language) + "\n" + text + fence + "\n";
}

std::string md_wrap(std::string_view inline_md, std::string_view first, std::string_view rest, std::size_t width) {
  // Units: words, each with the words after it that must not start a line glued on.
  std::vector<std::string> units;
  for (std::size_t i = 0; i < inline_md.size();) {
    const std::size_t end = std::min(inline_md.find(' ', i), inline_md.size());
    const std::string_view word = inline_md.substr(i, end - i);
    if (!word.empty()) {
      if (!units.empty() && opens_block(word))
        units.back() += " " + std::string(word);
      else
        units.emplace_back(word);
    }
    i = end + 1;
  }
  std::string out(first), line(first);
  bool line_has_words = false;
  for (const auto& unit : units) {
    if (line_has_words && width_of(line) + 1 + width_of(unit) > width) {
      out += "\n";
      out += rest;
      line = std::string(rest);
      line_has_words = false;
    }
    if (line_has_words) {
      out += " ";
      line += " ";
    }
    out += unit;
    line += unit;
    line_has_words = true;
  }
  return out;
}

std::string first_sentence(std::string_view text, std::size_t max_bytes) {
  const std::string s = squeeze(text);
  bool in_code = false;
  std::size_t end = s.size();
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] == '`') in_code = !in_code;
    if (!in_code && s[i] == '.' && s[i + 1] == ' ') {
      end = i + 1;
      break;
    }
  }
  return clip_text(std::string_view(s).substr(0, end), max_bytes);
}

}  // namespace pat
