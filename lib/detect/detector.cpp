#include "detect/detector.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "detect/check_learner.hpp"
#include "detect/error_lines.hpp"
#include "detect/error_path_facts.hpp"
#include "detect/explain.hpp"
#include "mistake/call_check.hpp"
#include "util/content_hash.hpp"
#include "util/text.hpp"

namespace pat {
namespace {

constexpr std::size_t npos = std::string_view::npos;
constexpr std::size_t kMaxValueBytes = 200;  // longer values are text, not names to remember
constexpr std::size_t kMaxAfter = 20;        // calls kept after a failure, for recoveries
// Failures of one tool and template that keep the calls after them: the recoveries of a sample
// say how the agent fixes a mistake as well as all of them would, and memory stays bounded by
// groups, not by how often a mistake recurs.
constexpr std::size_t kRecoveriesPerGroup = 100;
constexpr std::size_t kMaxUnexplainedTemplates = 1000;  // templates counted apart in the stats
constexpr std::size_t kMinFailures = 2;                 // failures of a group before a new check is learned
constexpr char kSep = '\x1f';

// A call as the detector remembers it: what the check learner contrasts, and what it needs to
// work out the state of the call's paths at the time of the call.
struct Remembered {
  LearningCall call;
  std::set<std::string> missing_then;  // path values a later Write created: nothing there then
  std::set<std::string> file_then;     // path values its own success showed to be files
  bool paths_known = false;
};
using CallRef = std::shared_ptr<Remembered>;

// Values that may be paths: with a slash, starting with ~ or ., or a file name with an extension.
bool looks_like_path(std::string_view v) {
  if (v.empty() || v.size() > kMaxValueBytes || v.front() == '-' || v.find('\n') != npos || v.find("://") != npos)
    return false;
  if (v.front() == '/' || v.front() == '~' || v.front() == '.') return true;
  if (v.find(' ') != npos) return false;
  if (v.find('/') != npos) return true;
  const std::size_t dot = v.rfind('.');
  if (dot == npos || dot == 0 || v.size() - dot > 6 || dot + 1 == v.size()) return false;
  return std::all_of(v.begin() + static_cast<std::ptrdiff_t>(dot) + 1, v.end(), is_alnum);
}

// Every value of a call that may be a path: its parameters', and the arguments of its command lines.
std::vector<std::string> path_values(const json& input) {
  std::vector<std::string> out;
  if (!input.is_object()) return out;
  const CallView view(input);
  for (const auto& [key, value] : input.items()) {
    if (!value.is_string()) continue;
    if (key == "command") {
      for (const auto& c : view.commands(key))
        for (const auto& a : c.args)
          if (looks_like_path(a)) out.push_back(a);
    } else if (looks_like_path(value.get_ref<const std::string&>())) {
      out.push_back(value.get<std::string>());
    }
  }
  return out;
}

PathState look_at(const std::string& path) {
  struct stat st {};
  PathState s;
  if (::stat(path.c_str(), &st) != 0) return s;
  s.exists = true;
  s.directory = S_ISDIR(st.st_mode);
  s.size = s.directory ? 0 : static_cast<std::uint64_t>(st.st_size);
  return s;
}

const json* tool_response(const Event& e) {
  const auto r = e.extra.find("tool_response");
  return r != e.extra.end() && r->is_object() ? &*r : nullptr;
}

// Claude Code's Write answers {"type": "create"} for a file it created.
bool created_a_file(const Event& e) {
  const json* r = tool_response(e);
  return r != nullptr && r->value("type", "") == "create";
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

// The programs a call's command lines ran: "git" and "git push".
std::vector<std::string> programs_of(const json& input) {
  std::vector<std::string> out;
  const CallView view(input);
  for (const auto& c : view.commands("command")) {
    if (c.name.empty()) continue;
    out.push_back(c.name);
    if (!c.subcommand.empty()) out.push_back(c.name + " " + c.subcommand);
  }
  return out;
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == npos; }

// What a call passed that its error may quote: the value of each parameter that is a name (no
// free text, no white space) and, of a command line, each simple command's subcommand, arguments
// and flag values (not its program: "grommet" in "grommet: no such skein" says which program
// answered, which is the context of the mistake); 2 to kMaxValueBytes bytes with a letter or a
// digit.
std::vector<std::string> quotable_values(const json& input) {
  std::vector<std::string> out;
  const auto keep = [&](std::string_view v) {
    if (v.size() < 2 || v.size() > kMaxValueBytes || v.find_first_of(" \t\r\n") != npos) return;
    if (std::none_of(v.begin(), v.end(), [](char c) { return is_alnum(c); })) return;
    out.emplace_back(v);
  };
  if (!input.is_object()) return out;
  for (auto it = input.begin(); it != input.end(); ++it)
    if (it->is_string() && !is_free_text(it.key())) keep(it->get_ref<const std::string&>());
  const CallView view(input);  // commands() refers into it: it must outlive the loop
  for (const auto& c : view.commands("command")) {
    keep(c.subcommand);
    for (const auto& a : c.args) keep(a);
    for (const auto& fv : c.flag_values) keep(fv.second);
  }
  return out;
}

}  // namespace

struct Detector::Impl {
  struct Failure {
    std::string event_id, ts, session, tool, error, template_text;
    CallRef call;
    std::size_t decision = 0;               // its entry in `decisions`
    std::vector<LaterCall> after;           // for a failure of its group's sample (kRecoveriesPerGroup)
    CallRef retry;                          // the identical call, later successful
    std::vector<std::string> gained;        // what the session ran between the two
    bool waiting = false;                   // of an earlier run (Detector::Role::waiting)
    std::optional<Category> rule_category;  // what a usage-category rule called its error
    bool keeps_after = true;
    std::size_t seen_after = 0;  // calls of the session since it
  };
  struct Session {
    std::set<std::string> tools;
    std::unordered_map<std::string, std::set<std::string>> by_value;         // "P\x1fvalue" → tools
    std::unordered_map<std::string, std::set<std::string>> by_cwd;           // cwd → tools
    std::set<std::string> programs;                                          // "T\x1fgit", "T\x1fgit push"
    std::unordered_map<std::string, std::set<std::string>> programs_by_cwd;  // cwd → the same
    // hash64 of "tool_use_id|outcome": a call seen twice counts once. A hash, not the text, since
    // it is the one thing kept for every call of a session.
    std::unordered_set<std::uint64_t> calls;
    std::vector<std::size_t> awaiting;  // failures still collecting the calls after them
    std::unordered_map<std::string, std::vector<std::weak_ptr<Remembered>>> path_refs;  // resolved path → calls
  };
  struct ToolSample {  // a ring of the tool's latest successful calls
    std::vector<CallRef> calls;
    std::size_t next = 0;
    ToolHistory history;
  };

