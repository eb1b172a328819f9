#pragma once
// What the repeated-work miner keeps of a group of similar occurrences, bounded whatever the
// number of events: the input fields that stay the same and those that vary, a sample of the
// durations, the count and a few example events, and whether enough fell within one window.
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "detect/operation.hpp"
#include "records/candidate.hpp"
#include "records/event.hpp"
#include "util/json_parse.hpp"
#include "util/time_format.hpp"

namespace pat {

inline constexpr std::size_t kMaxSampleValues = 5;  // sample values kept per variable field

// Each input field: its first value and whether every later occurrence had the same, plus a
// few distinct values once it varies.
class FieldTracker {
public:
  void add(const std::vector<Field>& fields);
  json invariants() const;
  json variables() const;
  // "Tool key=value key=<*>": the invariant values, short, and <*> for the others.
  std::string tool_template(const std::string& tool) const;

private:
  struct State {
    json first;
    std::uint64_t hash = 0;
    bool varies = false;
    bool present = false;
    json samples = json::array();
    void add_sample(const json& v);
    void vary(const json& value);
  };
  std::map<std::string, State> fields_;
  std::size_t seen_ = 0;
};

// A uniform sample of the durations (reservoir sampling, with the event id's hash as the random
// choice so that the same input gives the same estimate).
class DurationSample {
public:
  void add(std::int64_t ms, std::string_view id);
  std::size_t seen() const { return seen_; }
  // Of an even count, halfway between the two middle values, rounded down.
  std::int64_t median() const;

private:
  std::vector<std::int64_t> values_;
  std::size_t seen_ = 0;
};

// One occurrence, as the counters need it.
struct Sighting {
  std::string id, ts;
  std::optional<TimePoint> time;
  std::optional<std::int64_t> duration_ms;
};
Sighting sighting_of(const Event& e, std::optional<TimePoint> t);

class Occurrences {
public:
  void add(const Sighting& s, std::size_t max_examples);
  std::int64_t count() const { return count_; }
  // The candidate's counts, examples, time, savings and id.
  Candidate candidate(std::string type, std::string signature) const;

private:
  json savings() const;

  std::int64_t count_ = 0;
  std::vector<std::string> examples_;
  std::optional<TimePoint> last_;
  std::string last_ts_;
  DurationSample durations_;
};

// Whether `needed` occurrences fell within one window of time. Only the times within a window
// of the newest are kept, and none once the count is reached, so fewer than `needed` stay. An
// occurrence older than a window before the newest seen is not counted.
class WindowCount {
public:
  void add(TimePoint t, std::chrono::milliseconds window, std::size_t needed);
  bool reached() const { return reached_; }

private:
  std::deque<TimePoint> recent_;
  bool reached_ = false;
};

}  // namespace pat
