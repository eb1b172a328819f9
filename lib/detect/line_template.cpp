#include "detect/line_template.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

#include "util/content_hash.hpp"
#include "util/text.hpp"
#include "util/token_template.hpp"

// What is a value (becomes <*>) and what stays, in brief:
// - values: anything with a digit (numbers, hashes and SHAs, UUIDs, times, dates, sizes, hex,
//   versions, IPs, ports); paths (with a slash or a backslash); URLs; e-mail and user@host; file and host names
//   (config.yaml, registry.npmjs.org); command-line flags; quoted names ('x' "x" `x` ‘x’);
//   camelCase identifiers; name(); units and month names next to a number ("3.5 MiB", "May 3");
//   and a bare word alone in its field of an "a: b: c" chain ("bash: just: command not found").
// - kept: words, keywords (fatal:, error:), log levels, exception class names; error codes that
//   name the kind of error (E0425, TS2304, ENOENT, SIGSEGV), because they tell mistakes apart;
//   HTTP statuses after "HTTP"/"status"/"code"/"error" or before a reason phrase ("404 Not
//   Found"), because a 404 and a 500 are different mistakes; digit-bearing names of kinds
//   (utf-8, ipv4, x86_64, sha256); quoted keys and messages inside JSON and key="value" text.

namespace pat {
namespace {

constexpr std::size_t npos = std::string_view::npos;

// Quoted text longer than this is not taken as one quoted value: the quote characters are then
// punctuation and the text in between is templated word by word. It also bounds how far a search
// for a closing quote reads, which keeps a line full of unmatched quotes linear.
constexpr std::size_t kMaxQuoted = 1024;

// Quoted text inside structured text ({"a":"b 'c'"}) is templated recursively; a bound keeps the
// stack flat on adversarial input.
constexpr int kMaxQuoteDepth = 4;

unsigned char byte_at(std::string_view s, std::size_t i) { return static_cast<unsigned char>(s[i]); }

constexpr bool is_hex_letter(unsigned char c) { return c >= 'a' && c <= 'f'; }

// What each byte is, for the atom scanner: one table look-up per byte on the hot path.
enum ByteClass : unsigned char {
  kAtomByte = 1,  // part of an atom (see below)
  kDigitByte = 2,
  kUpperByte = 4,
  kLowerByte = 8,
  kMarkByte = 16,  // needs a closer look inside an atom: / \ @ . : and the lead byte of ‘ ’ “ ”
};

// Bytes that make up an atom (a word or a value): letters, digits, bytes of non-ASCII characters
// and the punctuation found inside paths, hosts, addresses, numbers, versions, globs and
// identifiers. Everything else (brackets, quotes, '=', '!', ...) separates atoms and is kept.
constexpr std::array<unsigned char, 256> make_byte_classes() {
  std::array<unsigned char, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const auto u = static_cast<unsigned char>(c);
    unsigned char cls = 0;
    if (is_digit(u))
      cls = kAtomByte | kDigitByte;
    else if (is_upper(u))
      cls = kAtomByte | kUpperByte;
    else if (is_lower(u))
      cls = kAtomByte | kLowerByte;
    else if (u >= 0x80)
      cls = kAtomByte;
    t[static_cast<std::size_t>(c)] = cls;
  }
  for (const char c : std::string_view("_-%+~#,*")) t[static_cast<unsigned char>(c)] = kAtomByte;
  for (const char c : std::string_view("/\\@.:")) t[static_cast<unsigned char>(c)] = kAtomByte | kMarkByte;
  t[0xE2] = kAtomByte | kMarkByte;
  return t;
}
constexpr std::array<unsigned char, 256> kByteClass = make_byte_classes();

bool is_atom_byte(unsigned char c) { return (kByteClass[c] & kAtomByte) != 0; }

// What an atom is made of, gathered while scanning it.
struct AtomShape {
  bool url = false;
  bool digit = false, letter = false;
  bool slash = false, backslash = false, at = false, dot = false;
  bool camel = false;  // a lower-case letter followed by a capital: fetchUser, PutObject
};

// Words with digits that name a kind of thing rather than a value: an encoding, an address
// family, an architecture, an algorithm, a numeric type. "utf-8" in an error is part of the
// mistake; "user-8" is not.
constexpr std::array<std::string_view, 56> kDigitWords = {
    "utf-8",  "utf8",   "utf-16", "utf16",   "utf-32",  "utf32",   "ipv4",    "ipv6",  "x86",    "x86_64",
    "x64",    "amd64",  "arm64",  "aarch64", "i386",    "i686",    "win32",   "win64", "sha1",   "sha224",
    "sha256", "sha384", "sha512", "md5",     "base32",  "base64",  "int8",    "int16", "int32",  "int64",
    "uint8",  "uint16", "uint32", "uint64",  "float16", "float32", "float64", "i8",    "i16",    "i32",
    "i64",    "u8",     "u16",    "u32",     "u64",     "f32",     "f64",     "http2", "oauth2", "s3",
    "ec2",    "k8s",    "i18n",   "e2e",     "python3", "pip3"};

// Units that follow a number: "3.5 MiB", "120 seconds", "10:00 PM" are one value each.
constexpr std::array<std::string_view, 49> kUnits = {
    "B",         "KB",  "kB",  "kb",   "MB",     "mb",      "GB",  "gb",  "TB",    "PB",
    "KiB",       "MiB", "GiB", "TiB",  "K",      "M",       "G",   "k",   "bytes", "byte",
    "ms",        "s",   "sec", "secs", "second", "seconds", "m",   "min", "mins",  "minute",
    "minutes",   "h",   "hr",  "hrs",  "hour",   "hours",   "d",   "day", "days",  "us",
    "\xC2\xB5s", "ns",  "AM",  "PM",   "am",     "pm",      "UTC", "GMT", "%"};

constexpr std::array<std::string_view, 38> kCalendarNames = {
    "Jan",     "Feb",      "Mar",       "Apr",      "May",    "Jun",      "Jul",    "Aug",  "Sep",    "Oct",
    "Nov",     "Dec",      "January",   "February", "March",  "April",    "June",   "July", "August", "September",
    "October", "November", "December",  "Mon",      "Tue",    "Wed",      "Thu",    "Fri",  "Sat",    "Sun",
    "Monday",  "Tuesday",  "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Sept"};

// Words before a 3-digit number that make it an HTTP status ("HTTP 404", "status code 500",
// "returned error: 403"). Statuses are kept: a 404 and a 500 are different mistakes.
constexpr std::array<std::string_view, 7> kStatusLead = {"http",       "https",       "status", "code",
                                                         "statuscode", "status_code", "error"};

// First words of HTTP reason phrases, which mark the number before them as a status
// ("404 Not Found", "429 Too Many Requests").
constexpr std::array<std::string_view, 37> kReasonStart = {
    "OK",          "Created",   "Accepted",    "No",           "Moved",         "Found",     "See",     "Not",
    "Temporary",   "Permanent", "Bad",         "Unauthorized", "Payment",       "Forbidden", "Method",  "Proxy",
    "Request",     "Conflict",  "Gone",        "Length",       "Precondition",  "Payload",   "Content", "URI",
    "Unsupported", "Range",     "Expectation", "Misdirected",  "Unprocessable", "Locked",    "Failed",  "Too",
    "Upgrade",     "Internal",  "Service",     "Gateway",      "Network"};

// Log levels: a field of its own ("ld: error: ...") that is not a value.
constexpr std::array<std::string_view, 11> kSeverities = {"error", "err",  "warning", "warn",  "fatal",   "note",
                                                          "hint",  "info", "debug",   "panic", "critical"};

bool all_digits(std::string_view w) {
  if (w.empty()) return false;
  for (const char c : w)
    if (!is_digit(static_cast<unsigned char>(c))) return false;
  return true;
}

// An error code that names the kind of error: E0425, TS2304, LNK2019, SC2086, E2BIG, GH007.
// Upper-case letters and one run of digits, short, starting with a letter.
bool is_error_code(std::string_view w) {
  if (w.size() < 3 || w.size() > 8 || !is_upper(byte_at(w, 0))) return false;
  int digit_runs = 0;
  bool in_digits = false;
  for (const char ch : w) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_digit(c)) {
      if (!in_digits) ++digit_runs;
      in_digits = true;
    } else if (is_upper(c) || c == '_') {
      in_digits = false;
    } else {
      return false;
    }
  }
  return digit_runs == 1;
}

