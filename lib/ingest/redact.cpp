#include "ingest/redact.hpp"

#include <array>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <re2/re2.h>

#include "default_redact_rules.hpp"
#include "util/error.hpp"
#include "util/paths.hpp"
#include "util/rules_files.hpp"

namespace pat {

struct Redactor::Impl {
  struct Rule {
    std::string name;
    std::string mask;
    std::string pattern;
    std::string origin;                 // FILE:LINE, for messages
    std::vector<std::string> triggers;  // lowercase; empty: always run
    double min_entropy = 0;             // bits per character the masked text needs (0: any)
    mutable std::unique_ptr<RE2> re;    // compiled on first use: most runs need few rules
    const RE2& regex() const {
      if (!re) {
        RE2::Options opt;
        opt.set_log_errors(false);
        re = std::make_unique<RE2>(pattern, opt);
      }
      return *re;
    }
    // `lower` is the text in lowercase.
    bool triggered_by(std::string_view lower) const {
      if (triggers.empty()) return true;
      for (const auto& t : triggers)
        if (lower.find(t) != std::string_view::npos) return true;
      return false;
    }
  };
  std::vector<Rule> text_rules;
  std::vector<Rule> key_rules;
};

namespace {

// Shannon entropy of the bytes of `s`, in bits per byte: about 3.7 for 16 random letters and
// digits, near 4 for 32 hex digits, under 3.3 for most words and names of the same length.
double entropy_bits(std::string_view s) {
  std::array<std::size_t, 256> counts{};
  for (const unsigned char c : s) ++counts[c];
  double bits = 0;
  const auto n = static_cast<double>(s.size());
  for (const std::size_t k : counts)
    if (k > 0) {
      const double p = static_cast<double>(k) / n;
      bits -= p * std::log2(p);
    }
  return bits;
}

// Replaces each match of `rule` in `s` by its mask (only group 1 when the rule has a group); a
// target under `min_entropy` bits per byte is left as it is.
bool apply(const RE2& re, const std::string& mask, double min_entropy, std::string& s) {
  const int groups = re.NumberOfCapturingGroups();
  re2::StringPiece m[2];
  const int nsub = groups > 0 ? 2 : 1;
  const re2::StringPiece input(s);
  std::string out;
  std::size_t pos = 0, copied = 0;
  bool changed = false;
  while (pos <= s.size() && re.Match(input, pos, s.size(), RE2::UNANCHORED, m, nsub)) {
    const re2::StringPiece target = (groups > 0 && m[1].data() != nullptr) ? m[1] : m[0];
    const auto tbeg = static_cast<std::size_t>(target.data() - s.data());
    const auto mend = static_cast<std::size_t>(m[0].data() - s.data()) + m[0].size();
    // A match that is already a mask (from an earlier, more specific rule) stays as it is.
    if (!target.empty() && target.substr(0, 10) != re2::StringPiece("[REDACTED:") &&
        (min_entropy <= 0 || entropy_bits(std::string_view(target.data(), target.size())) >= min_entropy)) {
      out.append(s, copied, tbeg - copied);
      out += mask;
      copied = tbeg + target.size();
      changed = true;
    }
    pos = m[0].empty() ? mend + 1 : mend;
  }
  if (changed) {
    out.append(s, copied, std::string::npos);
    s = std::move(out);
  }
  return changed;
}

}  // namespace

Redactor::Redactor() : impl_(std::make_unique<Impl>()) {}
Redactor::~Redactor() = default;
Redactor::Redactor(Redactor&&) noexcept = default;
Redactor& Redactor::operator=(Redactor&&) noexcept = default;

std::size_t Redactor::size() const { return impl_->text_rules.size() + impl_->key_rules.size(); }

void Redactor::add_rules(std::string_view text, const std::string& origin) {
  std::istringstream in{std::string(text)};
  std::string line;
  std::size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    std::istringstream fields(line.substr(first));
    std::string kind, name;
    fields >> kind >> name;
    std::string pattern;
    std::getline(fields, pattern);
    auto pstart = pattern.find_first_not_of(" \t");
    pattern = pstart == std::string::npos ? std::string() : pattern.substr(pstart);
    std::vector<std::string> triggers;
    if (!pattern.empty() && pattern.front() == '{') {
      const auto close = pattern.find('}');
      if (close == std::string::npos)
        throw Error(Exit::config, fmt::format("{}:{}: trigger list without }}", origin, line_no));
      std::istringstream words(pattern.substr(1, close - 1));
      for (std::string w; words >> w;) {
        for (auto& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        triggers.push_back(w);
      }
      pattern = pattern.substr(close + 1);
      pstart = pattern.find_first_not_of(" \t");
      pattern = pstart == std::string::npos ? std::string() : pattern.substr(pstart);
    }
    double min_entropy = 0;
    if (constexpr std::string_view kEntropy = "entropy>="; pattern.rfind(kEntropy, 0) == 0) {
      const auto end = pattern.find_first_of(" \t");
      const std::string number =
          pattern.substr(kEntropy.size(), end == std::string::npos ? end : end - kEntropy.size());
      char* stop = nullptr;
      min_entropy = std::strtod(number.c_str(), &stop);
      if (number.empty() || *stop != '\0' || !(min_entropy > 0 && min_entropy <= 8))
        throw Error(Exit::config, fmt::format("{}:{}: entropy>= needs bits per byte above 0 and at most 8, not \"{}\"",
                                              origin, line_no, number));
      pstart = end == std::string::npos ? end : pattern.find_first_not_of(" \t", end);
      pattern = pstart == std::string::npos ? std::string() : pattern.substr(pstart);
    }
    while (!pattern.empty() && (pattern.back() == '\r' || pattern.back() == ' ' || pattern.back() == '\t'))
      pattern.pop_back();
    if ((kind != "text" && kind != "key") || name.empty() || pattern.empty())
      throw Error(Exit::config,
                  fmt::format("{}:{}: expected \"text NAME REGEX\" or \"key NAME REGEX\"", origin, line_no));
    Impl::Rule rule{name,
                    "[REDACTED:" + name + "]",
                    pattern,
                    fmt::format("{}:{}", origin, line_no),
                    std::move(triggers),
                    min_entropy,
                    nullptr};
    // Shipped rules are compiled when first needed; rules a user adds are checked now, so that
    // a mistake is reported at once with its line.
    if (origin.rfind("built-in", 0) != 0 && origin.find("share/pattools/redact.rules") == std::string::npos &&
        !rule.regex().ok())
      throw Error(Exit::config, fmt::format("{}:{}: bad regular expression for rule {}: {}", origin, line_no, name,
                                            rule.regex().error()));
    (kind == "text" ? impl_->text_rules : impl_->key_rules).push_back(std::move(rule));
  }
}

Redactor Redactor::built_in() {
  Redactor r;
  r.add_rules(kDefaultRedactRules, "built-in redact.rules");
  return r;
}

Redactor Redactor::load_default(const std::vector<std::string>& extra_files) {
  Redactor r;
  for (const auto& rules : load_rules_texts("redact.rules", kDefaultRedactRules, extra_files))
    r.add_rules(rules.text, rules.origin);
  return r;
}

namespace {

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

bool Redactor::redact(std::string& s) const {
  if (s.size() < 8 || impl_->text_rules.empty()) return false;
  const std::string lower = lowercase(s);
  bool changed = false;
  for (const auto& rule : impl_->text_rules) {  // in file order
    if (!rule.triggered_by(lower)) continue;
    const RE2& re = rule.regex();
    if (!re.ok())
      throw Error(Exit::config,
                  fmt::format("{}: bad regular expression for rule {}: {}", rule.origin, rule.name, re.error()));
    changed = apply(re, rule.mask, rule.min_entropy, s) || changed;
  }
  return changed;
}

bool Redactor::redact(json& j) const {
  bool changed = false;
  if (j.is_string()) {
    auto& s = j.get_ref<std::string&>();
    changed = redact(s);
  } else if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it->is_string() && !it->get_ref<const std::string&>().empty()) {
        const std::string lower_key = lowercase(it.key());
        for (const auto& rule : impl_->key_rules) {
          if (rule.triggered_by(lower_key) && RE2::PartialMatch(it.key(), rule.regex())) {
            *it = rule.mask;
            changed = true;
            break;
          }
        }
      }
      changed = redact(*it) || changed;
    }
  } else if (j.is_array()) {
    for (auto& v : j) changed = redact(v) || changed;
  }
  return changed;
}

}  // namespace pat
