#pragma once
// Secret redaction, applied to every string before anything is stored or printed. The rules are
// data (share/pattools/redact.rules, man 5 pattools-records); users add their own in
// ~/.config/pattools/redact.rules or with --redact-rules. Every expression runs on RE2.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/json_parse.hpp"

namespace re2 {
class RE2;
}

namespace pat {

class Redactor {
public:
  Redactor();
  ~Redactor();
  Redactor(Redactor&&) noexcept;
  Redactor& operator=(Redactor&&) noexcept;

  // The shipped rules (from share/pattools, else the copy built into the binary), the user's
  // config-dir rules if present, then each of `extra_files`. Bad rules: pat::Error(config).
  static Redactor load_default(const std::vector<std::string>& extra_files);
  // Only the copy of the shipped rules built into the binary.
  static Redactor built_in();

  // Parses rules text ("text NAME REGEX" / "key NAME REGEX" lines, # comments). `origin` names
  // the file in error messages.
  void add_rules(std::string_view text, const std::string& origin);

  // Masks secrets in place; true when something was masked.
  bool redact(std::string& s) const;
  bool redact(json& j) const;

  std::size_t size() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pat
