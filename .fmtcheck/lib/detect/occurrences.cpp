#include "detect/occurrences.hpp"

#include <algorithm>

#include "util/content_hash.hpp"
#include "util/token_template.hpp"
#include "util/utf8.hpp"

namespace pat {
namespace {

constexpr std::size_t kMaxFields = 64;      // input fields tracked per group
constexpr std::size_t kMaxShownBytes = 60;  // of an invariant value inside a template
constexpr std::size_t kMaxDurations = 256;  // reservoir for the median duration

}  // namespace

void FieldTracker::add(const std::vector<Field>& fields) {
  for (auto& [name, state] : fields_) state.present = false;
  for (const auto& f : fields) {
    auto it = fields_.find(f.name);
    if (it == fields_.end()) {
      if (fields_.size() >= kMaxFields) continue;
      if (seen_ == 0) {
        it = fields_.emplace(f.name, State{f.value, f.hash}).first;
      } else {  // absent from the earlier occurrences
        it = fields_.emplace(f.name, State{nullptr, 0}).first;
        it->second.vary(f.value);
      }
    } else if (it->second.varies || it->second.hash != f.hash) {
      it->second.vary(f.value);
    }
    it->second.present = true;
  }
  for (auto& [name, state] : fields_)
    if (!state.present) state.vary(nullptr);
  ++seen_;
}

json FieldTracker::invariants() const {
  json out = json::object();
  for (const auto& [name, state] : fields_)
    if (!state.varies) out[name] = state.first;
  return out;
}

json FieldTracker::variables() const {
  json out = json::object();
  for (const auto& [name, state] : fields_)
    if (state.varies) out[name] = state.samples;
  return out;
}

std::string FieldTracker::tool_template(const std::string& tool) const {
  std::string out = tool;
  for (const auto& [name, state] : fields_) {
    out += ' ' + name + '=';
    if (state.varies) {
      out += kWildcard;
      continue;
    }
    std::string shown = state.first.is_string() ? state.first.get<std::string>() : dump_json(state.first);
    shown = shown.substr(0, shown.find('\n'));
    out += utf8_truncated(shown, kMaxShownBytes);
  }
  return out;
}

void FieldTracker::State::add_sample(const json& v) {
  if (samples.size() >= kMaxSampleValues) return;
  if (std::find(samples.begin(), samples.end(), v) == samples.end()) samples.push_back(v);
}

void FieldTracker::State::vary(const json& value) {
  if (!varies) add_sample(first);
  varies = true;
  add_sample(value);
}

void DurationSample::add(std::int64_t ms, std::string_view id) {
  ++seen_;
  if (values_.size() < kMaxDurations) {
    values_.push_back(ms);
    return;
  }
  const std::uint64_t slot = hash64(id, seen_) % seen_;
  if (slot < kMaxDurations) values_[slot] = ms;
}

std::int64_t DurationSample::median() const {
  std::vector<std::int64_t> v = values_;
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  if (v.size() % 2 == 1) return *mid;
  const std::int64_t upper = *mid;
  const std::int64_t lower_half = *std::max_element(v.begin(), mid);
  return lower_half + (upper - lower_half) / 2;
}

Sighting sighting_of(const Event& e, std::optional<TimePoint> t) { return {e.id, e.ts, t, e.duration_ms}; }

void Occurrences::add(const Sighting& s, std::size_t max_examples) {
  ++count_;
  if (examples_.size() < max_examples) examples_.push_back(s.id);
  if (s.duration_ms) durations_.add(*s.duration_ms, s.id);
  if (s.time && (!last_ || *s.time >= *last_)) {
    last_ = s.time;
    last_ts_ = s.ts;
  } else if (!last_ && last_ts_.empty()) {
    last_ts_ = s.ts;
  }
}

Candidate Occurrences::candidate(std::string type, std::string signature) const {
  Candidate c;
  c.type = std::move(type);
  c.signature = std::move(signature);
  c.occurrences = count_;
  c.examples = examples_;
  c.ts = last_ts_;
  c.estimated_savings = savings();
  std::string identity = c.type + '\n' + c.signature;
  for (const auto& id : examples_) identity += '\n' + id;
  c.id = content_hash(identity);
  return c;
}

json Occurrences::savings() const {
  if (durations_.seen() == 0) return json{{"runs", count_}};
  const std::int64_t per_run = durations_.median();
  return json{{"per_run_ms", per_run},
              {"total_ms", per_run * count_},
              {"runs", count_},
              {"timed_runs", static_cast<std::int64_t>(durations_.seen())}};
}

void WindowCount::add(TimePoint t, std::chrono::milliseconds window, std::size_t needed) {
  if (reached_) return;
  recent_.insert(std::upper_bound(recent_.begin(), recent_.end(), t), t);
  const TimePoint oldest = recent_.back() - window;
  while (recent_.front() < oldest) recent_.pop_front();
  if (recent_.size() >= needed) {
    reached_ = true;
    recent_.clear();
  }
}

}  // namespace pat
