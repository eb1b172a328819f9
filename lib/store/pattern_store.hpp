#pragma once
// Patterns in the store (ARCHITECTURE.md, The store): the current record of each, every earlier version (for
// rollback), the observations and imports already merged (so that merging them again changes
// nothing), and the automation candidates patdetect found.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "records/candidate.hpp"
#include "records/enums.hpp"
#include "records/pattern.hpp"
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
  // Every candidate, ordered by id.
  std::vector<Candidate> candidates();

  // What patcheck reads of the active patterns of `tool` at or above `min_confidence`, highest
  // confidence first: all it needs for a pattern that does not match (an index covers it).
  struct Checkable {
    std::string id;
    double confidence = 0.0;
    std::int64_t observations = 0;
    std::string mistake;  // JSON text
  };
  std::vector<Checkable> checkable(const std::string& tool, double min_confidence);

  // The active patterns, and those of them at level medium or above (the ones shown to agents),
  // counted from the indexed columns without parsing a record: the session-start hook runs this.
  struct ActiveCounts {
    std::int64_t active = 0, shown = 0;
  };
  ActiveCounts count_active();
  // The first `limit` active patterns at level medium or above: by level, confidence, id.
  std::vector<Pattern> top_shown(std::size_t limit);

private:
  Store& store_;
};

}  // namespace pat
