#pragma once
// Text from the store (root causes, templates, commands, values) turned into Markdown that
// renders as the same text everywhere and passes markdownlint: the code spans the text already
// has (root causes quote names in `backticks`) are kept, every other character Markdown would
// read as syntax is escaped, and prose is wrapped at 80 columns without a line that Markdown
// would take for a list item, a heading or a fence.
#include <cstddef>
#include <string>
#include <string_view>

namespace pat {

inline constexpr std::size_t kMarkdownWidth = 80;

// One line of inline Markdown showing `text`: white space runs become one space; balanced
// backtick code spans are kept (trimmed inside), unbalanced backticks and the characters
// \ * _ [ ] < > # | ~ ! & $ @ are escaped; words that look like URLs become code spans (no bare
// URLs). In a table cell (`in_table`), '|' inside code spans is escaped too.
std::string md_inline(std::string_view text, bool in_table = false);

// `text` as one code span, whatever backticks it holds; "(empty)" for an empty text.
std::string md_code(std::string_view text, bool in_table = false);

// A fenced code block holding `body` (a fence longer than any backtick run in it).
std::string md_fence(std::string_view body, std::string_view language);

// Inline Markdown (one line) wrapped at `width` columns: the first line starts with `first`, the
// others with `rest` ("- " and "  " for a list item). A line never starts with a word that would
// begin a block (-, +, *, >, #, =, |, <, ~, ``` or "1." / "1)"): such a word stays on the line
// before. A word longer than the width gets a line of its own.
std::string md_wrap(std::string_view inline_md, std::string_view first, std::string_view rest,
                    std::size_t width = kMarkdownWidth);

// The first sentence of `text` (up to the first ". " outside backticks), cut at `max_bytes`
// on a word boundary outside a code span, with "..." when cut.
std::string first_sentence(std::string_view text, std::size_t max_bytes);

}  // namespace pat
