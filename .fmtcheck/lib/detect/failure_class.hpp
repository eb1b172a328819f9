#pragma once
// What kind of failure an error text shows (share/pattools/failure-classes.rules, man 5
// pattools-records): one of the four usage-mistake categories, which become prevention
// patterns, or a failure that is not a usage mistake (network, auth, rate_limit, timeout,
// interrupted, rejected, cancelled, hook_denied, resource), which is only counted. A failure no
// rule recognises is "unclassified" and only counted too: a command that exits 1 because grep
// found nothing is no mistake to prevent, and a guess would teach patcheck to warn about it.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "records/enums.hpp"

namespace pat {

struct FailureClass {
  std::string name = "unclassified";  // "PARAMETER_FORMAT", ..., "network", ...
  std::optional<Category> category;   // set for usage mistakes
  bool usage_mistake() const { return category.has_value(); }
};

class FailureClassifier {
public:
  FailureClassifier();
  ~FailureClassifier();
  FailureClassifier(FailureClassifier&&) noexcept;
  FailureClassifier& operator=(FailureClassifier&&) noexcept;

  // The user's rules (config dir), then `extra_files`, then the shipped rules: the first match
  // wins, so rules a user adds override the shipped ones. Bad rules: pat::Error(config).
  static FailureClassifier load_default(const std::vector<std::string>& extra_files);
  void add_rules(std::string_view text, const std::string& origin);

  FailureClass classify(std::string_view error_text) const;

  // The classes that are not usage mistakes, in the order the rules file lists them.
  static const std::vector<std::string>& other_classes();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pat
