#pragma once
// Rules kept as data (redaction, failure classes): the copy shipped in share/pattools (else the
// one built into the binary), the user's copy in the config directory, and files named on the
// command line, each with its origin for messages.
#include <string>
#include <vector>

namespace pat {

struct RulesText {
  std::string text;
  std::string origin;  // the path, or "built-in NAME"
};

// In the order: shipped (or built-in), user, extra files. A missing extra file or an unreadable
// one: pat::Error(config).
std::vector<RulesText> load_rules_texts(const std::string& name, const char* builtin,
                                        const std::vector<std::string>& extra_files);

}  // namespace pat
