// Secret redaction (ingest/redact.hpp) with the shipped rules (share/pattools/redact.rules, built
// into the library) on any text, and on a secret of a known form put anywhere in that text. It
// says exactly when it changed something, keeps valid UTF-8 valid, masks the secret wherever the
// text around it leaves its form whole, and redacts the strings of a JSON value as it redacts
// strings.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness.hpp"
#include "ingest/redact.hpp"
#include "util/utf8.hpp"

namespace {

using pat_fuzz::require;

// Put into the input between two spaces: lead + secret + tail, where the secret must not survive
// redaction and the lead and the tail are what makes it recognisable.
struct Planted {
  std::string lead, secret, tail;
};

// `n` characters of `alphabet`, in an order no real text has.
std::string filler(std::string_view alphabet, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; s.size() < n; ++i) s += alphabet[(i * 7 + 3) % alphabet.size()];
  return s;
}

// Secrets in forms the shipped rules know. They are made here rather than written out, so that
// nothing in the sources looks like a credential.
const std::vector<Planted>& planted() {
  static const std::vector<Planted> all = [] {
    const std::string_view upper_digits = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    const std::string_view mixed = "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5";
    const std::string aws = "AKIA" + filler(upper_digits, 16);
    const std::string gh = "ghp_" + filler(mixed, 36);
    const std::string bearer = filler(mixed, 24);
    const std::string password = filler(mixed, 14);
    const std::string jwt = "eyJ" + filler(mixed, 12) + ".eyJ" + filler(mixed, 12) + "." + filler(mixed, 16);
    const std::string key_body = filler(mixed, 48);
    return std::vector<Planted>{
        {"", aws, ""},
        {"", gh, ""},
        {"Authorization: Bearer ", bearer, ""},
        {"https://deploy:", password, "@example.org/repo.git"},
        {"password=", password, ""},
        {"DB_PASSWORD=", password, ""},
        {"", jwt, ""},
        {"", "-----BEGIN RSA PRIVATE KEY-----\n" + key_body + "\n-----END RSA PRIVATE KEY-----", ""},
        {"mysql -u root -p", password, " app"},
        {"curl -u deploy:", password, " https://example.org"},
    };
  }();
  return all;
}

std::string between(std::string_view before, std::string_view middle, std::string_view after) {
  return std::string(before) + " " + std::string(middle) + " " + std::string(after);
}

std::size_t occurrences(std::string_view text, std::string_view part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string_view::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// Redacts `s` and checks what holds for any string.
std::string redacted(const pat::Redactor& redactor, std::string_view s) {
  std::string out(s);
  const bool masked = redactor.redact(out);
  require(masked == (out != s), "redact's answer and its change disagree");
  if (pat::is_valid_utf8(s)) require(pat::is_valid_utf8(out), "valid UTF-8 in gave invalid UTF-8 out");
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const pat::Redactor redactor = pat::Redactor::built_in();
  const std::string_view text = pat_fuzz::as_text(data, size);
  const std::string plain = redacted(redactor, text);

  pat::json value = {{"note", std::string(text)}, {"list", {std::string(text)}}, {"password", std::string(text)}};
  redactor.redact(value);
  require(value["note"] == plain && value["list"][0] == plain, "a JSON string redacted unlike the same string");
  if (!text.empty())
    require(value["password"].get<std::string>().starts_with("[REDACTED:"), "the value of a secret key kept");

  // The first two bytes choose a secret and where in the rest it goes.
  if (size < 2) return 0;
  const Planted& p = planted()[data[0] % planted().size()];
  const std::string_view rest = text.substr(2);
  const std::size_t at = rest.size() * data[1] / 256;
  const std::string_view before = rest.substr(0, at), after = rest.substr(at);
  // The secret is checked where its lead and tail keep their meaning: where the text around them,
  // without the secret, leaves them as they are. Otherwise another rule has taken a part of them
  // for a secret of its own (a command can make "Bearer" the password of htpasswd), and the
  // secret no longer has the form its rule knows.
  const std::string context = p.lead + p.tail;
  const std::string context_input = between(before, context, after);
  const std::string spaced_context = " " + context + " ";
  if (!context.empty() &&
      occurrences(redacted(redactor, context_input), spaced_context) < occurrences(context_input, spaced_context))
    return 0;
  // The spaces keep the secret apart from the text around it, so it can be found in the output
  // only where that text already held it.
  require(occurrences(redacted(redactor, between(before, p.lead + p.secret + p.tail, after)), p.secret) <=
              occurrences(before, p.secret) + occurrences(after, p.secret),
          "a secret survived redaction: " + p.lead + p.secret + p.tail);
  return 0;
}
