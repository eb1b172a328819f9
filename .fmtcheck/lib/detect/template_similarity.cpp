#include "detect/template_similarity.hpp"

#include <algorithm>
#include <array>

#include "util/token_template.hpp"

namespace pat {
namespace {

constexpr std::size_t npos = std::string_view::npos;

// template_similarity looks at this many tokens of each template: bounded cost per comparison.
constexpr std::size_t kMaxSimilarityTokens = 64;

unsigned char byte_at(std::string_view s, std::size_t i) { return static_cast<unsigned char>(s[i]); }

std::size_t split_tokens(std::string_view s, std::array<std::string_view, kMaxSimilarityTokens>& tokens) {
  std::size_t n = 0, i = 0;
  while (i < s.size() && n < tokens.size()) {
    while (i < s.size() && byte_at(s, i) <= ' ') ++i;
    const std::size_t b = i;
    while (i < s.size() && byte_at(s, i) > ' ') ++i;
    if (i > b) tokens[n++] = s.substr(b, i - b);
  }
  return n;
}

// Whether `text` fits `pattern`, where each <*> of the pattern stands for any run of bytes.
bool wildcard_match(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star_p = npos, star_t = 0;
  while (t < text.size()) {
    if (pattern.compare(p, kWildcard.size(), kWildcard) == 0) {
      p += kWildcard.size();
      star_p = p;
      star_t = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star_p != npos) {
      p = star_p;
      t = ++star_t;
    } else {
      return false;
    }
  }
  while (pattern.compare(p, kWildcard.size(), kWildcard) == 0) p += kWildcard.size();
  return p == pattern.size();
}

// Tokens longer than this match only when equal: wildcard matching backtracks, and a template
// token this long is a blob, not a word.
constexpr std::size_t kMaxPatternToken = 256;

bool tokens_match(std::string_view a, std::string_view b) {
  if (a == b || a == kWildcard || b == kWildcard) return true;
  if (a.size() > kMaxPatternToken || b.size() > kMaxPatternToken) return false;
  if (a.find(kWildcard) != npos && wildcard_match(a, b)) return true;
  return b.find(kWildcard) != npos && wildcard_match(b, a);
}

}  // namespace

double template_similarity(std::string_view a, std::string_view b) {
  std::array<std::string_view, kMaxSimilarityTokens> ta, tb;
  const std::size_t na = split_tokens(a, ta);
  const std::size_t nb = split_tokens(b, tb);
  if (na == 0 || nb == 0) return na == nb ? 1.0 : 0.0;
  // Token edit distance (insert, delete, substitute; a wildcard token matches any one token),
  // one row at a time.
  std::array<std::size_t, kMaxSimilarityTokens + 1> row{}, next{};
  for (std::size_t j = 0; j <= nb; ++j) row[j] = j;
  for (std::size_t i = 1; i <= na; ++i) {
    next[0] = i;
    for (std::size_t j = 1; j <= nb; ++j) {
      const std::size_t substitute = row[j - 1] + (tokens_match(ta[i - 1], tb[j - 1]) ? 0 : 1);
      next[j] = std::min({substitute, row[j] + 1, next[j - 1] + 1});
    }
    row = next;
  }
  return 1.0 - static_cast<double>(row[nb]) / static_cast<double>(std::max(na, nb));
}

}  // namespace pat
