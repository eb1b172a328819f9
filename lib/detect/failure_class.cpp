#include "detect/failure_class.hpp"

#include <algorithm>
#include <sstream>

#include <fmt/format.h>
#include <re2/re2.h>

#include "default_failure_classes.hpp"
#include "util/error.hpp"
#include "util/rules_files.hpp"

namespace pat {

struct FailureClassifier::Impl {
  struct Rule {
    FailureClass cls;
    std::unique_ptr<RE2> re;
  };
  std::vector<Rule> rules;
};

const std::vector<std::string>& FailureClassifier::other_classes() {
  static const std::vector<std::string> names = {"network",  "auth",      "rate_limit",  "timeout", "interrupted",
                                                 "rejected", "cancelled", "hook_denied", "resource"};
  return names;
}

FailureClassifier::FailureClassifier() : impl_(std::make_unique<Impl>()) {}
FailureClassifier::~FailureClassifier() = default;
FailureClassifier::FailureClassifier(FailureClassifier&&) noexcept = default;
FailureClassifier& FailureClassifier::operator=(FailureClassifier&&) noexcept = default;

void FailureClassifier::add_rules(std::string_view text, const std::string& origin) {
  std::istringstream in{std::string(text)};
  std::string line;
  for (std::size_t line_no = 1; std::getline(in, line); ++line_no) {
    // A file saved with CRLF line ends: its blank lines are "\r", not a rule without a regex.
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    const auto name_end = line.find_first_of(" \t", first);
    const auto pattern_start = name_end == std::string::npos ? name_end : line.find_first_not_of(" \t", name_end);
    if (pattern_start == std::string::npos)
      throw Error(Exit::config, fmt::format("{}:{}: expected \"CLASS REGEX\"", origin, line_no));
    FailureClass cls;
    cls.name = line.substr(first, name_end - first);
    cls.category = parse_category(cls.name);
    const auto& others = other_classes();
    if (!cls.category && std::find(others.begin(), others.end(), cls.name) == others.end())
      throw Error(Exit::config, fmt::format("{}:{}: unknown class \"{}\"", origin, line_no, cls.name));
    std::string pattern = line.substr(pattern_start);
    while (!pattern.empty() && (pattern.back() == '\r' || pattern.back() == ' ' || pattern.back() == '\t'))
      pattern.pop_back();
    RE2::Options opt;
    opt.set_log_errors(false);
    auto re = std::make_unique<RE2>(pattern, opt);
    if (!re->ok())
      throw Error(Exit::config, fmt::format("{}:{}: bad regular expression: {}", origin, line_no, re->error()));
    impl_->rules.push_back({std::move(cls), std::move(re)});
  }
}

FailureClassifier FailureClassifier::load_default(const std::vector<std::string>& extra_files) {
  auto texts = load_rules_texts("failure-classes.rules", kDefaultFailureClasses, extra_files);
  // The shipped rules come first in `texts`; rules the user adds must win, so they go first.
  std::rotate(texts.begin(), texts.begin() + 1, texts.end());
  FailureClassifier c;
  for (const auto& t : texts) c.add_rules(t.text, t.origin);
  return c;
}

FailureClass FailureClassifier::classify(std::string_view error_text) const {
  // Huge outputs: the classes are decided by what the text says near its start and end.
  constexpr std::size_t kHead = 8192, kTail = 8192;
  std::string clipped;
  if (error_text.size() > kHead + kTail) {
    clipped.assign(error_text.substr(0, kHead));
    clipped += '\n';
    clipped.append(error_text.substr(error_text.size() - kTail));
    error_text = clipped;
  }
  const re2::StringPiece text(error_text.data(), error_text.size());
  for (const auto& rule : impl_->rules)
    if (RE2::PartialMatch(text, *rule.re)) return rule.cls;
  return {};
}

}  // namespace pat