// A name in capitals such as ENOENT, EACCES, SIGSEGV, ERR_MODULE_NOT_FOUND: a kind, not a value.
bool is_constant_name(std::string_view w) {
  bool letter = false;
  for (const char ch : w) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_upper(c))
      letter = true;
    else if (!is_digit(c) && c != '_')
      return false;
  }
  return letter;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A '.' between two word characters, or leading a name (.env): file, host and member names.
bool has_inner_dot(std::string_view w) {
  for (std::size_t k = 0; k + 1 < w.size(); ++k)
    if (w[k] == '.' && is_word_byte(byte_at(w, k + 1)) && (k == 0 || is_word_byte(byte_at(w, k - 1)))) return true;
  return false;
}

// Exception and error class names: kinds of errors, not values.
bool is_error_class_name(std::string_view w) {
  return ends_with(w, "Error") || ends_with(w, "Exception") || ends_with(w, "Warning") || ends_with(w, "Failure");
}

// A camelCase or PascalCase identifier (fetchUser, TestParseConfig, PutObject): in an error
// message it names a function, a type, a test or an operation, which is the subject of the error.
// Error class names are kinds and stay.
bool is_code_identifier(std::string_view w) {
  bool inner_capital = false;
  for (std::size_t k = 0; k < w.size(); ++k) {
    const unsigned char c = byte_at(w, k);
    if (!is_alnum(c) && c != '_') return false;
    if (k > 0 && is_upper(c) && is_lower(byte_at(w, k - 1))) inner_capital = true;
  }
  return inner_capital && !is_error_class_name(w);
}

