#include "detect/detector.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "detect/check_learner.hpp"
#include "detect/error_lines.hpp"
#include "detect/explain.hpp"
#include "mistake/shape.hpp"
#include "util/content_hash.hpp"

namespace pat {
namespace {

constexpr std::size_t kMaxValueBytes = 200;  // longer values are text, not names to remember
constexpr std::size_t kMaxBetween = 20;      // calls kept between a failure and its recovery
// Successes that must show a workflow rule: one is enough when the earlier call had the very
// value the failing call lacked (a Read of the file the Edit then changed), two when any
// earlier call of the tool counts.
constexpr std::size_t kMinSuccessesValueLinked = 1;
constexpr std::size_t kMinSuccessesToolOnly = 2;
constexpr std::size_t kMaxRequiredTools = 3;  // "Read or Write of the same file_path first"
constexpr char kSep = '\x1f';

// A fact about the session before a call: "T ran earlier" (param empty) or "T ran earlier with
// the same value of P".
std::string feature(const std::string& tool, const std::string& param) { return tool + kSep + param; }

// Marks a successful call that created the file it wrote (Claude Code's Write answers
// {"type": "create"}): a new file needs no Read first, so it does not count against a
// requirement to read a file before writing it; the requirement then says "unless new_file".
const std::string kCreatedFile = std::string(1, kSep) + "created";

bool created_a_file(const Event& e) {
  const auto r = e.extra.find("tool_response");
  return r != e.extra.end() && r->is_object() && r->value("type", "") == "create";
}

// Whether the chosen tools also precede every call that created its file (then the requirement
// holds for new files too and needs no exception).
bool all_created_covered(const std::map<std::string, std::vector<std::size_t>>& tools,
                         const std::vector<std::string>& chosen, const std::vector<bool>& created) {
  std::vector<bool> covered(created.size(), false);
  for (const auto& t : chosen)
    for (auto k : tools.at(t)) covered[k] = true;
  for (std::size_t k = 0; k < created.size(); ++k)
    if (created[k] && !covered[k]) return false;
  return true;
}

// The scalar parameters of an input worth remembering, as text.
std::vector<std::pair<std::string, std::string>> scalar_params(const json& input) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!input.is_object()) return out;
  for (auto it = input.begin(); it != input.end(); ++it) {
    std::string v;
    if (it->is_string())
      v = it->get<std::string>();
    else if (it->is_number() || it->is_boolean())
      v = it->dump();
    else
      continue;
    if (!v.empty() && v.size() <= kMaxValueBytes) out.emplace_back(it.key(), std::move(v));
  }
  return out;
}

bool is_workflow(std::optional<Category> c) {
  return c == Category::workflow_sequence || c == Category::missing_prerequisite;
}

}  // namespace

struct Detector::Impl {
  struct Failure {
    std::string event_id, ts, session, tool, error, template_text;
    json input;
    FailureClass cls;
    std::vector<std::string> features;  // sorted
    json recovery;                      // input of the next success of the tool in the session
    std::vector<std::pair<std::string, json>> between;
    bool awaiting_recovery = true;
  };
  struct ToolSample {  // a ring of the tool's latest successful calls
    std::vector<json> inputs;
    std::vector<std::vector<std::string>> features;
    std::size_t next = 0;
  };
  struct Session {
    std::unordered_set<std::string> tools;
    std::unordered_map<std::string, std::set<std::string>> tools_by_value;  // "P\x1fvalue" → tools
    std::unordered_set<std::string> calls;  // tool_use_id|outcome: a call seen twice counts once
    std::vector<std::size_t> awaiting;      // failures waiting for the next success of their tool
  };

  const FailureClassifier& classifier;
  DetectorOptions options;
  DetectStats stats;
  RepeatedWork repeated;
  std::vector<Failure> failures;
  std::vector<FailureDecision> decisions;
  std::unordered_map<std::string, ToolSample> samples;
  std::unordered_map<std::string, Session> sessions;

  Impl(const FailureClassifier& c, DetectorOptions o) : classifier(c), options(o), repeated(o.repeated) {}

