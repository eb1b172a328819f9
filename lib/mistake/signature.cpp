#include "mistake/signature.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include <fmt/format.h>

#include "util/text.hpp"

namespace pat {
namespace {

constexpr std::array<std::string_view, 7> kClassNames = {"digits", "hex", "lower", "upper", "alpha", "alnum", "other"};

std::string_view class_name(RunClass c) { return kClassNames[static_cast<std::size_t>(c)]; }

std::optional<RunClass> parse_class(std::string_view name) {
  for (std::size_t i = 0; i < kClassNames.size(); ++i)
    if (kClassNames[i] == name) return static_cast<RunClass>(i);
  return std::nullopt;
}

// The classes a class belongs to, narrowest first.
std::vector<RunClass> ancestry(RunClass c) {
  switch (c) {
    case RunClass::digits: return {RunClass::digits, RunClass::hex, RunClass::alnum};
    case RunClass::hex: return {RunClass::hex, RunClass::alnum};
    case RunClass::lower: return {RunClass::lower, RunClass::alpha, RunClass::alnum};
    case RunClass::upper: return {RunClass::upper, RunClass::alpha, RunClass::alnum};
    case RunClass::alpha: return {RunClass::alpha, RunClass::alnum};
    case RunClass::alnum: return {RunClass::alnum};
    case RunClass::other: return {RunClass::other};
  }
  return {};
}

// The narrowest class holding both, if any (non-ASCII runs join only with each other).
std::optional<RunClass> join_class(RunClass a, RunClass b) {
  const auto chain = ancestry(a);
  for (RunClass c : ancestry(b))
    if (std::find(chain.begin(), chain.end(), c) != chain.end()) return c;
  return std::nullopt;
}

bool within(RunClass narrow, RunClass wide) {
  const auto chain = ancestry(narrow);
  return std::find(chain.begin(), chain.end(), wide) != chain.end();
}

bool is_run_byte(char c) { return is_alnum(c); }

RunClass class_of_run(std::string_view run) {
  bool digit = false, lower = false, upper = false, hex_letter = false, other_letter = false;
  for (char c : run) {
    if (is_digit(c))
      digit = true;
    else if (is_lower(c))
      lower = true, (c <= 'f' ? hex_letter : other_letter) = true;
    else if (is_upper(c))
      upper = true, (c <= 'F' ? hex_letter : other_letter) = true;
  }
  if (!lower && !upper) return RunClass::digits;
  if (digit && !other_letter && !(lower && upper)) return RunClass::hex;
  if (digit) return RunClass::alnum;
  if (lower && upper) return RunClass::alpha;
  return lower ? RunClass::lower : RunClass::upper;
}

std::string plural(RunClass c, std::uint32_t n) {
  switch (c) {
    case RunClass::digits: return n == 1 ? "digit" : "digits";
    case RunClass::hex: return n == 1 ? "hex character" : "hex characters";
    case RunClass::lower: return n == 1 ? "lower-case letter" : "lower-case letters";
    case RunClass::upper: return n == 1 ? "capital letter" : "capital letters";
    case RunClass::alpha: return n == 1 ? "letter" : "letters";
    case RunClass::alnum: return n == 1 ? "letter or digit" : "letters and digits";
    case RunClass::other: return n == 1 ? "other byte" : "other bytes";
  }
  return "characters";
}

std::string length_text(std::uint32_t lo, std::uint32_t hi) {
  return lo == hi ? std::to_string(lo) : fmt::format("{} to {}", lo, hi);
}

}  // namespace

std::optional<Signature> signature_of(std::string_view value) {
  if (value.empty()) return std::nullopt;
  Signature s;
  std::size_t i = 0;
  while (i < value.size()) {
    if (s.runs.size() >= kMaxSignatureRuns) return std::nullopt;
    SignatureRun r;
    const char c = value[i];
    std::size_t end = i + 1;
    if (is_run_byte(c)) {
      while (end < value.size() && is_run_byte(value[end])) ++end;
      r.cls = class_of_run(value.substr(i, end - i));
    } else if (is_non_ascii(c)) {
      while (end < value.size() && is_non_ascii(value[end])) ++end;
      r.cls = RunClass::other;
    } else {
      r.punct = c;
    }
    r.lo = r.hi = static_cast<std::uint32_t>(end - i);
    s.runs.push_back(r);
    i = end;
  }
  return s;
}

bool fits(const Signature& s, std::string_view value) {
  const auto v = signature_of(value);
  if (!v || v->runs.size() != s.runs.size()) return false;
  std::size_t at = 0;
  for (std::size_t k = 0; k < s.runs.size(); ++k) {
    const SignatureRun& want = s.runs[k];
    const SignatureRun& got = v->runs[k];
    const std::string_view text = value.substr(at, got.lo);
    at += got.lo;
    if (want.punct != got.punct) return false;
    if (want.punct != 0) continue;
    if (got.lo < want.lo || got.lo > want.hi) return false;
    // A hex run that happens to hold no digit ("deadbee") is still hex.
    const bool hex_letters = std::all_of(text.begin(), text.end(), [](char c) { return is_hex_digit(c); });
    if (!within(got.cls, want.cls) && !(hex_letters && within(RunClass::hex, want.cls))) return false;
  }
  return true;
}

std::optional<Signature> join(const Signature& a, const Signature& b) {
  if (a.runs.size() != b.runs.size()) return std::nullopt;
  Signature out = a;
  for (std::size_t k = 0; k < a.runs.size(); ++k) {
    const SignatureRun& x = a.runs[k];
    const SignatureRun& y = b.runs[k];
    if (x.punct != y.punct) return std::nullopt;
    if (x.punct != 0) continue;
    const auto cls = join_class(x.cls, y.cls);
    if (!cls) return std::nullopt;
    out.runs[k].cls = *cls;
    out.runs[k].lo = std::min(x.lo, y.lo);
    out.runs[k].hi = std::max(x.hi, y.hi);
  }
  return out;
}

std::string signature_text(const Signature& s) {
  std::string out;
  for (const auto& r : s.runs) {
    if (r.punct != 0) {
      // '{', '}' and '\\' are escaped so that the text reads back.
      if (r.punct == '{' || r.punct == '}' || r.punct == '\\') out += '\\';
      out += r.punct;
      continue;
    }
    out += class_name(r.cls);
    out += r.lo == r.hi ? fmt::format("{{{}}}", r.lo) : fmt::format("{{{},{}}}", r.lo, r.hi);
  }
  return out;
}

std::optional<Signature> parse_signature(std::string_view text) {
  Signature s;
  std::size_t i = 0;
  while (i < text.size()) {
    if (s.runs.size() >= kMaxSignatureRuns) return std::nullopt;
    SignatureRun r;
    if (is_lower(text[i])) {
      std::size_t end = i;
      while (end < text.size() && is_lower(text[end])) ++end;
      const auto cls = parse_class(text.substr(i, end - i));
      if (!cls || end >= text.size() || text[end] != '{') return std::nullopt;
      const std::size_t close = text.find('}', end);
      if (close == std::string_view::npos) return std::nullopt;
      const std::string_view range = text.substr(end + 1, close - end - 1);
      const std::size_t comma = range.find(',');
      const std::string_view lo_text = range.substr(0, comma);
      const std::string_view hi_text = comma == std::string_view::npos ? lo_text : range.substr(comma + 1);
      auto number = [](std::string_view t, std::uint32_t& out) {
        const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
        return ec == std::errc() && p == t.data() + t.size() && !t.empty();
      };
      if (!number(lo_text, r.lo) || !number(hi_text, r.hi) || r.lo == 0 || r.lo > r.hi) return std::nullopt;
      r.cls = *cls;
      i = close + 1;
    } else {
      if (text[i] == '\\') {
        if (++i >= text.size()) return std::nullopt;
      } else if (text[i] == '{' || text[i] == '}') {
        return std::nullopt;
      }
      r.punct = text[i++];
      r.lo = r.hi = 1;
    }
    s.runs.push_back(r);
  }
  if (s.runs.empty()) return std::nullopt;
  return s;
}

std::string describe_signature(const Signature& s) {
  std::string out;
  for (const auto& r : s.runs) {
    if (r.punct != 0) {
      out += r.punct;
      continue;
    }
    out += fmt::format("{} {}", length_text(r.lo, r.hi), plural(r.cls, r.hi));
  }
  return out;
}

}  // namespace pat