// Which typographic quote (U+2018/U+2019/U+201C/U+201D: bytes E2 80 xx) starts at i: its last
// byte, or 0 for none.
unsigned char fancy_quote_at(std::string_view s, std::size_t i, std::size_t e) {
  if (i + 2 >= e) return 0;
  if (byte_at(s, i) != 0xE2 || byte_at(s, i + 1) != 0x80) return 0;
  const unsigned char c = byte_at(s, i + 2);
  return (c == 0x98 || c == 0x99 || c == 0x9C || c == 0x9D) ? c : 0;
}

// One pass over one line, writing its template to `out`.
class Templater {
public:
  Templater(std::string_view line, std::string& out) : s_(line), out_(out) {}

  void run() {
    out_.clear();
    out_.reserve(s_.size() < 4096 ? s_.size() + 16 : 4096);
    scan(0, s_.size(), 0);
  }

private:
  // Where the line is in its "a: b: c" structure: error texts are chains of fields separated by
  // ": ", and a field that is a single bare word between two separators ("bash: just: command
  // not found", "grep: notes: No such file") or at the end of a chain of three or more ("zsh:
  // command not found: just") names the thing the error is about.
  struct Fields {
    int separators = 0;        // ": " seen so far
    bool at_start = false;     // nothing emitted since the last ": "
    bool after_colon = false;  // the last thing emitted ends with ':'
  };

  void scan(std::size_t b, std::size_t e, int depth) {
    std::size_t i = b;
    while (i < e) {
      const unsigned char c = byte_at(s_, i);
      if (c == 0x1B) {
        i = skip_terminal_escape(i, e);
      } else if (c <= ' ' || c == 0x7F) {
        note_space();
        ++i;
      } else if (depth < kMaxQuoteDepth && quoted(i, b, e, depth)) {
      } else if (c == '[' && bracketed_ipv6(i, e)) {
      } else if (c == '<' && markup_tag(i, e)) {
      } else if (c == 0xE2 && fancy_quote_at(s_, i, e)) {
        put_literal(s_.substr(i, 3));  // an unmatched typographic quote or apostrophe (don’t)
        i += 3;
      } else if (is_atom_byte(c)) {
        i = atom(i, e);
      } else {
        put_punctuation(static_cast<char>(c));
        ++i;
      }
    }
  }

