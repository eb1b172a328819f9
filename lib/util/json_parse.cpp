#include "util/json_parse.hpp"

#include <fmt/format.h>

#include "util/json_scan.hpp"
#include "util/utf8.hpp"

namespace pat {
namespace {

// "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..." →
// "syntax error ... (column 5)"; the caller already names the file and line.
std::string tidy_parse_error(const std::string& what) {
  std::string msg = what;
  // The parser echoes everything it read of the current token: keep the message readable.
  if (const auto last = msg.find("; last read: '"); last != std::string::npos) {
    const std::size_t start = last + 14;
    const std::size_t tail = msg.size() > start + 1 ? msg.size() - start - 1 : 0;
    if (tail > 60) msg = msg.substr(0, start) + "..." + msg.substr(msg.size() - 1 - 40);
  }
  if (!is_valid_utf8(msg)) msg = repair_utf8(msg);  // the cut may fall inside a character
  if (const auto close = msg.find("] "); msg.rfind("[json.exception", 0) == 0 && close != std::string::npos)
    msg = msg.substr(close + 2);
  if (const auto colon = msg.find(": "); msg.rfind("parse error", 0) == 0 && colon != std::string::npos)
    msg = msg.substr(colon + 2);
  return msg;
}

}  // namespace

ParsedJson parse_json(std::string_view text, const JsonLimits& limits) {
  ParsedJson r;
  bool ascii = false;
  const std::size_t depth = json_nesting_depth(text, &ascii);
  if (depth > limits.max_depth) {
    r.error = fmt::format("nesting deeper than {} levels (limit --max-depth)", limits.max_depth);
    return r;
  }
  // The parser takes a NUL byte for the end of its input and would ignore what follows.
  if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
    r.error = fmt::format("NUL byte at column {} (JSON text cannot contain one)", nul + 1);
    return r;
  }
  std::string repaired;
  if (!ascii && !is_valid_utf8(text)) {
    repaired = repair_utf8(text);
    text = repaired;
    r.repaired_utf8 = true;
  }
  try {
    r.value = json::parse(text.begin(), text.end());
    r.ok = true;
  } catch (const json::exception& e) {
    // A syntax error, or a number out of a double's range (1e999): either way this text alone
    // is rejected.
    r.error = tidy_parse_error(e.what());
  }
  // Some writers (Python's json with mojibake, JavaScript) emit UTF-16 surrogate escapes that do
  // not pair up. They are repaired like invalid UTF-8, not rejected.
  std::string fixed;
  if (!r.ok && r.error.find("surrogate") != std::string::npos && repair_lone_surrogate_escapes(text, fixed)) {
    try {
      r.value = json::parse(fixed.begin(), fixed.end());
      r.ok = true;
      r.repaired_utf8 = true;
      r.error.clear();
    } catch (const json::exception& e) {
      r.error = tidy_parse_error(e.what());
    }
  }
  return r;
}

bool repair_lone_surrogate_escapes(std::string_view text, std::string& out) {
  auto hex4 = [&](std::size_t at, unsigned& v) {
    if (at + 4 > text.size()) return false;
    v = 0;
    for (std::size_t k = at; k < at + 4; ++k) {
      const char c = text[k];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f')
        v |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        v |= static_cast<unsigned>(c - 'A' + 10);
      else
        return false;
    }
    return true;
  };
  out.clear();
  out.reserve(text.size());
  bool changed = false;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '\\' || i + 1 >= text.size()) {
      out += text[i++];
      continue;
    }
    unsigned v = 0;
    if (text[i + 1] != 'u' || !hex4(i + 2, v)) {  // another escape: copy both characters
      out.append(text.substr(i, 2));
      i += 2;
      continue;
    }
    if (v >= 0xD800 && v <= 0xDBFF) {
      unsigned lo = 0;
      if (i + 7 < text.size() && text[i + 6] == '\\' && text[i + 7] == 'u' && hex4(i + 8, lo) && lo >= 0xDC00 &&
          lo <= 0xDFFF) {
        out.append(text.substr(i, 12));
        i += 12;
        continue;
      }
    }
    if (v >= 0xD800 && v <= 0xDFFF) {
      out += "\\ufffd";
      changed = true;
    } else {
      out.append(text.substr(i, 6));
    }
    i += 6;
  }
  return changed;
}

std::string dump_json(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::optional<std::string> scalar_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number() || v.is_boolean()) return v.dump();
  return std::nullopt;
}

std::optional<std::string> scalar_text(const json& object, const std::string& key) {
  if (!object.is_object()) return std::nullopt;
  const auto it = object.find(key);
  return it == object.end() ? std::nullopt : scalar_text(*it);
}

}  // namespace pat
