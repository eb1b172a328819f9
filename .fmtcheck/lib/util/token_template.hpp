#pragma once
// Templates made of tokens, where <*> stands for whatever varies: two texts of one thing (two
// commands, two lines of similar files, two error templates) merge into the template that covers
// both. One merger for every kind of token.
#include <string>
#include <string_view>
#include <vector>

namespace pat {

inline constexpr std::string_view kWildcard = "<*>";

using Tokens = std::vector<std::string_view>;

// Tokens of source text or a path: runs of letters (and of non-ASCII bytes), of digits, of
// blanks, and single other characters, so that "test_alpha.py" and "test_beta.py" differ in one
// token only. "<*>" is one token.
Tokens text_tokens(std::string_view s);
// Tokens separated by single spaces (an error template as the templater writes it).
Tokens space_tokens(std::string_view s);

// A token made of letters or digits (not a blank, punctuation or <*>).
bool is_word_token(std::string_view t);

// The template of two token lists of one thing: tokens that differ become <*>; when the numbers
// of tokens differ, everything between their common beginning and common end becomes one <*>.
// The views point into a and b (or at kWildcard).
Tokens merge_tokens(const Tokens& a, const Tokens& b);

std::string join_tokens(const Tokens& tokens, std::string_view separator);

// merge_tokens over text_tokens, joined back.
std::string merge_text(std::string_view a, std::string_view b);

}  // namespace pat
