#include "detect/error_lines.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

#include "detect/line_template.hpp"
#include "util/text.hpp"
#include "util/utf8.hpp"

namespace pat {
namespace {

constexpr std::size_t npos = std::string_view::npos;

// error_lines cuts each line it returns to this many bytes: a template is a key, not a copy of
// a megabyte of minified output.
constexpr std::size_t kMaxErrorLineBytes = 2048;

unsigned char byte_at(std::string_view s, std::size_t i) { return static_cast<unsigned char>(s[i]); }

enum class LineWeight { none, exit_status, symptom, error };

constexpr std::array<std::string_view, 18> kErrorWords = {
    "error",   "errors",    "err",        "fatal", "fail",     "fails", "failed",  "failure",  "failures",
    "failing", "exception", "exceptions", "panic", "panicked", "abort", "aborted", "aborting", "critical"};

constexpr std::array<std::string_view, 36> kSymptomWords = {
    "denied",    "forbidden", "unauthorized", "refused",      "cannot",       "invalid",
    "missing",   "undefined", "undeclared",   "unknown",      "unrecognized", "unresolved",
    "unable",    "killed",    "timeout",      "segmentation", "segfault",     "conflict",
    "rejected",  "illegal",   "unexpected",   "incompatible", "overloaded",   "exceeded",
    "exceeds",   "expired",   "mismatch",     "mismatched",   "unsupported",  "corrupt",
    "corrupted", "violation", "crashed",      "unreachable",  "unavailable",  "disallowed"};

// Words after "not" / "no" that make a symptom: "not found", "no such file".
constexpr std::array<std::string_view, 14> kAfterNot = {"found",   "defined",   "recognized", "exist",     "exists",
                                                        "allowed", "permitted", "supported",  "installed", "available",
                                                        "match",   "running",   "set",        "resolve"};
constexpr std::array<std::string_view, 6> kAfterNo = {"such", "space", "module", "route", "matching", "permission"};

bool is_identifier_byte(unsigned char c) { return is_alnum(c) || c == '_'; }

// The last part of a CamelCase identifier: "Error" of "ModuleNotFoundError".
std::string_view camel_tail(std::string_view w) {
  for (std::size_t k = w.size(); k-- > 1;)
    if (is_upper(byte_at(w, k)) && is_lower(byte_at(w, k - 1))) return w.substr(k);
  return {};
}

// How strongly a line says that something went wrong. Words are matched whole and case-blind,
// and not inside file names or identifiers (error.log, failed_tests/, my-error).
LineWeight weigh_line(std::string_view line) {
  LineWeight best = LineWeight::none;
  auto raise = [&best](LineWeight w) {
    if (w > best) best = w;
  };
  std::array<char, 16> prev{};  // the previous word, lower case ("not", "no", "exit", ...)
  std::size_t prev_len = 0;
  std::array<char, 16> word{};
  const std::size_t n = line.size();
  std::size_t i = 0;
  while (i < n && best != LineWeight::error) {
    const unsigned char c = byte_at(line, i);
    if (c == 0x1B) {  // skip terminal escapes so that "\x1b[31merror" is the word "error"
      ++i;
      if (i < n && line[i] == '[') {
        ++i;
        while (i < n && byte_at(line, i) >= 0x20 && byte_at(line, i) <= 0x3F) ++i;
        if (i < n) ++i;
      }
      continue;
    }
    if (!is_identifier_byte(c)) {
      ++i;
      continue;
    }
    const std::size_t b = i;
    while (i < n && is_identifier_byte(byte_at(line, i))) ++i;
    const std::string_view w = line.substr(b, i - b);
    auto joiner = [](char ch) { return ch == '.' || ch == '/' || ch == '\\' || ch == '-'; };
    const bool inside_compound = (b >= 2 && joiner(line[b - 1]) && is_identifier_byte(byte_at(line, b - 2))) ||
                                 (i + 1 < n && joiner(line[i]) && is_identifier_byte(byte_at(line, i + 1)));
    // "can't", "doesn't": the negation counts as "not" for the phrases below.
    const bool negated = i + 1 < n && line[i] == '\'' && (line[i + 1] == 't' || line[i + 1] == 'T') && w.size() > 1 &&
                         (w.back() == 'n' || w.back() == 'N');
    // No keyword is longer than the buffer: a longer word is just not one.
    const std::size_t len = w.size() <= word.size() ? w.size() : 0;
    for (std::size_t k = 0; k < len; ++k) word[k] = static_cast<char>(to_lower(byte_at(w, k)));
    const std::string_view lw(word.data(), len);
    const std::string_view lp(prev.data(), prev_len);
    if (!inside_compound && !lw.empty()) {
      if (in_list(lw, kErrorWords))
        raise(LineWeight::error);
      else if (in_list(lw, kSymptomWords))
        raise(LineWeight::symptom);
      else if (lp == "not" && in_list(lw, kAfterNot))
        raise(LineWeight::symptom);
      else if (lp == "no" && in_list(lw, kAfterNo))
        raise(LineWeight::symptom);
      else if ((lp == "timed" && lw == "out") || (lp == "could" && lw == "not"))
        raise(LineWeight::symptom);
      else if (negated && (lw == "can" || lw == "couldn"))
        raise(LineWeight::symptom);
      else if ((lp == "exit" && (lw == "code" || lw == "status")) || lw == "exited")
        raise(LineWeight::exit_status);
    }
    if (!inside_compound) {
      const std::string_view tail = camel_tail(w);
      if (iequals(tail, "Error") || iequals(tail, "Exception") || iequals(tail, "Failure")) raise(LineWeight::error);
    }
    if (negated) {
      std::memcpy(prev.data(), "not", 3);
      prev_len = 3;
      i += 2;  // the 't of "can't"
    } else {
      prev = word;
      prev_len = lw.size();
    }
  }
  return best;
}

// A text wrapped whole in one markup element (<tool_use_error>…</tool_use_error>, <error>…</error>)
// without it: the wrapper is transport, not part of the message.
std::string_view strip_wrapping_element(std::string_view s) {
  s = trim(s);
  if (s.size() < 5 || s[0] != '<') return s;
  std::size_t k = 1;
  while (k < s.size() && (is_word_byte(byte_at(s, k)) || s[k] == '-')) ++k;
  if (k == 1 || k >= s.size() || s[k] != '>') return s;
  const std::string_view name = s.substr(1, k - 1);
  const std::size_t close_size = name.size() + 3;
  if (s.size() < k + 1 + close_size) return s;
  const std::string_view close = s.substr(s.size() - close_size);
  if (close.substr(0, 2) != "</" || close.substr(2, name.size()) != name || close.back() != '>') return s;
  return trim(s.substr(k + 1, s.size() - (k + 1) - close_size));
}

// The last max_lines non-blank lines of text, trimmed, in order.
std::vector<std::string_view> last_lines(std::string_view text, std::size_t max_lines) {
  std::vector<std::string_view> lines;
  std::size_t end = text.size();
  while (lines.size() < max_lines && end > 0) {
    const std::size_t nl = text.rfind('\n', end - 1);
    const std::size_t begin = nl == npos ? 0 : nl + 1;
    const std::string_view line = trim(text.substr(begin, end - begin));
    if (!line.empty()) lines.push_back(line);
    end = nl == npos ? 0 : nl;
  }
  std::reverse(lines.begin(), lines.end());
  return lines;
}

}  // namespace

std::string error_lines(std::string_view text, std::size_t max_lines) {
  if (max_lines == 0) return {};
  // Only the first max_lines lines of each weight can be chosen (heavier first, then earlier),
  // so that is all that is kept however long the text.
  std::vector<std::string_view> errors, symptoms, exits;
  std::size_t non_blank = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == npos) nl = text.size();
    const std::string_view line = trim(text.substr(pos, nl - pos));
    pos = nl + 1;
    if (line.empty()) continue;
    ++non_blank;
    std::vector<std::string_view>* bucket = nullptr;
    switch (weigh_line(line)) {
      case LineWeight::error: bucket = &errors; break;
      case LineWeight::symptom: bucket = &symptoms; break;
      case LineWeight::exit_status: bucket = &exits; break;
      case LineWeight::none: break;
    }
    if (bucket && bucket->size() < max_lines) bucket->push_back(line);
  }

  std::vector<std::string_view> chosen;
  if (non_blank > 1) {
    chosen = errors;
    for (std::size_t k = 0; k < symptoms.size() && chosen.size() < max_lines; ++k) chosen.push_back(symptoms[k]);
    // "Exit code 1" carries the error only when no line says what it was.
    if (chosen.empty()) chosen = exits;
    // Back in the order of the text.
    std::sort(chosen.begin(), chosen.end(), [](std::string_view a, std::string_view b) { return a.data() < b.data(); });
  }
  if (chosen.empty()) chosen = last_lines(text, max_lines);

  std::string result;
  for (const auto& line : chosen) {
    if (!result.empty()) result.push_back('\n');
    result.append(utf8_prefix(line, kMaxErrorLineBytes));
  }
  return result;
}

