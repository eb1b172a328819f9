#include "learn/pattern_learner.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "detect/explain.hpp"
#include "detect/template_similarity.hpp"
#include "mistake/mistake_merge.hpp"
#include "util/content_hash.hpp"
#include "util/token_template.hpp"

namespace pat {
namespace {

// The template that covers both (util/token_template.hpp).
std::string merge_templates(const std::string& a, const std::string& b) {
  if (a == b) return a;
  return join_tokens(merge_tokens(space_tokens(a), space_tokens(b)), " ");
}

// How many recoveries back the first prevention step, 0 if none.
std::int64_t recoveries_behind(const std::vector<Prevention>& steps) {
  return steps.empty() ? 0 : steps.front().recoveries;
}

// The separation of a merged check: the observations of one detection run each carry the
// counts of their whole group, so adding them up would count the same calls many times. The
// pattern's check matched each of its `observations` failing calls; the successful calls it was
// contrasted with are at least as many as in the larger of the two contrasts.
void count_separation(json& merged, const json& a, const json& b, std::int64_t observations) {
  const auto count = [](const json& m, const char* key) -> std::int64_t {
    const auto s = m.find("separation");
    if (s == m.end() || !s->is_object()) return 0;
    const auto v = s->find(key);
    return v != s->end() && v->is_number_integer() ? v->get<std::int64_t>() : 0;
  };
  if (!a.contains("separation") && !b.contains("separation")) return;
  merged["separation"] = {
      {"failing", observations},
      {"failing_matched", observations},
      {"successful", std::max(count(a, "successful"), count(b, "successful"))},
      {"successful_matched", std::max(count(a, "successful_matched"), count(b, "successful_matched"))}};
}

// Why a version was made, kept short: a run may merge thousands of observations into one pattern.
void note_reason(std::string& reasons, const std::string& reason) {
  constexpr std::size_t kMaxReasons = 300;
  if (reasons.size() > kMaxReasons) {
    if (!reasons.ends_with("; ...")) reasons += "; ...";
    return;
  }
  if (!reasons.empty()) reasons += "; ";
  reasons += reason;
}

// Checks this alike are the same check (a value set that grew, a length range that widened).
constexpr double kSameCheck = 0.9;

// How alike two mistakes' checks are; a mistake that cannot be read is like nothing.
double mistake_similarity(const json& a, const json& b) {
  const auto ca = check_from_json(a), cb = check_from_json(b);
  return ca && cb ? check_similarity(*ca, *cb) : 0.0;
}

// `a` widened to cover `b`, as JSON; a mistake that cannot be read stays as it is.
json generalise_mistake(const json& a, const json& b) {
  const auto ca = check_from_json(a), cb = check_from_json(b);
  if (!ca || !cb) return a;
  return to_json(generalise(*ca, *cb));
}

}  // namespace

std::vector<PatternLearner::Entry*> PatternLearner::cached(const std::string& tool, Category category) {
  const std::string key = tool + "|" + std::string(category_name(category));
  auto it = loaded_.find(key);
  if (it == loaded_.end()) {
    std::vector<std::string> ids;
    for (auto& p : store_.find(tool, category)) {
      ids.push_back(p.base.id);
      entries_.try_emplace(ids.back(), Entry{std::move(p), "", false, false});  // not p's id: it is moved
    }
    it = loaded_.emplace(key, std::move(ids)).first;
  }
  std::vector<Entry*> out;
  for (const auto& id : it->second) out.push_back(&entries_.at(id));
  return out;
}

PatternLearner::Entry* PatternLearner::best_match(const Observation& o) {
  Entry* best = nullptr;
  double best_score = -1;
  for (Entry* e : cached(o.tool, o.category)) {
    const double t = template_similarity(o.template_text, e->pattern.base.template_text);
    const double m = mistake_similarity(o.mistake, e->pattern.base.mistake);
    // The same check is the same mistake whatever the error's wording; alike checks merge when
    // their templates are alike too.
    if (m < options_.merge_threshold || (t < options_.merge_threshold && m < kSameCheck)) continue;
    if (t + m > best_score) best = e, best_score = t + m;
  }
  return best;
}

void PatternLearner::refresh(Pattern& p) const {
  p.confidence = pattern_confidence(p.observations, p.checks, p.decay);
  p.level = level_for(p.confidence, options_.levels);
}

PatternLearner::Entry& PatternLearner::create(Pattern p, const std::string& reason) {
  refresh(p);
  const std::string key = p.base.tool + "|" + std::string(category_name(p.base.category));
  cached(p.base.tool, p.base.category);  // load the others first, so that the new one is not read twice
  loaded_[key].push_back(p.base.id);
  const std::string id = p.base.id;
  auto [it, fresh] = entries_.try_emplace(id, Entry{std::move(p), reason, true, true});
  (void)fresh;
  return it->second;
}

void PatternLearner::merge_into(Entry& e, const Observation& o, std::int64_t observations, const std::string& reason) {
  Pattern& p = e.pattern;
  p.observations += observations;
  if (p.first_seen.empty() || (!o.ts.empty() && o.ts < p.first_seen)) p.first_seen = o.ts;
  if (o.ts > p.last_seen) p.last_seen = o.ts;
  for (const auto& ev : o.events)
    if (p.base.events.size() < options_.max_examples &&
        std::find(p.base.events.begin(), p.base.events.end(), ev) == p.base.events.end())
      p.base.events.push_back(ev);
  json mistake = generalise_mistake(p.base.mistake, o.mistake);
  count_separation(mistake, p.base.mistake, o.mistake, p.observations);
  const std::string tmpl = merge_templates(p.base.template_text, o.template_text);
  if (mistake != p.base.mistake || tmpl != p.base.template_text) {
    // The separation counts add up at every merge; only a change of the check itself (or of the
    // template) changes what the root cause says.
    json a = mistake, b = p.base.mistake;
    a.erase("separation");
    b.erase("separation");
    const bool reworded = a != b || tmpl != p.base.template_text;
    p.base.mistake = mistake;
    p.base.template_text = tmpl;
    if (const auto check = check_from_json(mistake); reworded && check)
      p.base.root_cause = root_cause_text(p.base.tool, p.base.category, *check, tmpl);
  }
  if (recoveries_behind(o.prevention) > recoveries_behind(p.base.prevention)) p.base.prevention = o.prevention;
  if (p.status == PatternStatus::archived) p.status = PatternStatus::active;  // seen again
  refresh(p);
  e.changed = true;
  note_reason(e.reason, reason);
}

bool PatternLearner::add(const Observation& o) {
  if (store_.observation_merged(o.id)) return false;
  Entry* e = best_match(o);
  std::string pattern_id;
  if (e) {
    e->pattern.decay = 0.0;  // seen again: what it lost while unseen comes back
    merge_into(*e, o, 1, "observation " + o.id);
    pattern_id = e->pattern.base.id;
  } else {
    Pattern p;
    p.base = o;
    p.base.id = content_hash("pattern\x1f" + o.id);
    p.base.events.resize(std::min(p.base.events.size(), options_.max_examples));
    p.observations = 1;
    count_separation(p.base.mistake, o.mistake, o.mistake, 1);
    p.first_seen = p.last_seen = o.ts;
    pattern_id = create(std::move(p), "created from observation " + o.id).pattern.base.id;
  }
  store_.mark_observation_merged(o.id, pattern_id);
  return true;
}

bool PatternLearner::import(const Pattern& imported, std::int64_t ceiling) {
  const std::string hash = content_hash(dump_json(to_json(imported)));
  if (store_.import_merged(hash)) return false;
  Entry* e = nullptr;
  cached(imported.base.tool, imported.base.category);
  if (auto it = entries_.find(imported.base.id); it != entries_.end()) e = &it->second;
  if (!e) e = best_match(imported.base);
  if (e) {
    Observation as_seen = imported.base;
    as_seen.ts = imported.last_seen;
    const std::int64_t room = std::max<std::int64_t>(0, ceiling - e->pattern.observations);
    merge_into(*e, as_seen, std::min(imported.observations, room), "import");
    if (!imported.first_seen.empty() && imported.first_seen < e->pattern.first_seen)
      e->pattern.first_seen = imported.first_seen;
    e->pattern.checks.warned += imported.checks.warned;
    e->pattern.checks.blocked += imported.checks.blocked;
    e->pattern.checks.true_positive += imported.checks.true_positive;
    e->pattern.checks.false_positive += imported.checks.false_positive;
    refresh(e->pattern);
    store_.mark_import_merged(hash, e->pattern.base.id);
    return true;
  }
  Pattern p = imported;
  p.version = 1;
  p.observations = std::min(p.observations, ceiling);
  store_.mark_import_merged(hash, create(std::move(p), "imported").pattern.base.id);
  return true;
}

void PatternLearner::feedback(const std::string& pattern_id, const CheckCounts& delta) {
  auto it = entries_.find(pattern_id);
  if (it == entries_.end()) {
    auto p = store_.get(pattern_id);
    if (!p) return;
    cached(p->base.tool, p->base.category);
    it = entries_.find(pattern_id);
    if (it == entries_.end()) return;
  }
  Pattern& p = it->second.pattern;
  p.checks.warned += delta.warned;
  p.checks.blocked += delta.blocked;
  p.checks.true_positive += delta.true_positive;
  p.checks.false_positive += delta.false_positive;
  refresh(p);
  it->second.changed = true;
  note_reason(it->second.reason, fmt::format("feedback: {} warned, {} blocked, {} confirmed, {} false positive",
                                             delta.warned, delta.blocked, delta.true_positive, delta.false_positive));
}

std::optional<std::string> PatternLearner::template_of(const std::string& pattern_id) {
  if (const auto it = entries_.find(pattern_id); it != entries_.end()) return it->second.pattern.base.template_text;
  if (auto p = store_.get(pattern_id)) return p->base.template_text;
  return std::nullopt;
}

std::vector<Pattern> PatternLearner::save() {
  std::vector<Pattern> changed;
  for (auto& [id, e] : entries_) {
    if (!e.changed) continue;
    if (!e.is_new) ++e.pattern.version;
    store_.save(e.pattern, e.reason);
    changed.push_back(e.pattern);
    e.changed = e.is_new = false;
    e.reason.clear();
  }
  return changed;
}

}  // namespace pat