  std::vector<std::string> features_before(const Session& s, const std::string& tool, const json& input) const {
    std::vector<std::string> out;
    for (const auto& t : s.tools)
      if (t != tool) out.push_back(feature(t, ""));
    for (const auto& [param, value] : scalar_params(input)) {
      const auto it = s.tools_by_value.find(param + kSep + value);
      if (it == s.tools_by_value.end()) continue;
      for (const auto& t : it->second)
        if (t != tool) out.push_back(feature(t, param));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  void remember_success(Session& s, const std::string& tool, const json& input, std::vector<std::string> features) {
    ToolSample& sample = samples[tool];
    if (sample.inputs.size() < options.successes_per_tool) {
      sample.inputs.push_back(input);
      sample.features.push_back(std::move(features));
    } else {
      sample.inputs[sample.next] = input;
      sample.features[sample.next] = std::move(features);
      sample.next = (sample.next + 1) % options.successes_per_tool;
    }
    s.tools.insert(tool);
    for (const auto& [param, value] : scalar_params(input)) s.tools_by_value[param + kSep + value].insert(tool);
  }

  void note_call_for_recoveries(Session& s, const Event& e) {
    for (auto it = s.awaiting.begin(); it != s.awaiting.end();) {
      Failure& f = failures[*it];
      if (e.outcome == Outcome::success && e.tool == f.tool) {
        f.recovery = e.input;
        f.awaiting_recovery = false;
        it = s.awaiting.erase(it);
        continue;
      }
      if (f.between.size() < kMaxBetween && e.outcome == Outcome::success) f.between.emplace_back(e.tool, e.input);
      ++it;
    }
  }

  void add(const Event& e, bool context_only) {
    if (e.event == "SessionEnd") {
      sessions.erase(e.session);
      return;
    }
    if (e.tool.empty() || (e.outcome != Outcome::success && e.outcome != Outcome::failure)) return;
    Session& s = sessions[e.session];
    if (!e.tool_use_id.empty() && !s.calls.insert(e.tool_use_id + "|" + std::string(outcome_name(e.outcome))).second) {
      ++stats.duplicates;
      return;
    }
    ++stats.events;
    note_call_for_recoveries(s, e);
    auto features = features_before(s, e.tool, e.input);
    if (e.outcome == Outcome::success) {
      if (created_a_file(e)) features.insert(features.begin(), kCreatedFile);  // sorts first
      repeated.add_success(e);
      remember_success(s, e.tool, e.input, std::move(features));
      return;
    }
    const std::string tmpl = failure_template(e.error);
    repeated.add_failure(e, tmpl);
    if (context_only) return;
    ++stats.failures;
    FailureClass cls = classifier.classify(e.error);
    decisions.push_back({e.id, cls.name, cls.usage_mistake(), tmpl});
    if (!cls.usage_mistake()) {
      ++stats.other_errors[cls.name];
      return;
    }
    ++stats.usage_mistakes;
    failures.push_back(Failure{
        e.id, e.ts, e.session, e.tool, e.error, tmpl, e.input, std::move(cls), std::move(features), json(), {}, true});
    s.awaiting.push_back(failures.size() - 1);
  }

  // "requires" learned from the sessions: tools that ran earlier (with the same value of one
  // parameter when `value_linked`) before every sampled success and before none of the failures.
  std::optional<json> learn_requirement(const std::string& tool, const std::vector<std::size_t>& group,
                                        bool value_linked) const {
    const auto sit = samples.find(tool);
    const std::size_t min_successes = value_linked ? kMinSuccessesValueLinked : kMinSuccessesToolOnly;
    if (sit == samples.end() || sit->second.features.size() < min_successes) return std::nullopt;
    const auto& success_features = sit->second.features;
    std::set<std::string> in_failures;
    for (auto i : group) in_failures.insert(failures[i].features.begin(), failures[i].features.end());
    // Candidate features by parameter ("" for tool-only), each with the successes it covers.
    std::map<std::string, std::map<std::string, std::vector<std::size_t>>> by_param;
    std::vector<bool> created(success_features.size(), false);
    for (std::size_t k = 0; k < success_features.size(); ++k)
      for (const auto& f : success_features[k]) {
        if (f == kCreatedFile) created[k] = true;
        if (f == kCreatedFile || in_failures.count(f)) continue;
        const auto sep = f.find(kSep);
        const std::string param = f.substr(sep + 1);
        if (value_linked == param.empty()) continue;
        by_param[param][f.substr(0, sep)].push_back(k);
      }
    std::optional<json> best;
    std::size_t best_tools = kMaxRequiredTools + 1;
    for (const auto& [param, tools] : by_param) {
      // Greedy cover of the successes by the fewest tools.
      // Calls that created their file need not be covered when the requirement is tied to a value.
      std::vector<bool> covered(success_features.size(), false);
      std::size_t left = success_features.size(), exempt = 0;
      if (value_linked)
        for (std::size_t k = 0; k < covered.size(); ++k)
          if (created[k]) covered[k] = true, --left, ++exempt;
      std::vector<std::string> chosen;
      while (left > 0 && chosen.size() < kMaxRequiredTools) {
        std::string pick;
        std::size_t gain = 0;
        for (const auto& [t, ks] : tools) {
          std::size_t g = 0;
          for (auto k : ks) g += covered[k] ? 0 : 1;
          if (g > gain) pick = t, gain = g;
        }
        if (gain == 0) break;
        for (auto k : tools.at(pick)) {
          if (!covered[k]) --left;
          covered[k] = true;
        }
        chosen.push_back(pick);
      }
      if (left > 0 || chosen.size() >= best_tools) continue;
      best_tools = chosen.size();
      std::sort(chosen.begin(), chosen.end());
      json req = {{"tool", chosen.size() == 1 ? json(chosen.front()) : json(chosen)}};
      if (!param.empty()) req["same"] = param;
      if (exempt > 0 && !all_created_covered(tools, chosen, created)) req["unless"] = "new_file";
      best = json{{"requires", req},
                  {"separation",
                   {{"failing", group.size()},
                    {"failing_matched", group.size()},
                    {"successful", success_features.size()},
                    {"successful_matched", 0}}}};
    }
    return best;
  }

  // The shape most successful calls give `param`, e.g. "40 hex characters".
  std::string usual_form(const std::string& tool, const std::string& param) const {
    const auto sit = samples.find(tool);
    if (sit == samples.end()) return {};
    std::map<std::pair<std::string, std::size_t>, std::size_t> counts;
    for (const auto& input : sit->second.inputs) {
      if (!input.is_object()) continue;
      const auto it = input.find(param);
      if (it == input.end() || !it->is_string()) continue;
      const auto& v = it->get_ref<const std::string&>();
      ++counts[{std::string(value_shape(v)), v.size()}];
    }
    const auto top = std::max_element(counts.begin(), counts.end(),
                                      [](const auto& a, const auto& b) { return a.second < b.second; });
    // Only a form with a length says something ("40 hex characters"); "a path" does not.
    static const std::set<std::string> kMeasured = {"hex", "digits", "alpha", "alnum", "uuid"};
    if (top == counts.end() || !kMeasured.count(top->first.first)) return {};
    return shape_phrase(top->first.first, top->first.second, top->first.second);
  }

  std::optional<json> learn_mistake(const std::string& tool, const std::vector<std::size_t>& group) const {
    const std::optional<Category> rule = failures[group.front()].cls.category;
    if (is_workflow(rule))
      if (auto req = learn_requirement(tool, group, true)) return req;
    std::vector<const json*> failing, successful;
    for (auto i : group) failing.push_back(&failures[i].input);
    if (const auto sit = samples.find(tool); sit != samples.end())
      for (const auto& in : sit->second.inputs) successful.push_back(&in);
    if (auto check = learn_check(tool, failing, successful, failures[group.front()].error)) {
      const std::string type = (*check).value("check", json::object()).value("type", "");
      if (type == "shape" || type == "value")
        if (const std::string usual = usual_form(tool, (*check).value("param", "")); !usual.empty())
          (*check)["usual"] = usual;
      return check;
    }
    if (is_workflow(rule)) return learn_requirement(tool, group, false);
    return std::nullopt;
  }

  void emit_group(const std::vector<std::size_t>& group, std::vector<Observation>& out) {
    const Failure& first = failures[group.front()];
    const auto mistake = learn_mistake(first.tool, group);
    if (!mistake) {
      stats.unexplained += group.size();
      return;
    }
    const Category category = *first.cls.category;
    std::map<std::string, std::size_t> fixes;
    for (auto i : group) {
      const Failure& f = failures[i];
      if (f.awaiting_recovery) continue;
      if (auto fix = describe_fix(f.tool, *mistake, f.input, f.recovery, f.between); !fix.empty()) ++fixes[fix];
    }
    const auto top =
        std::max_element(fixes.begin(), fixes.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    const std::string fix = top == fixes.end() ? std::string() : top->first;
    const std::size_t fix_count = top == fixes.end() ? 0 : top->second;
    const std::string root_cause = root_cause_text(first.tool, category, *mistake, first.template_text);
    const auto prevention = prevention_steps(first.tool, *mistake, fix, fix_count);
    for (auto i : group) {
      const Failure& f = failures[i];
      Observation o;
      o.id = content_hash("observation" + std::string(1, kSep) + f.event_id);
      o.ts = f.ts;
      o.session = f.session;
      o.tool = f.tool;
      o.category = category;
      o.template_text = f.template_text;
      o.mistake = *mistake;
      o.root_cause = root_cause;
      o.prevention = prevention;
      o.events = {f.event_id};
      out.push_back(std::move(o));
    }
  }

  void finish(std::vector<Observation>& observations, std::vector<Candidate>& candidates) {
    // Groups in the order of their first failure, so that output follows input.
    std::vector<std::vector<std::size_t>> groups;
    std::unordered_map<std::string, std::size_t> group_of;
    for (std::size_t i = 0; i < failures.size(); ++i) {
      const std::string key = failures[i].tool + kSep + failures[i].template_text;
      const auto [it, fresh] = group_of.emplace(key, groups.size());
      if (fresh) groups.emplace_back();
      groups[it->second].push_back(i);
    }
    for (const auto& g : groups) emit_group(g, observations);
    std::stable_sort(observations.begin(), observations.end(),
                     [](const Observation& a, const Observation& b) { return a.ts < b.ts; });
    candidates = repeated.candidates();
    stats.observations = observations.size();
    stats.candidates = candidates.size();
  }
};

Detector::Detector(const FailureClassifier& classifier, DetectorOptions options)
    : impl_(std::make_unique<Impl>(classifier, options)) {}
Detector::~Detector() = default;
void Detector::add(const Event& e, bool context_only) { impl_->add(e, context_only); }
void Detector::finish(std::vector<Observation>& observations, std::vector<Candidate>& candidates) {
  impl_->finish(observations, candidates);
}
const DetectStats& Detector::stats() const { return impl_->stats; }
const std::vector<FailureDecision>& Detector::decisions() const { return impl_->decisions; }

}  // namespace pat
