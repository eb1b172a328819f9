#pragma once
// patlearn's work: merge observations (and imported patterns) into patterns, evolve their
// confidence, and apply patcheck's feedback. An observation joins the pattern of the same tool
// and category whose template and mistake are both at least `merge_threshold` alike; otherwise
// it starts a pattern. Changes are collected in memory and saved once per run, as one new version
// of each pattern changed, so that a rollback undoes a whole run's change to a pattern.
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "learn/confidence.hpp"
#include "records/enums.hpp"
#include "records/observation.hpp"
#include "records/pattern.hpp"
#include "store/pattern_store.hpp"

namespace pat {

struct LearnOptions {
  double merge_threshold = 0.70;
  LevelThresholds levels;
  std::size_t max_examples = 5;
};

class PatternLearner {
public:
  PatternLearner(PatternStore& store, LearnOptions options) : store_(store), options_(options) {}

  // False when the observation was merged before (nothing changes).
  bool add(const Observation& o);
  // A pattern from another store; false when this exact record was imported before. Imported
  // evidence raises a pattern to at most `ceiling` observations, however many files claim it;
  // only this store's own observations count beyond it.
  bool import(const Pattern& p, std::int64_t ceiling = std::numeric_limits<std::int64_t>::max());
  // patcheck's feedback for one pattern (unknown ids are ignored).
  void feedback(const std::string& pattern_id, const CheckCounts& delta);

  // The template of a pattern, from this run's state or the store.
  std::optional<std::string> template_of(const std::string& pattern_id);

  // Saves every pattern changed since the last call, each as one new version; returns them.
  std::vector<Pattern> save();

private:
  struct Entry {
    Pattern pattern;
    std::string reason;
    bool changed = false;
    bool is_new = false;
  };
  std::vector<Entry*> cached(const std::string& tool, Category category);
  Entry* best_match(const Observation& o);
  Entry& create(Pattern p, const std::string& reason);
  void merge_into(Entry& e, const Observation& o, std::int64_t observations, const std::string& reason);
  void refresh(Pattern& p) const;

  PatternStore& store_;
  LearnOptions options_;
  std::map<std::string, Entry> entries_;                    // by pattern id
  std::map<std::string, std::vector<std::string>> loaded_;  // tool|category → ids
};

}  // namespace pat
