#pragma once
// Patterns in the store (DESIGN.md §4): the current record of each, every earlier version (for
// rollback), the observations and imports already merged (so that merging them again changes
// nothing), and the automation candidates patdetect found.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "records/pattern.hpp"
#include "records/candidate.hpp"
#include "records/enums.hpp"
#include "store/store.hpp"

namespace pat {

class PatternStore {
public:
  explicit PatternStore(Store& store) : store_(store) {}

  std::vector<Pattern> find(const std::string& tool, Category category);
  std::optional<Pattern> get(const std::string& id);
  // Writes the pattern as its current record and as version p.version in its history.
  void save(const Pattern& p, const std::string& reason);
  // Every pattern, ordered by id.
  void for_each(const std::function<void(const Pattern&)>& visit);

  bool observation_merged(const std::string& observation_id);
  void mark_observation_merged(const std::string& observation_id, const std::string& pattern_id);
  bool import_merged(const std::string& hash);
  void mark_import_merged(const std::string& hash, const std::string& pattern_id);

  // Makes the version before the current one current again and forgets the current one.
  // pat::Error(data_error) when the pattern is unknown or has no earlier version.
  Pattern rollback(const std::string& id);

  void save_candidate(const Candidate& c);

private:
  Store& store_;
};

}  // namespace pat