  // ANSI colour and cursor sequences (CSI, OSC, two-byte escapes) say nothing about the error.
  // A malformed one ends before the first byte that cannot belong to it, so that no character
  // after it is cut.
  std::size_t skip_terminal_escape(std::size_t i, std::size_t e) const {
    if (i + 1 >= e) return e;
    const unsigned char kind = byte_at(s_, i + 1);
    std::size_t j = i + 2;
    if (kind == '[') {
      while (j < e && byte_at(s_, j) >= 0x20 && byte_at(s_, j) <= 0x3F) ++j;
      return (j < e && byte_at(s_, j) >= 0x40 && byte_at(s_, j) <= 0x7E) ? j + 1 : j;
    }
    if (kind == ']') {
      while (j < e && s_[j] != '\x07' && !(s_[j] == '\x1B' && j + 1 < e && s_[j + 1] == '\\')) ++j;
      if (j >= e) return e;
      return s_[j] == '\x07' ? j + 1 : j + 2;
    }
    return (kind >= 0x20 && kind <= 0x7E) ? i + 2 : i + 1;
  }

  // ---- output ----

  void note_space() {
    pending_space_ = true;
    if (fields_.after_colon) {
      ++fields_.separators;
      fields_.at_start = true;
      fields_.after_colon = false;
    }
  }

  void flush_space() {
    if (pending_space_ && !out_.empty()) out_.push_back(' ');
    pending_space_ = false;
  }

  void put_literal(std::string_view t) {
    if (t.empty()) return;
    flush_space();
    out_.append(t);
    fields_.after_colon = t.back() == ':';
    fields_.at_start = false;
  }

  void put_punctuation(char c) {
    if (c == '{' || c == '[')
      ++nesting_;
    else if ((c == '}' || c == ']') && nesting_ > 0)
      --nesting_;
    put_literal(std::string_view(&c, 1));
  }

  bool output_ends_with_wildcard() const {
    const std::size_t n = out_.size();
    return n >= 3 && out_[n - 1] == '>' && out_[n - 2] == '*' && out_[n - 3] == '<';
  }

  // Consecutive values, with at most white space between them, make one <*>: "2m 0.0s",
  // "May  3 14:22:07", "3.5 MiB" each have one template whatever their shape.
  void put_wildcard() {
    if (output_ends_with_wildcard())
      pending_space_ = false;
    else {
      flush_space();
      out_.append(kWildcard);
    }
    fields_.after_colon = false;
    fields_.at_start = false;
    prev_word_ = {};
  }

  // ---- quoted text ----

  // A quoted name or value ('x', "x", `x`, `x', ‘x’, “x”, \"x\" inside a JSON string) is one
  // value. Inside structured text (JSON, Python dicts, key="value") the quoted text is a key or a
  // message in its own right and is templated word by word instead.
  bool quoted(std::size_t& i, std::size_t b, std::size_t e, int depth) {
    const unsigned char c = byte_at(s_, i);
    std::size_t open_len = 1, close_len = 1, close = npos;
    switch (c) {
      case '"': close = find_double_quote_close(i + 1, e); break;
      case '\\':
        if (i + 1 >= e || s_[i + 1] != '"') return false;
        open_len = close_len = 2;
        close = find_escaped_double_quote_close(i + 2, e);
        break;
      case '\'':
        if (i > b && is_word_byte(byte_at(s_, i - 1))) return false;  // don't, GitHub's
        close = find_apostrophe_close(i + 1, e);
        break;
      case '`': close = find_backtick_close(i + 1, e); break;
      case 0xE2: {
        const unsigned char kind = fancy_quote_at(s_, i, e);
        if (kind != 0x98 && kind != 0x9C) return false;
        open_len = close_len = 3;
        close = find_fancy_close(i + 3, e, kind);
        break;
      }
      default: return false;
    }
    if (close == npos) return false;
    const std::size_t content = i + open_len;
    const std::size_t after = close + close_len;
    if (close == content) {  // '' and "" are punctuation
      put_literal(s_.substr(i, after - i));
      i = after;
      return true;
    }
    const bool structured = in_structured_text(i, b);
    put_literal(s_.substr(i, open_len));
    if (structured) {
      const Fields outer = fields_;
      fields_ = Fields{};
      scan(content, close, depth + 1);
      fields_ = outer;
    } else {
      put_wildcard();
    }
    put_literal(s_.substr(close, close_len));
    i = after;
    return true;
  }