  const FailureClassifier& classifier;
  DetectorOptions options;
  DetectStats stats;
  RepeatedWork repeated;
  std::vector<Failure> failures;
  std::vector<FailureDecision> decisions;
  std::unordered_map<std::string, ToolSample> samples;
  std::unordered_map<std::string, Session> sessions;
  std::vector<KnownCheck> known;
  std::unordered_map<std::uint64_t, std::size_t> collecting;  // hash64 of tool and template → failures

  Impl(const FailureClassifier& c, DetectorOptions o) : classifier(c), options(o), repeated(o.repeated) {}

  // What the session ran before a call, as session_feature() names it.
  static std::vector<std::string> features_before(const Session& s, const json& input, const std::string& cwd) {
    std::vector<std::string> out(s.tools.begin(), s.tools.end());
    for (const auto& [param, value] : scalar_params(input))
      if (const auto it = s.by_value.find(param + kSep + value); it != s.by_value.end())
        for (const auto& t : it->second) out.push_back(t + "\x1fsame=" + param);
    if (const auto it = s.by_cwd.find(cwd); it != s.by_cwd.end())
      for (const auto& t : it->second) out.push_back(t + "\x1fsame_cwd");
    const auto program_feature = [](const std::string& entry) {
      const std::size_t sep = entry.find(kSep);
      return entry.substr(0, sep) + "\x1fprogram=" + entry.substr(sep + 1);
    };
    for (const auto& p : s.programs) out.push_back(program_feature(p));
    if (const auto it = s.programs_by_cwd.find(cwd); it != s.programs_by_cwd.end())
      for (const auto& p : it->second) out.push_back(program_feature(p) + "\x1fsame_cwd");
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  static void remember_in_session(Session& s, const Event& e) {
    s.tools.insert(e.tool);
    for (const auto& [param, value] : scalar_params(e.input)) s.by_value[param + kSep + value].insert(e.tool);
    if (!e.cwd.empty()) s.by_cwd[e.cwd].insert(e.tool);
    for (const auto& p : programs_of(e.input)) {
      s.programs.insert(e.tool + kSep + p);
      if (!e.cwd.empty()) s.programs_by_cwd[e.cwd].insert(e.tool + kSep + p);
    }
  }

  void remember_success(const Event& e, const CallRef& ref) {
    ToolSample& sample = samples[e.tool];
    if (sample.calls.size() < options.successes_per_tool) {
      sample.calls.push_back(ref);
    } else {
      sample.calls[sample.next] = ref;
      sample.next = (sample.next + 1) % options.successes_per_tool;
    }
    for (const auto& p : programs_of(e.input))
      if (p.find(' ') == std::string::npos) sample.history.programs.insert(p);
  }

  // The calls that refer to a path, so that a later Write creating it tells they saw nothing there,
  // and a later successful Read (Edit, Write) of it that it was a file for them.
  static void note_paths(Session& s, const Event& e, const CallRef& ref) {
    for (const auto& v : path_values(e.input)) s.path_refs[resolve_path(v, e.cwd)].push_back(ref);
    if (e.outcome != Outcome::success) return;
    const std::string* file = input_string(e, "file_path");
    if (file == nullptr) return;
    const std::string path = resolve_path(*file, e.cwd);
    // Marks, in each earlier call that named the path, the values that name it.
    const auto mark_earlier = [&](std::set<std::string> Remembered::*state) {
      for (const auto& weak : s.path_refs[path])
        if (const auto earlier = weak.lock())
          for (const auto& v : path_values(earlier->call.input))
            if (resolve_path(v, earlier->call.cwd) == path) ((*earlier).*state).insert(v);
    };
    if (created_a_file(e)) {
      mark_earlier(&Remembered::missing_then);
      s.path_refs.erase(path);
    } else if (e.tool == "Read" || e.tool == "Edit" || e.tool == "Write") {
      // The file is there now, and no Write created it since the earlier calls that named it: it
      // was there for them too (a Write refused because the file was not read, then the Read).
      mark_earlier(&Remembered::file_then);
    }
  }

  // Later calls of the session go to the failures still collecting them; the first identical
  // call that succeeds is the failure's retry.
  void note_after(Session& s, const Event& e, const CallRef& ref) {
    for (auto it = s.awaiting.begin(); it != s.awaiting.end();) {
      Failure& f = failures[*it];
      if (f.keeps_after)
        f.after.push_back(LaterCall{e.tool, std::shared_ptr<const json>(ref, &ref->call.input), e.cwd, e.outcome});
      if (!f.retry && e.outcome == Outcome::success && e.tool == f.tool && e.input == f.call->call.input) {
        f.retry = ref;
        std::set_difference(ref->call.features.begin(), ref->call.features.end(), f.call->call.features.begin(),
                            f.call->call.features.end(), std::back_inserter(f.gained));
      }
      it = ++f.seen_after >= kMaxAfter ? s.awaiting.erase(it) : it + 1;
    }
  }

  // The failure just added looks at the calls after it (for its retry), and keeps them when its
  // group's sample of recoveries is not full yet.
  void await_recovery(Session& s, const std::string& tool, const std::string& tmpl) {
    failures.back().keeps_after = ++collecting[hash64(tool + kSep + tmpl)] <= kRecoveriesPerGroup;
    s.awaiting.push_back(failures.size() - 1);
  }

  void add(const Event& e, Detector::Role role) {
    if (e.event == "SessionEnd") {
      sessions.erase(e.session);
      return;
    }
    if (e.tool.empty() || (e.outcome != Outcome::success && e.outcome != Outcome::failure)) return;
    Session& s = sessions[e.session];
    if (!e.tool_use_id.empty() &&
        !s.calls.insert(hash64(e.tool_use_id + "|" + std::string(outcome_name(e.outcome)))).second) {
      ++stats.duplicates;
      return;
    }
    ++stats.events;
    auto ref = std::make_shared<Remembered>();
    ref->call.input = e.input;
    ref->call.cwd = e.cwd;
    ref->call.features = features_before(s, e.input, e.cwd);
    if (e.outcome == Outcome::success && created_a_file(e))
      if (const std::string* file = input_string(e, "file_path")) ref->missing_then.insert(*file);
    note_after(s, e, ref);
    note_paths(s, e, ref);
    if (e.outcome == Outcome::success) {
      repeated.add_success(e);
      remember_success(e, ref);
      remember_in_session(s, e);
      return;
    }
    const std::string tmpl = failure_template(e.error, quotable_values(e.input));
    repeated.add_failure(e, tmpl);
    if (role == Detector::Role::context) return;
    const bool waiting = role == Detector::Role::waiting;
    (waiting ? stats.reconsidered : stats.failures) += 1;
    const FailureClass cls = classifier.classify(e.error);
    decisions.push_back(FailureDecision{e.id, cls.name, false, tmpl});
    if (waiting) {
      // Judged before: only its group is in question.
      decisions.back().failure_class = "unexplained";
      failures.push_back(Failure{
          e.id, e.ts, e.session, e.tool, e.error, tmpl, ref, decisions.size() - 1, {}, {}, {}, true, cls.category});
      await_recovery(s, e.tool, tmpl);
      return;
    }
    if (blank(e.error)) {
      decisions.back().failure_class = "no_error_text";
      ++stats.other_errors["no_error_text"];
      return;
    }
    // Noise the rules name is only counted; a usage category or no class at all is a candidate,
    // to be judged by the evidence.
    if (!cls.usage_mistake() && cls.name != "unclassified") {
      ++stats.other_errors[cls.name];
      return;
    }
    failures.push_back(Failure{
        e.id, e.ts, e.session, e.tool, e.error, tmpl, ref, decisions.size() - 1, {}, {}, {}, false, cls.category});
    await_recovery(s, e.tool, tmpl);
  }

  // ---- Learning -------------------------------------------------------------------------------------

  // The state of a call's paths at the time of the call: what its own result or a later creation
  // showed, else what the file system says now (learning runs on the same machine, soon after).
  void know_paths(Remembered& r) const {
    if (r.paths_known) return;
    r.paths_known = true;
    // The file system says nothing of calls made on another machine (a log imported here): it is
    // looked at only when the call's directory is here.
    const bool here = options.look_at_files && (r.call.cwd.empty() || look_at(r.call.cwd).directory);
    for (const auto& v : path_values(r.call.input)) {
      if (r.missing_then.count(v)) {
        r.call.paths[v] = PathState{};
        r.call.witnessed.insert(v);
        continue;
      }
      const bool absolute_or_here = here && (!r.call.cwd.empty() || v.front() == '/');
      PathState s = absolute_or_here ? look_at(resolve_path(v, r.call.cwd)) : PathState{};
      if (r.file_then.count(v) && !(s.exists && !s.directory)) s = PathState{true, false, s.size};
      if (absolute_or_here || r.file_then.count(v)) r.call.paths[v] = s;
      if (r.file_then.count(v)) r.call.witnessed.insert(v);
    }
  }

  struct Group {
    std::string tool, template_text;
    std::vector<std::size_t> members;  // indexes into failures
  };

  // A known check that holds for every failure of the group and none of the successes.
  std::optional<Check> known_check(const Group& g, const std::vector<const LearningCall*>& failing,
                                   const std::vector<const LearningCall*>& successful) const {
    for (const auto& k : known) {
      if (k.tool != g.tool) continue;
      const auto holds_for = [&](const LearningCall* c) {
        LearningContext ctx(*c);
        return matches(k.check, CallView(c->input, c->cwd), ctx);
      };
      if (std::all_of(failing.begin(), failing.end(), holds_for) &&
          std::none_of(successful.begin(), successful.end(), holds_for))
        return k.check;
    }
    return std::nullopt;
  }

  std::optional<Check> check_for(const Group& g) {
    std::vector<const LearningCall*> failing, successful;
    std::vector<std::string> errors;
    LearningInput in;
    for (const auto i : g.members) {
      Failure& f = failures[i];
      know_paths(*f.call);
      // What the error said of a path at the time beats what the file system says now.
      for (const auto& v : path_values(f.call->call.input))
        if (const auto s = path_state_in_error(f.error, v)) {
          f.call->call.paths[v] = *s;
          f.call->call.witnessed.insert(v);
        }
      failing.push_back(&f.call->call);
      errors.push_back(f.error);
      in.recovered_by.insert(f.gained.begin(), f.gained.end());
      if (f.retry) {
        know_paths(*f.retry);
        successful.push_back(&f.retry->call);
      }
    }
    ToolSample& sample = samples[g.tool];
    for (const auto& ref : sample.calls) {
      know_paths(*ref);
      successful.push_back(&ref->call);
    }
    std::sort(successful.begin(), successful.end());
    successful.erase(std::unique(successful.begin(), successful.end()), successful.end());
    if (auto k = known_check(g, failing, successful)) return k;
    // A mistake is what recurs: one failure, whatever its error says, waits for a second (a
    // probe for a file that may not be there fails once and is answered).
    if (g.members.size() < kMinFailures) return std::nullopt;
    in.tool = g.tool;
    in.failing = &failing;
    in.successful = &successful;
    in.errors = &errors;
    in.history = &sample.history;
    return learn_check(in);
  }

  // A check whose value set lists what each failure's error names (two programs not found):
  // the group is as many mistakes, one per value, each with its own check and fix.
  std::vector<Group> split_by_named_values(const Group& g, const Check& check) const {
    for (const auto& p : check.all) {
      const auto* v = std::get_if<ValueIn>(&p);
      if (v == nullptr || v->values.size() < 2) continue;
      std::map<std::string, Group> by_value;
      for (const auto i : g.members) {
        const Failure& f = failures[i];
        const auto values = CallView(f.call->call.input, f.call->call.cwd).values(v->part);
        const auto named = std::find_if(values.begin(), values.end(), [&](const std::string& x) {
          return std::binary_search(v->values.begin(), v->values.end(), x) && mentions(f.error, x);
        });
        if (named == values.end()) return {};
        Group& sub = by_value[*named];
        sub.tool = g.tool;
        sub.template_text = g.template_text;
        sub.members.push_back(i);
      }
      std::vector<Group> out;
      for (auto& [value, sub] : by_value) out.push_back(std::move(sub));
      return out;
    }
    return {};
  }

  void emit(const Group& g, const Check& check, std::vector<Observation>& out) {
    // The category the check shows, unless a usage-category rule named the first failure's error
    // (the rules refine the evidence; they never decide whether it is a mistake).
    const Category category = failures[g.members.front()].rule_category.value_or(category_of(check));
    std::map<std::string, std::size_t> fixes;
    for (const auto i : g.members) {
      const Failure& f = failures[i];
      if (auto fix = describe_fix(f.tool, check, f.call->call.input, f.call->call.cwd, f.after); !fix.empty())
        ++fixes[fix];
    }
    const auto top =
        std::max_element(fixes.begin(), fixes.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    const std::string fix = top == fixes.end() ? std::string() : top->first;
    const std::size_t fix_count = top == fixes.end() ? 0 : top->second;
    const Failure& first = failures[g.members.front()];
    const std::string root_cause = root_cause_text(first.tool, category, check, first.template_text);
    const auto prevention = prevention_steps(first.tool, check, first.call->call.input, fix, fix_count);
    const json mistake = to_json(check);
    for (const auto i : g.members) {
      const Failure& f = failures[i];
      Observation o;
      o.id = content_hash("observation" + std::string(1, kSep) + f.event_id);
      o.ts = f.ts;
      o.session = f.session;
      o.tool = f.tool;
      o.category = category;
      o.template_text = f.template_text;
      o.mistake = mistake;
      o.root_cause = root_cause;
      o.prevention = prevention;
      o.events = {f.event_id};
      out.push_back(std::move(o));
      decisions[f.decision].failure_class = std::string(category_name(category));
      decisions[f.decision].usage_mistake = true;
      ++(f.waiting ? stats.explained_later : stats.usage_mistakes);
    }
  }

  // Nothing explains them: transient when the same call later succeeded, else counted apart.
  void leave_unexplained(const Group& g) {
    for (const auto i : g.members) {
      const Failure& f = failures[i];
      FailureDecision& d = decisions[f.decision];
      d.usage_mistake = false;
      if (f.waiting) continue;  // still waiting; counted when it was first judged
      // Transient: the identical call later succeeded with nothing new run before it (a call
      // that succeeded after a recovery step waits, unexplained, like the others).
      if (f.retry && f.gained.empty()) {
        d.failure_class = "transient";
        ++stats.other_errors["transient"];
        continue;
      }
      d.failure_class = "unexplained";
      ++stats.unexplained;
      if (stats.unexplained_templates.size() < kMaxUnexplainedTemplates ||
          stats.unexplained_templates.count(f.template_text))
        ++stats.unexplained_templates[f.template_text];
    }
  }

  void learn_group(const Group& g, std::vector<Observation>& out, bool may_split) {
    const auto check = check_for(g);
    if (!check) return leave_unexplained(g);
    if (may_split) {
      const auto parts = split_by_named_values(g, *check);
      if (parts.size() > 1) {
        for (const auto& sub : parts) learn_group(sub, out, false);
        return;
      }
    }
    emit(g, *check, out);
  }

  void finish(std::vector<Observation>& observations, std::vector<Candidate>& candidates) {
    // Groups in the order of their first failure, so that output follows input.
    std::vector<Group> groups;
    std::unordered_map<std::string, std::size_t> group_of;
    for (std::size_t i = 0; i < failures.size(); ++i) {
      const std::string key = failures[i].tool + kSep + failures[i].template_text;
      const auto [it, fresh] = group_of.emplace(key, groups.size());
      if (fresh) groups.push_back(Group{failures[i].tool, failures[i].template_text, {}});
      groups[it->second].members.push_back(i);
    }
    for (const auto& g : groups) learn_group(g, observations, true);
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
void Detector::add_known(KnownCheck known) { impl_->known.push_back(std::move(known)); }
void Detector::add(const Event& e, Role role) { impl_->add(e, role); }
void Detector::finish(std::vector<Observation>& observations, std::vector<Candidate>& candidates) {
  impl_->finish(observations, candidates);
}
const DetectStats& Detector::stats() const { return impl_->stats; }
const std::vector<FailureDecision>& Detector::decisions() const { return impl_->decisions; }

}  // namespace pat
