#pragma once
// The form of a value as a character-class signature: its runs of digits, hex digits, lower- and
// upper-case letters, with their lengths, and the punctuation between them, literally:
// "abc1234" is hex{7}, "03/15/2026" is digits{2}/digits{2}/digits{4}, "2026-03-15"
// digits{4}-digits{2}-digits{2}, "fix_login" lower{3}_lower{5}. Two values have the same form when
// their runs line up: the same punctuation, classes that join (digits and hex join into hex), so
// that a signature learned from some values recognises others of the same form, and a value of
// another form (40 hex digits where 7 failed, a date written the other way round) does not fit.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pat {

// The classes of a run of letters and digits, from the narrowest. digits ⊂ hex ⊂ alnum,
// lower ⊂ alpha ⊂ alnum, upper ⊂ alpha. A run is hex only when it holds a digit and a letter a-f
// (so "cafe" is lower and "123" digits); bytes of non-ASCII characters form runs of their own.
enum class RunClass { digits, hex, lower, upper, alpha, alnum, other };

struct SignatureRun {
  RunClass cls = RunClass::digits;
  char punct = 0;                // non-zero: a single punctuation or space byte, taken literally
  std::uint32_t lo = 0, hi = 0;  // the run's length range, in bytes (punctuation: 1)
  bool operator==(const SignatureRun&) const = default;
};

struct Signature {
  std::vector<SignatureRun> runs;
  bool operator==(const Signature&) const = default;
};

// At most this many runs: a longer value (a sentence, a command) has no form worth a check.
inline constexpr std::size_t kMaxSignatureRuns = 16;

// The signature of one value, lengths exact; nullopt for the empty value or one over
// kMaxSignatureRuns runs.
std::optional<Signature> signature_of(std::string_view value);

// Whether the value has the form: the same runs, each of a class within the signature's and a
// length within its range.
bool fits(const Signature& s, std::string_view value);

// The signature both values' signatures fit: classes joined, length ranges widened; nullopt
// when their runs do not line up.
std::optional<Signature> join(const Signature& a, const Signature& b);

// "hex{7}", "digits{2}/digits{2}/digits{4}", "digits{8,12}"; parse_signature reads it back.
std::string signature_text(const Signature& s);
std::optional<Signature> parse_signature(std::string_view text);

// "7 hex characters", "2 digits/2 digits/4 digits", "8 to 12 digits", "3 letters_5 letters".
std::string describe_signature(const Signature& s);

}  // namespace pat