  std::size_t search_limit(std::size_t from, std::size_t e) const { return std::min(e, from + kMaxQuoted + 1); }

  std::size_t find_byte(char c, std::size_t from, std::size_t limit) const {
    if (from >= limit) return npos;
    const void* p = std::memchr(s_.data() + from, c, limit - from);
    return p ? static_cast<std::size_t>(static_cast<const char*>(p) - s_.data()) : npos;
  }

  bool escaped(std::size_t quote_pos, std::size_t floor) const {
    std::size_t n = 0;
    while (quote_pos > floor + n && s_[quote_pos - 1 - n] == '\\') ++n;
    return n % 2 == 1;
  }

  std::size_t find_double_quote_close(std::size_t from, std::size_t e) const {
    const std::size_t limit = search_limit(from, e);
    for (std::size_t p = from;;) {
      const std::size_t q = find_byte('"', p, limit);
      if (q == npos) return npos;
      if (!escaped(q, from)) return q;
      p = q + 1;
    }
  }

  // Inside a JSON string: the closing \" comes before any bare ", which would end the string.
  std::size_t find_escaped_double_quote_close(std::size_t from, std::size_t e) const {
    const std::size_t q = find_byte('"', from, search_limit(from, e));
    if (q == npos || q == from || !escaped(q, from)) return npos;
    return q - 1;
  }

  std::size_t find_apostrophe_close(std::size_t from, std::size_t e) const {
    const std::size_t q = find_byte('\'', from, search_limit(from, e));
    if (q == npos || (q + 1 < e && is_word_byte(byte_at(s_, q + 1)))) return npos;
    return q;
  }

  // `x` or, in older GNU messages, `x'.
  std::size_t find_backtick_close(std::size_t from, std::size_t e) const {
    const std::size_t limit = search_limit(from, e);
    if (const std::size_t q = find_byte('`', from, limit); q != npos) return q;
    const std::size_t q = find_byte('\'', from, limit);
    if (q == npos || (q + 1 < e && is_word_byte(byte_at(s_, q + 1)))) return npos;
    return q;
  }

  // Stops at another opening quote of the same kind so that a run of unmatched openers is
  // searched once, not once per opener.
  std::size_t find_fancy_close(std::size_t from, std::size_t e, unsigned char opener) const {
    const std::size_t limit = search_limit(from, e);
    for (std::size_t p = from;;) {
      const std::size_t q = find_byte('\xE2', p, limit);
      if (q == npos) return npos;
      const unsigned char kind = fancy_quote_at(s_, q, e);
      if (kind == opener + 1) return q;
      if (kind == opener) return npos;
      p = q + 1;
    }
  }

  // A quote opening a key or a value of structured text: after '{', '[', '=', after ',' or
  // after "key": inside brackets.
  bool in_structured_text(std::size_t i, std::size_t b) const {
    std::size_t k = i;
    while (k > b && is_blank(byte_at(s_, k - 1))) --k;
    if (k == b) return false;
    const char p = s_[k - 1];
    if (p == '{' || p == '[') return true;
    if (p == '=') return k >= b + 2 && is_word_byte(byte_at(s_, k - 2));  // key="value", not == "x"
    if (nesting_ == 0) return false;
    if (p == ',') return true;
    if (p != ':') return false;
    --k;
    while (k > b && is_blank(byte_at(s_, k - 1))) --k;
    return k > b && (s_[k - 1] == '"' || s_[k - 1] == '\'');
  }

  // [2001:db8::1]:443, [::]:80 — an IPv6 address in brackets, with its port: one value.
  bool bracketed_ipv6(std::size_t& i, std::size_t e) {
    std::size_t j = i + 1;
    int colons = 0;
    const std::size_t limit = std::min(e, i + 64);
    while (j < limit && s_[j] != ']') {
      const unsigned char c = byte_at(s_, j);
      if (c == ':')
        ++colons;
      else if (!is_alnum(c) && c != '.' && c != '%')
        return false;  // hex digits, IPv4 tail, zone
      ++j;
    }
    if (j >= limit || colons < 2) return false;
    ++j;
    if (j + 1 < e && s_[j] == ':' && is_digit(byte_at(s_, j + 1))) {
      ++j;
      while (j < e && is_digit(byte_at(s_, j))) ++j;
    }
    put_wildcard();
    i = j;
    return true;
  }

