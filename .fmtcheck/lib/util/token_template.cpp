#include "util/token_template.hpp"

#include <algorithm>

#include "util/text.hpp"

namespace pat {
namespace {

enum class TokenClass { letters, digits, space, other };

TokenClass token_class(char c) {
  if (is_letter(c) || is_non_ascii(c)) return TokenClass::letters;
  if (is_digit(c)) return TokenClass::digits;
  if (is_ascii_space(c)) return TokenClass::space;
  return TokenClass::other;
}

}  // namespace

Tokens text_tokens(std::string_view s) {
  Tokens out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s.substr(i, kWildcard.size()) == kWildcard) {
      out.push_back(kWildcard);
      i += kWildcard.size();
      continue;
    }
    const TokenClass cls = token_class(s[i]);
    std::size_t end = i + 1;
    if (cls != TokenClass::other)
      while (end < s.size() && token_class(s[end]) == cls) ++end;
    out.push_back(s.substr(i, end - i));
    i = end;
  }
  return out;
}

bool is_word_token(std::string_view t) {
  return !t.empty() && t != kWildcard && token_class(t[0]) != TokenClass::space &&
         token_class(t[0]) != TokenClass::other;
}

Tokens merge_tokens(const Tokens& a, const Tokens& b) {
  if (a.size() == b.size()) {
    Tokens out(a);
    for (std::size_t i = 0; i < a.size(); ++i)
      if (a[i] != b[i]) out[i] = kWildcard;
    return out;
  }
  const std::size_t shorter = std::min(a.size(), b.size());
  std::size_t prefix = 0;
  while (prefix < shorter && a[prefix] == b[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < shorter - prefix && a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) ++suffix;
  Tokens out(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(prefix));
  if (out.empty() || out.back() != kWildcard) out.push_back(kWildcard);
  for (std::size_t i = a.size() - suffix; i < a.size(); ++i)
    if (a[i] != kWildcard || out.back() != kWildcard) out.push_back(a[i]);
  return out;
}

std::string join_tokens(const Tokens& tokens, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (i) out += sep;
    out += tokens[i];
  }
  return out;
}

std::string merge_text(std::string_view a, std::string_view b) {
  return join_tokens(merge_tokens(text_tokens(a), text_tokens(b)), "");
}

Tokens space_tokens(std::string_view s) {
  Tokens out;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto end = s.find(' ', i);
    out.push_back(s.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i));
    if (end == std::string_view::npos) break;
    i = end + 1;
  }
  return out;
}

}  // namespace pat