namespace {

// Whether the value at [at, end) of text is a whole token: a value quoted in an error is not a
// piece of a longer word ("rate" in "rate-limit" or "x.rate" is not the argument "rate"); a full
// stop that ends a sentence ends the token.
bool whole_token(std::string_view text, std::size_t at, std::size_t end) {
  const auto joins = [](char c) { return is_word_byte(c) || c == '-' || c == '/' || c == '.'; };
  if (at > 0 && joins(text[at - 1])) return false;
  if (end == text.size()) return true;
  if (text[end] == '.') return end + 1 == text.size() || !is_word_byte(text[end + 1]);
  return !joins(text[end]);
}

// `text` with every whole-token occurrence of a value replaced by <*>, longer values first.
std::string mask_values(std::string text, std::vector<std::string> values) {
  std::sort(values.begin(), values.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  for (const auto& v : values) {
    if (v.empty()) continue;
    for (std::size_t at = text.find(v); at != npos; at = text.find(v, at)) {
      const std::size_t end = at + v.size();
      if (!whole_token(text, at, end)) {
        at = end;
        continue;
      }
      text.replace(at, v.size(), "<*>");
      at += 3;
    }
  }
  return text;
}

}  // namespace

std::string failure_template(std::string_view error_text, const std::vector<std::string>& call_values) {
  std::string lines = error_lines(strip_wrapping_element(error_text));
  if (!call_values.empty()) lines = mask_values(std::move(lines), call_values);
  std::string result, templ;
  std::vector<std::string> seen;
  for (std::size_t pos = 0; pos < lines.size();) {
    std::size_t nl = lines.find('\n', pos);
    if (nl == npos) nl = lines.size();
    line_template(std::string_view(lines).substr(pos, nl - pos), templ);
    pos = nl + 1;
    // A line repeated with other values ("npm ERR! 404 ..." twice) is said once.
    if (templ.empty() || std::find(seen.begin(), seen.end(), templ) != seen.end()) continue;
    if (!result.empty()) result.append(" | ");
    result.append(templ);
    seen.push_back(templ);
  }
  return result;
}

}  // namespace pat