  // <tool_use_error>, </tool_use_error>, <stdin>: markup and placeholders are kept as they are
  // (without this, the slash of a closing tag would make it a path).
  bool markup_tag(std::size_t& i, std::size_t e) {
    std::size_t j = i + 1;
    if (j < e && s_[j] == '/') ++j;
    const std::size_t name = j;
    while (j < e && (is_letter(byte_at(s_, j)) || s_[j] == '_' || s_[j] == '-')) ++j;
    if (j == name || j >= e || s_[j] != '>') return false;
    put_literal(s_.substr(i, j + 1 - i));
    i = j + 1;
    return true;
  }

  // ---- atoms ----

  bool url_scheme(std::size_t b, std::size_t colon) const {
    if (colon - b < 2 || !is_letter(byte_at(s_, b))) return false;
    for (std::size_t k = b; k < colon; ++k) {
      const unsigned char c = byte_at(s_, k);
      if (!is_alnum(c) && c != '+' && c != '-' && c != '.') return false;
    }
    return true;
  }

  std::size_t url_end(std::size_t from, std::size_t e) const {
    std::size_t j = from;
    while (j < e) {
      const unsigned char c = byte_at(s_, j);
      if (c <= ' ' || c == 0x7F || c == '"' || c == '\'' || c == '`' || c == '<' || c == '>') break;
      if (c == '\\' && j + 1 < e && s_[j + 1] == '"') break;
      ++j;
    }
    return j;
  }

  bool windows_path_start(std::size_t b, std::size_t end) const {
    if (end - b >= 3 && is_letter(byte_at(s_, b)) && s_[b + 1] == ':' && (s_[b + 2] == '\\' || s_[b + 2] == '/'))
      return true;
    return end - b >= 2 && s_[b] == '\\' && s_[b + 1] == '\\';
  }

  // Scans one atom starting at i, emits it (as itself or as <*>) with the punctuation around it,
  // and returns where scanning goes on.
  std::size_t atom(std::size_t i, std::size_t e) {
    std::size_t end = i;
    AtomShape shape;
    unsigned char seen = 0, prev_cls = 0;
    while (end < e) {
      const unsigned char c = byte_at(s_, end);
      const unsigned char cls = kByteClass[c];
      if (!(cls & kAtomByte)) break;
      if (cls & kMarkByte) {
        if (c == '/') {
          shape.slash = true;
        } else if (c == '\\') {
          if (end + 1 < e && s_[end + 1] == '"') break;
          shape.backslash = true;
        } else if (c == '@') {
          shape.at = true;
        } else if (c == '.') {
          shape.dot = true;
        } else if (c == ':') {
          if (end + 2 < e && s_[end + 1] == '/' && s_[end + 2] == '/' && url_scheme(i, end)) {
            shape.url = true;
            end = url_end(end, e);
            break;
          }
        } else if (fancy_quote_at(s_, end, e)) {
          break;
        }
      }
      if ((cls & kUpperByte) && (prev_cls & kLowerByte)) shape.camel = true;
      seen |= cls;
      prev_cls = cls;
      ++end;
    }
    shape.digit = (seen & kDigitByte) != 0;
    shape.letter = (seen & (kUpperByte | kLowerByte)) != 0;
    if (shape.backslash && !shape.url) end = cut_at_text_escape(i, end);
    if (end == i) {
      // A \n, \t or \r escape in JSON-encoded text, or a lone backslash before a quote (an atom
      // starts with neither a quote nor anything else that ends one).
      const std::size_t n = (s_[i] == '\\' && i + 1 < e && s_[i + 1] != '"') ? 2 : 1;
      put_literal(s_.substr(i, n));
      return i + n;
    }

    std::size_t core_begin = i, core_end = end;
    while (core_begin < core_end) {
      const char c = s_[core_begin];
      if (c == ',' || c == ';' || (c == ':' && !(core_begin + 1 < core_end && s_[core_begin + 1] == ':'))) {
        ++core_begin;
      } else if (c == '.' && core_begin + 1 < core_end && s_[core_begin + 1] == '.') {
        std::size_t d = core_begin;
        while (d < core_end && s_[d] == '.') ++d;
        if (d < core_end && (s_[d] == '/' || s_[d] == '\\')) break;  // ../x
        core_begin = d;
      } else {
        break;
      }
    }
    while (core_end > core_begin) {
      const char c = s_[core_end - 1];
      const bool trailing = c == '.' || c == ',' || c == ':' || c == ';' || c == '!' || c == '?' ||
                            (shape.url && (c == ')' || c == ']' || c == '}'));
      if (!trailing) break;
      --core_end;
    }

    put_literal(s_.substr(i, core_begin - i));
    if (core_begin < core_end) {
      const std::string_view core = s_.substr(core_begin, core_end - core_begin);
      if (is_value(core, shape, core_end, end, e)) {
        put_wildcard();
      } else {
        put_literal(core);
        prev_word_ = core;
      }
    }
    put_literal(s_.substr(core_end, end - core_end));
    return end;
  }

