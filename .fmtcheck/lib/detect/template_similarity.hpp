#pragma once
// How alike two error templates are: what merges observations into one pattern and confirms a
// warned call's failure as the predicted one.
#include <string_view>

namespace pat {

// 0..1: one minus the token edit distance (tokens split on white space) over the longer token
// count, where <*> matches any one token and a token holding <*> matches the tokens it fits
// ('<*>' fits 'src'). Only the first 64 tokens of each count.
double template_similarity(std::string_view a, std::string_view b);

}  // namespace pat