  // JSON-encoded text carries \n, \t, \r escapes glued to words ("line1\nline2"); a Windows path
  // carries backslashes before any letter ("tests\unit\test_core.py"). Only the first is cut.
  std::size_t cut_at_text_escape(std::size_t b, std::size_t end) const {
    if (windows_path_start(b, end)) return end;
    std::size_t first_escape = npos;
    for (std::size_t k = b; k + 1 < end; ++k) {
      if (s_[k] != '\\') continue;
      const char n = s_[k + 1];
      if (n == 'n' || n == 't' || n == 'r') {
        if (first_escape == npos) first_escape = k;
      } else if (n != '\\') {
        return end;
      }
      ++k;
    }
    return first_escape == npos ? end : first_escape;
  }

  // What follows position p, white space skipped.
  std::size_t skip_spaces(std::size_t p, std::size_t e) const {
    while (p < e && is_blank(byte_at(s_, p))) ++p;
    return p;
  }

  std::string_view next_letters(std::size_t p, std::size_t e) const {
    p = skip_spaces(p, e);
    std::size_t q = p;
    while (q < e && is_letter(byte_at(s_, q))) ++q;
    return s_.substr(p, q - p);
  }

  // Nothing but white space, full stops and closing markup tags (</tool_use_error>) up to e.
  bool only_closing_matter_left(std::size_t p, std::size_t e) const {
    while (p < e) {
      const char c = s_[p];
      if (is_blank(static_cast<unsigned char>(c)) || c == '.' || c == '\r' || c == '\n') {
        ++p;
      } else if (c == '<' && p + 1 < e && s_[p + 1] == '/') {
        std::size_t q = p + 2;
        while (q < e && (is_word_byte(byte_at(s_, q)) || s_[q] == '-')) ++q;
        if (q >= e || s_[q] != '>') return false;
        p = q + 1;
      } else {
        return false;
      }
    }
    return true;
  }

  bool is_http_status(std::string_view w, std::size_t end, std::size_t e) const {
    if (w.size() != 3 || !all_digits(w) || w[0] < '1' || w[0] > '5') return false;
    if (in_list_ci(prev_word_, kStatusLead) || istarts_with(prev_word_, "http/")) return true;
    return in_list(next_letters(end, e), kReasonStart);
  }

  // Whether the field starting after p is a single bare token: "undefined: handler" ends in one.
  bool next_field_is_one_token(std::size_t p, std::size_t e) const {
    p = skip_spaces(p, e);
    std::size_t q = p;
    while (q < e && is_atom_byte(byte_at(s_, q))) ++q;
    if (q == p) return false;
    if (s_[q - 1] == ':' && (q == e || is_blank(byte_at(s_, q)))) return true;
    return only_closing_matter_left(q, e);
  }

  // A bare word alone in its field of an "a: b: c" chain (see Fields). In the middle of a chain
  // it is the subject when prose follows ("bash: just: command not found"), and a label when a
  // lone token follows, which is then the subject ("x.go:3:1: undefined: handler"). Log levels,
  // constants (ENOENT) and exception class names are fields of their own, not values.
  bool lone_field_value(std::string_view w, std::size_t core_end, std::size_t end, std::size_t e) const {
    if (!fields_.at_start) return false;
    const bool middle = fields_.separators >= 1 && end == core_end + 1 && s_[core_end] == ':' &&
                        (end == e || is_blank(byte_at(s_, end))) && !next_field_is_one_token(end, e);
    const bool last = !middle && fields_.separators >= 2 && only_closing_matter_left(core_end, e);
    if (!middle && !last) return false;
    if (in_list_ci(w, kSeverities) || is_constant_name(w)) return false;
    return !is_error_class_name(w);
  }

  // (NotFound), (AccessDenied): a status named in parentheses, a kind rather than a subject.
  bool in_parentheses(std::string_view w, std::size_t core_end, std::size_t e) const {
    const std::size_t b = core_end - w.size();
    return b > 0 && s_[b - 1] == '(' && core_end < e && s_[core_end] == ')';
  }

  // Whether the atom w (its punctuation trimmed, ending at core_end; the atom itself ends at
  // end, the text being scanned at e) is a value.
  bool is_value(std::string_view w, const AtomShape& shape, std::size_t core_end, std::size_t end,
                std::size_t e) const {
    if (shape.url) return true;
    if (shape.at && w.size() > 1) return true;  // e-mail, user@host, package@version
    if (shape.slash) {
      if (to_lower(byte_at(w, 0)) == 'h' && istarts_with(w, "http/")) return false;  // HTTP/1.1
      if (shape.digit) return true;
      std::size_t longest = 0, segment = 0;
      for (const char c : w) {
        segment = c == '/' ? 0 : segment + 1;
        longest = std::max(longest, segment);
      }
      if (longest > 1) return true;  // a path, not "I/O" or "N/A"
    }
    if (shape.backslash) return true;  // a Windows path
    if (w.size() >= 2 && w[0] == '-' &&
        (is_letter(byte_at(w, 1)) || (w[1] == '-' && w.size() >= 3 && is_letter(byte_at(w, 2)))))
      return true;  // a command-line flag
    // The exceptions below are words by their form; the position rules at the end may still
    // find them to be the subject of the error.
    if (shape.digit) {
      if (is_http_status(w, core_end, e)) return false;
      // (every word of kDigitWords is short and has a letter: most numbers skip the look-up)
      if (!(is_error_code(w) || (shape.letter && w.size() <= 7 && in_list_ci(w, kDigitWords)))) return true;
    } else if (shape.dot && has_inner_dot(w)) {
      // A file or host name (config.yaml, registry.npmjs.org, self.items, .env) is a value; a
      // qualified type name (java.lang.NullPointerException) and "e.g" are words.
      const std::size_t last_dot = w.rfind('.');
      if (!is_upper(byte_at(w, last_dot + 1)) && (w.size() > 3 || w[1] != '.')) return true;
    } else if (w.size() >= 12 &&
               std::all_of(w.begin(), w.end(), [](char c) { return is_hex_letter(static_cast<unsigned char>(c)); })) {
      return true;  // a hash that happens to have no digit
    }
    if (w == "localhost") return true;  // a host name like any other, just without dots
    if (shape.camel && is_code_identifier(w) && !in_parentheses(w, core_end, e)) return true;
    if (is_upper(byte_at(w, 0)) && w.size() >= 3 && w.size() <= 9) {
      std::size_t p = end;
      if (p < e && s_[p] == ',') ++p;
      p = skip_spaces(p, e);
      if (p < e && is_digit(byte_at(s_, p)) && in_list(w, kCalendarNames)) return true;  // May 3, Mon, 01
    }
    if (w.size() <= 7 && output_ends_with_wildcard() && in_list(w, kUnits)) return true;
    if (end == core_end && end + 1 < e && s_[end] == '(' && s_[end + 1] == ')') return true;  // name()
    return lone_field_value(w, core_end, end, e);
  }

  std::string_view s_;
  std::string& out_;
  Fields fields_;
  bool pending_space_ = false;
  int nesting_ = 0;             // unclosed '{' and '[' so far: inside structured text
  std::string_view prev_word_;  // the last atom kept as a word, for HTTP statuses
};

}  // namespace

void line_template(std::string_view line, std::string& out) { Templater(line, out).run(); }

std::string line_template(std::string_view line) {
  std::string out;
  line_template(line, out);
  return out;
}

std::string template_id(std::string_view template_text) { return content_hash(template_text).substr(0, 16); }

}  // namespace pat
