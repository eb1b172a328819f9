#include "detect/check_learner.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "mistake/mistake_merge.hpp"
#include "mistake/signature.hpp"
#include "util/command_line.hpp"
#include "util/text.hpp"
#include "util/utf8.hpp"

namespace pat {
namespace {

constexpr std::size_t kMaxValueBytes = 200;        // longer values are text, not names to check
constexpr std::size_t kMaxErrorBytes = 64 * 1024;  // the error text is searched this far
constexpr std::size_t kMinAffix = 3;               // a shorter common prefix or suffix says nothing
constexpr std::size_t kMaxGeneralRuns = 3;
constexpr std::size_t kMaxContextPrograms =
    6;  // programs of the failing commands, as a context         // a signature of more runs is narrower than an affix
constexpr std::size_t kMaxSessionCandidates = 40;  // session features considered, most frequent first
constexpr std::size_t kPairCandidates = 24;        // the best candidates tried in pairs
constexpr std::size_t kTripleCandidates = 12;      // ... and in threes

// What a candidate predicate is, most general first: what the next calls will have in common
// with these failures rather than what only these failures had.
// `context` predicates only narrow a check (the same value written earlier, the programs the
// failing commands ran): never a check alone.
enum class Rank { session, context, path, param, shape, affix, length, entity, value };

bool is_name_char(char c) { return is_alnum(c) || c == '_' || c == '-'; }

struct Candidate {
  Predicate predicate;
  Rank rank = Rank::value;
  bool pointed = false;    // the error text points to what it is about
  bool alone = true;       // may be a check by itself
  std::vector<bool> hits;  // the successful calls it holds for
  std::size_t hit_count = 0;
};

// A failing call with its error, seen as the predicates see it.
struct Failure {
  const LearningCall* call;
  CallView view;
  std::string_view error;
};

class Learner {
public:
  explicit Learner(const LearningInput& in) : in_(in) {
    const auto& failing = *in.failing;
    for (std::size_t i = 0; i < failing.size(); ++i) {
      const std::string* e = in.errors != nullptr && i < in.errors->size() ? &(*in.errors)[i] : nullptr;
      const std::string_view error = e == nullptr ? std::string_view() : utf8_prefix(*e, kMaxErrorBytes);
      failures_.push_back(Failure{failing[i], CallView(failing[i]->input, failing[i]->cwd), error});
    }
    for (const LearningCall* s : *in.successful) successes_.emplace_back(s->input, s->cwd);
  }

  std::optional<Check> learn() {
    if (failures_.empty()) return std::nullopt;
    param_candidates();
    value_candidates();
    shell_candidates();
    session_candidates();
    for (auto& c : candidates_) measure(c);
    std::erase_if(candidates_, [&](const Candidate& c) { return !holds_for_all_failures(c) || !admissible(c); });
    // One failure that the error does not point to is no evidence of a mistake: its value merely
    // differs from the successes' (a probe for an optional file, a commit with nothing staged).
    // It waits, unexplained, until it recurs.
    if (failures_.size() < 2) std::erase_if(candidates_, [](const Candidate& c) { return !c.pointed; });
    std::stable_sort(candidates_.begin(), candidates_.end(), [](const Candidate& a, const Candidate& b) {
      if (a.pointed != b.pointed) return a.pointed;
      return a.rank < b.rank;
    });
    return best_conjunction();
  }

private:
  // ---- Evidence -----------------------------------------------------------------------------------

  // Whether the failures' errors name `word`: at least half of them, or the only one.
  bool named(const std::function<std::string(const Failure&)>& word_of) const {
    std::size_t n = 0;
    for (const auto& f : failures_) {
      const std::string w = word_of(f);
      if (!w.empty() && mentions(f.error, w)) ++n;
    }
    return n * 2 >= failures_.size() && n > 0;
  }

  // The failing calls' own tool or one of their programs.
  bool own_name(const std::string& name) const {
    for (const auto& f : failures_)
      for (const auto& p : f.view.values(Part{"command", ShellPart::program, "", ""}))
        if (program_basename(p) == name) return true;
    return name == in_.tool;
  }

  bool named_everywhere(const std::string& word) const {
    return named([&](const Failure&) { return word; });
  }

  // ---- Candidates ---------------------------------------------------------------------------------

  void add(Predicate p, Rank rank, bool pointed, bool alone = true) {
    for (const auto& c : candidates_)
      if (c.predicate == p) return;
    candidates_.push_back(Candidate{std::move(p), rank, pointed, alone, {}, 0});
  }

  void param_candidates() {
    std::set<std::string> keys;
    for (const auto& s : successes_)
      if (s.input().is_object())
        for (const auto& [k, v] : s.input().items()) keys.insert(k);
    for (const auto& f : failures_)
      if (f.view.input().is_object())
        for (const auto& [k, v] : f.view.input().items()) keys.insert(k);
    // Only a parameter the successes differ on says something: given in some and not in others,
    // or given in every failure and missing in some success.
    for (const auto& k : keys) {
      const Part part{k, ShellPart::none, "", ""};
      bool some_given = false, some_missing = false;
      for (const auto& s : successes_) (s.values(part).empty() ? some_missing : some_given) = true;
      if (some_given) add(ParamIs{k, true}, Rank::param, named_everywhere(k));
      if (some_missing) add(ParamIs{k, false}, Rank::param, named_everywhere(k));
    }
  }

  // Shape, length, affix, path and value predicates of a part with one value in every failure.
  void single_value_candidates(const Part& part, const std::vector<std::string>& values, bool pointed, bool free_text) {
    std::set<std::string> distinct(values.begin(), values.end());
    const bool short_enough = std::all_of(values.begin(), values.end(),
                                          [](const auto& v) { return !v.empty() && v.size() <= kMaxValueBytes; });
    if (!short_enough) return;
    const Rank value_rank = part.shell == ShellPart::none ? Rank::value : Rank::entity;
    if (!free_text && distinct.size() <= kMaxValues)
      add(ValueIn{part, std::vector<std::string>(distinct.begin(), distinct.end())}, value_rank, pointed);
    // Reaching past the values seen is earned by two distinct values or the error naming them.
    if (distinct.size() < 2 && !pointed) return;
    path_candidates(part, pointed);
    if (free_text) return;
    std::optional<Signature> sig = signature_of(values.front());
    for (const auto& v : values) {
      if (!sig) break;
      const auto s = signature_of(v);
      sig = s ? join(*sig, *s) : std::nullopt;
    }
    // A word of some length says nothing of its form ("legacy" is six letters, so is "lambda"):
    // a form is a structure of runs, or a run of digits or hex digits (an id, a SHA).
    const auto has_form = [](const Signature& s) {
      if (s.runs.size() > 1) return true;
      const RunClass c = s.runs.front().cls;
      return c == RunClass::digits || c == RunClass::hex || c == RunClass::alnum;
    };
    if (sig && has_form(*sig)) {
      // A form of many runs with their lengths is narrow: what a prefix or a length says is more
      // general than that.
      const auto runs = std::count_if(sig->runs.begin(), sig->runs.end(), [](const auto& r) { return r.punct == 0; });
      add(ShapeIs{part, *sig}, runs > static_cast<long>(kMaxGeneralRuns) ? Rank::length : Rank::shape, pointed);
    }
    // Lengths too say nothing of a word's form; of structured values (slugs, paths) they do, even
    // when their structures differ (slugs of three words and of seven).
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end(),
                                              [](const auto& a, const auto& b) { return a.size() < b.size(); });
    const bool structured = (sig && has_form(*sig)) || std::all_of(values.begin(), values.end(), [&](const auto& v) {
                              const auto s = signature_of(v);
                              return s && s->runs.size() > 1;
                            });
    // Not of positional arguments: one program's arguments are of many kinds, and a length says
    // nothing of which.
    if (structured && part.shell != ShellPart::argument) length_candidate(part, lo->size(), hi->size(), pointed);
    affix_candidates(part, values, pointed);
  }

  // The length of the failing values, widened towards the successes' nearest lengths but not into
  // them, and not past what the failures showed where no success is ("at most 8 digits" from
  // failures of 8 beside successes of 12 would also flag the 3-digit values no one tried).
  void length_candidate(const Part& part, std::size_t lo, std::size_t hi, bool pointed) {
    std::size_t below = 0;         // the longest successful length under lo, plus one
    std::size_t above = SIZE_MAX;  // the shortest successful length over hi, minus one
    bool any_below = false, any_above = false;
    for (const auto& s : successes_)
      for (const auto& v : s.values(part)) {
        if (v.size() < lo) any_below = true, below = std::max(below, v.size() + 1);
        if (v.size() > hi) any_above = true, above = std::min(above, v.size() - 1);
      }
    LengthIn l{part, any_below ? below : lo, any_above ? std::optional<std::uint64_t>(above) : hi};
    add(l, Rank::length, pointed);
  }

  void affix_candidates(const Part& part, const std::vector<std::string>& values, bool pointed) {
    std::string_view prefix = values.front(), suffix = values.front();
    for (const auto& v : values) {
      std::size_t n = 0;
      while (n < prefix.size() && n < v.size() && prefix[n] == v[n]) ++n;
      prefix = prefix.substr(0, n);
      std::size_t m = 0;
      while (m < suffix.size() && m < v.size() && suffix[suffix.size() - 1 - m] == v[v.size() - 1 - m]) ++m;
      suffix = suffix.substr(suffix.size() - m);
    }
    const std::size_t shortest = std::min_element(values.begin(), values.end(), [](const auto& a, const auto& b) {
                                   return a.size() < b.size();
                                 })->size();
    prefix = utf8_prefix(prefix, prefix.size());
    if (prefix.size() >= kMinAffix && prefix.size() < shortest)
      add(AffixIs{part, false, std::string(prefix)}, Rank::affix, pointed);
    while (!suffix.empty() && (static_cast<unsigned char>(suffix.front()) & 0xC0) == 0x80) suffix.remove_prefix(1);
    if (suffix.size() >= kMinAffix && suffix.size() < shortest)
      add(AffixIs{part, true, std::string(suffix)}, Rank::affix, pointed);
  }

  // Whether a part holds paths at all: some successful call's value of it was an existing path.
  // ("03/15/2026" has slashes but is no path: a date's part never names one that exists.)
  bool holds_paths(const Part& part) const {
    for (std::size_t k = 0; k < successes_.size(); ++k)
      for (const auto& v : successes_[k].values(part))
        if (const auto it = (*in_.successful)[k]->paths.find(v);
            it != (*in_.successful)[k]->paths.end() && it->second.exists)
          return true;
    return false;
  }

  // The facts every failure's path value shares (a directory, nothing, a file, a file over N).
  void path_candidates(const Part& part, bool pointed) {
    // A part holds paths when the errors name its values (the facts then come from the errors),
    // or when the successes' values of it were paths.
    const bool paths = !successes_.empty() && holds_paths(part);
    if (!pointed && !paths) return;
    std::set<PathFact> common = {PathFact::directory, PathFact::missing, PathFact::file};
    std::uint64_t smallest_file = UINT64_MAX;
    for (const auto& f : failures_) {
      std::set<PathFact> facts;
      for (const auto& v : f.view.values(part)) {
        const auto it = f.call->paths.find(v);
        if (it == f.call->paths.end()) continue;
        // Of a part no success used as a path, what the file system says now is no evidence
        // ("03/15/2026" is not there, nor is any other text): only the error or the session tells.
        if (!paths && !f.call->witnessed.count(v)) continue;
        const PathState& s = it->second;
        facts.insert(!s.exists ? PathFact::missing : s.directory ? PathFact::directory : PathFact::file);
        if (s.exists && !s.directory) smallest_file = std::min(smallest_file, s.size);
      }
      std::set<PathFact> both;
      std::set_intersection(common.begin(), common.end(), facts.begin(), facts.end(), std::inserter(both, both.end()));
      common = std::move(both);
    }
    for (PathFact fact : common) add(PathIs{part, fact, 0}, Rank::path, pointed);
    if (common.count(PathFact::file) && smallest_file > 0 && smallest_file != UINT64_MAX) {
      // Over the largest successful file below the failing ones: as general as the successes allow.
      std::uint64_t bytes = 0;
      for (std::size_t k = 0; k < successes_.size(); ++k)
        for (const auto& v : successes_[k].values(part))
          if (const auto it = (*in_.successful)[k]->paths.find(v); it != (*in_.successful)[k]->paths.end())
            if (it->second.exists && !it->second.directory && it->second.size < smallest_file)
              bytes = std::max(bytes, it->second.size);
      add(PathIs{part, PathFact::larger_than, bytes}, Rank::path, pointed);
    }
  }

  void value_candidates() {
    const json& first = failures_.front().view.input();
    if (!first.is_object()) return;
    for (const auto& [key, v] : first.items()) {
      const Part part{key, ShellPart::none, "", ""};
      std::vector<std::string> values;
      for (const auto& f : failures_) {
        auto vs = f.view.values(part);
        if (vs.empty()) break;
        values.push_back(std::move(vs.front()));
      }
      if (values.size() != failures_.size()) continue;
      const bool pointed = named_everywhere(key) || named([&](const Failure& f) {
                             auto vs = f.view.values(part);
                             return vs.empty() ? std::string() : vs.front();
                           });
      single_value_candidates(part, values, pointed, is_free_text(key));
    }
  }

  // The values of a shell part in every failure, when every failure has some.
  std::optional<std::vector<std::vector<std::string>>> shell_values(const Part& part) const {
    std::vector<std::vector<std::string>> out;
    for (const auto& f : failures_) {
      auto vs = f.view.values(part);
      if (vs.empty()) return std::nullopt;
      out.push_back(std::move(vs));
    }
    return out;
  }

  // Values in every failure's list.
  static std::vector<std::string> common_values(const std::vector<std::vector<std::string>>& lists) {
    std::set<std::string> common(lists.front().begin(), lists.front().end());
    for (const auto& l : lists) {
      std::set<std::string> here(l.begin(), l.end()), both;
      std::set_intersection(common.begin(), common.end(), here.begin(), here.end(), std::inserter(both, both.end()));
      common = std::move(both);
    }
    return {common.begin(), common.end()};
  }

  // A value set of one shell part: the values every failure has, and the values each failure's
  // error names (two programs not found, one each).
  void shell_value_sets(const Part& part, bool alone_needs_history) {
    const auto lists = shell_values(part);
    if (!lists) return;
    for (const auto& v : common_values(*lists)) {
      if (v.size() > kMaxValueBytes) continue;
      const bool pointed = named_everywhere(v);
      // A program is a mistake by itself when the error names it, or when it never succeeded and
      // failed more than once.
      const bool never_succeeded = in_.history == nullptr || !in_.history->programs.count(program_basename(v));
      const bool alone = !alone_needs_history || pointed || (never_succeeded && failures_.size() >= 2);
      add(ValueIn{part, {v}}, Rank::entity, pointed, alone);
    }
    std::set<std::string> named_values;
    for (std::size_t i = 0; i < failures_.size(); ++i) {
      bool any = false;
      for (const auto& v : (*lists)[i])
        if (v.size() <= kMaxValueBytes && mentions(failures_[i].error, v)) named_values.insert(v), any = true;
      if (!any) return;
    }
    if (!named_values.empty() && named_values.size() <= kMaxValues)
      add(ValueIn{part, {named_values.begin(), named_values.end()}}, Rank::entity, true);
  }

  // The programs the failing commands ran, as a context for a session predicate ("pytest or
  // python, before any `pip install`").
  void program_context() {
    const Part part{"command", ShellPart::program, "", ""};
    std::set<std::string> programs;
    for (const auto& f : failures_) {
      auto vs = f.view.values(part);
      if (vs.empty()) return;
      programs.insert(vs.begin(), vs.end());
    }
    if (programs.size() <= kMaxContextPrograms)
      add(ValueIn{part, {programs.begin(), programs.end()}}, Rank::context, false, false);
  }

  void shell_candidates() {
    const std::string param = "command";
    for (const auto& f : failures_)
      if (f.view.commands(param).empty()) return;
    shell_value_sets(Part{param, ShellPart::program, "", ""}, true);
    program_context();
    const auto programs = shell_values(Part{param, ShellPart::program, "", ""});
    if (!programs) return;
    for (const auto& program : common_values(*programs)) {
      shell_value_sets(Part{param, ShellPart::subcommand, program, ""}, false);
      shell_value_sets(Part{param, ShellPart::flag, program, ""}, false);
      // A flag's value, and the arguments: as values of their own.
      if (const auto flags = shell_values(Part{param, ShellPart::flag, program, ""}))
        for (const auto& flag : common_values(*flags))
          flag_value_candidates(Part{param, ShellPart::flag_value, program, flag});
      argument_candidates(Part{param, ShellPart::argument, program, ""});
      env_candidates(param, program);
    }
  }

  void flag_value_candidates(const Part& part) {
    const auto lists = shell_values(part);
    if (!lists) return;
    std::vector<std::string> values;
    for (const auto& l : *lists) values.push_back(l.front());
    const bool pointed = named([&](const Failure& f) {
      auto vs = f.view.values(part);
      return vs.empty() ? std::string() : vs.front();
    });
    single_value_candidates(part, values, pointed, false);
  }

  // Whether `error` names the argument `a`, whole or by one of its segments ("9f2c4e1" of
  // "repos/acme/shop/commits/9f2c4e1/check-runs").
  static bool names_argument(std::string_view error, std::string_view a) {
    if (mentions(error, a)) return true;
    std::size_t start = 0;
    while (start < a.size()) {
      std::size_t end = a.find_first_of("/=:,@", start);
      if (end == std::string_view::npos) end = a.size();
      const std::string_view segment = a.substr(start, end - start);
      if (segment.size() >= kMinAffix + 1 && segment.size() < a.size() && mentions(error, segment)) return true;
      start = end + 1;
    }
    return false;
  }

  void argument_candidates(const Part& part) {
    const auto lists = shell_values(part);
    if (!lists) return;
    // The arguments the errors name (a path that is not there, an id): their facts, and their form.
    std::vector<std::string> named_args;
    for (std::size_t i = 0; i < failures_.size(); ++i) {
      const auto it = std::find_if((*lists)[i].begin(), (*lists)[i].end(),
                                   [&](const std::string& a) { return names_argument(failures_[i].error, a); });
      if (it == (*lists)[i].end()) break;
      named_args.push_back(*it);
    }
    if (named_args.size() == failures_.size()) {
      single_value_candidates(part, named_args, true, false);
    } else if (std::all_of(lists->begin(), lists->end(),
                           [&](const auto& l) { return l.size() == lists->front().size(); })) {
      // Otherwise the arguments position by position, when every failure has as many.
      for (std::size_t k = 0; k < lists->front().size(); ++k) {
        std::vector<std::string> values;
        for (const auto& l : *lists) values.push_back(l[k]);
        single_value_candidates(part, values, false, false);
      }
    }
    for (const auto& v : common_values(*lists))
      if (v.size() <= kMaxValueBytes) add(ValueIn{part, {v}}, Rank::value, named_everywhere(v));
  }

  void env_candidates(const std::string& param, const std::string& program) {
    std::set<std::string> names;
    for (const auto& c : failures_.front().view.commands(param))
      if (c.name == program)
        for (const auto& a : c.assignments)
          if (const auto eq = a.find('='); eq != std::string::npos && eq > 0) names.insert(a.substr(0, eq));
    for (const auto& name : names) {
      const Part part{param, ShellPart::env, program, name};
      const auto lists = shell_values(part);
      if (!lists) continue;
      std::vector<std::string> values;
      for (const auto& l : *lists) values.push_back(l.front());
      single_value_candidates(part, values, named_everywhere(name), false);
    }
  }

  // "No earlier X": what ran before successful calls and before none of the failures, when an
  // error names X or a recovery ran X before the same call succeeded.
  void session_candidates() {
    std::set<std::string> before_failures;
    for (const auto& f : failures_) before_failures.insert(f.call->features.begin(), f.call->features.end());
    std::map<std::string, std::size_t> counts;
    for (const LearningCall* s : *in_.successful)
      for (const auto& feature : s->features)
        if (!before_failures.count(feature)) ++counts[feature];
    for (const auto& feature : in_.recovered_by)
      if (!before_failures.count(feature)) counts.try_emplace(feature, 0);
    // The most specific first ("pip install in the same directory" before "any Bash call"), then
    // the most frequent before successes.
    std::vector<std::pair<std::size_t, std::string>> ranked;
    for (const auto& [feature, n] : counts) ranked.emplace_back(n, feature);
    const auto qualifiers = [](const std::string& f) { return std::count(f.begin(), f.end(), '\x1f'); };
    std::stable_sort(ranked.begin(), ranked.end(), [&](const auto& a, const auto& b) {
      if (qualifiers(a.second) != qualifiers(b.second)) return qualifiers(a.second) > qualifiers(b.second);
      return a.first > b.first;
    });
    if (ranked.size() > kMaxSessionCandidates) ranked.resize(kMaxSessionCandidates);
    for (const auto& [n, feature] : ranked) {
      const auto need = session_need(feature);
      if (!need) continue;
      // Evidence that X is the step: an error that names it, or a recovery that ran it. Without
      // it, "no earlier X" only narrows a check (an Edit after a Write of the same file needs no
      // Read either).
      // An error naming its own program or tool ("ferrule: no such verb") points to no other step.
      const std::string step = need->program.empty() ? need->tool : need->program;
      const bool pointed = named_everywhere(step) && !own_name(step);
      const bool recovered = in_.recovered_by.count(feature) != 0;
      if (pointed || recovered) {
        add(*need, Rank::session, true, true);
      } else if (!need->same.empty() && need->program.empty()) {
        // Context only: an earlier call with the call's own value (a Write of the same file).
        add(*need, Rank::context, false, false);
      }
    }
  }

  // ---- Choosing -------------------------------------------------------------------------------------

  void measure(Candidate& c) const {
    c.hits.assign(successes_.size(), false);
    bool contrasted = false;  // some successful call had a value in the predicate's part
    const Part* part = std::holds_alternative<ParamIs>(c.predicate) ? nullptr : part_of(c.predicate);
    for (std::size_t k = 0; k < successes_.size(); ++k) {
      LearningContext ctx(*(*in_.successful)[k]);
      if (holds(c.predicate, successes_[k], ctx)) c.hits[k] = true, ++c.hit_count;
      if (part != nullptr && !contrasted) contrasted = !successes_[k].values(*part).empty();
    }
    // "None of the successes had this value" says nothing when none of them had the part at all
    // (`diff a b` beside successful `grep` calls): without the error pointing to it, such a
    // predicate only narrows a check.
    if (part != nullptr && !contrasted && !c.pointed && !in_.successful->empty()) c.alone = false;
  }

  bool holds_for_all_failures(const Candidate& c) const {
    return std::all_of(failures_.begin(), failures_.end(), [&](const Failure& f) {
      LearningContext ctx(*f.call);
      return holds(c.predicate, f.view, ctx);
    });
  }

  // Without successes to contrast with, only what the error points to.
  bool admissible(const Candidate& c) const { return !successes_.empty() || c.pointed; }

  std::size_t shared_hits(const std::vector<const Candidate*>& cs) const {
    std::size_t n = 0;
    for (std::size_t k = 0; k < successes_.size(); ++k) {
      bool all = true;
      for (const Candidate* c : cs) all = all && c->hits[k];
      n += all ? 1 : 0;
    }
    return n;
  }

  // Fewer predicates first; then more of them pointed, then the more general ones.
  static int cost(const std::vector<const Candidate*>& cs) {
    int c = 0;
    for (const Candidate* x : cs) c += static_cast<int>(x->rank) + (x->pointed ? 0 : 10);
    return c;
  }

  // What the successful calls pass in the part of the check's first value predicate: their most
  // common form ("40 hex characters"), or their few values.
  std::string usual(const Check& check) const {
    for (const auto& p : check.all) {
      if (!std::holds_alternative<ValueIn>(p) && !std::holds_alternative<ShapeIs>(p) &&
          !std::holds_alternative<LengthIn>(p) && !std::holds_alternative<AffixIs>(p))
        continue;
      const Part& part = *part_of(p);
      if (part.shell != ShellPart::none && part.shell != ShellPart::flag_value && part.shell != ShellPart::env)
        continue;
      std::map<std::string, std::size_t> forms;
      std::set<std::string> values;
      for (const auto& s : successes_)
        for (const auto& v : s.values(part)) {
          if (const auto sig = signature_of(v)) ++forms[describe_signature(*sig)];
          values.insert(v);
        }
      if (values.empty()) return {};
      const bool few_words =
          values.size() <= 3 && std::all_of(values.begin(), values.end(), [](const std::string& v) {
            return v.size() <= 30 && v.find('/') == std::string::npos && v.find(' ') == std::string::npos;
          });
      if (std::holds_alternative<ValueIn>(p) && few_words) {
        std::string out;
        std::size_t k = 0;
        for (const auto& v : values) out += (k++ == 0 ? "" : k == values.size() ? " or " : ", ") + ("`" + v + "`");
        return out;
      }
      const auto top = std::max_element(forms.begin(), forms.end(),
                                        [](const auto& a, const auto& b) { return a.second < b.second; });
      return top == forms.end() ? std::string() : top->first;
    }
    return {};
  }

  Check make_check(const std::vector<const Candidate*>& cs) const {
    Check check;
    for (const Candidate* c : cs) check.all.push_back(c->predicate);
    normalise(check);
    check.usual = usual(check);
    check.separation =
        Separation{static_cast<std::int64_t>(failures_.size()), static_cast<std::int64_t>(failures_.size()),
                   static_cast<std::int64_t>(successes_.size()), 0};
    return check;
  }

  std::optional<Check> best_conjunction() const {
    for (const auto& c : candidates_)
      if (c.hit_count == 0 && c.alone) return make_check({&c});
    std::optional<std::vector<const Candidate*>> best;
    const auto consider = [&](std::vector<const Candidate*> cs) {
      // Narrowing predicates narrow something: at least one member must be a check by itself.
      if (std::none_of(cs.begin(), cs.end(), [](const Candidate* c) { return c->alone; })) return;
      if (shared_hits(cs) != 0) return;
      if (!best || cost(cs) < cost(*best)) best = std::move(cs);
    };
    const std::size_t n2 = std::min(candidates_.size(), kPairCandidates);
    for (std::size_t i = 0; i < n2; ++i)
      for (std::size_t j = i + 1; j < n2; ++j) consider({&candidates_[i], &candidates_[j]});
    if (best) return make_check(*best);
    const std::size_t n3 = std::min(candidates_.size(), kTripleCandidates);
    for (std::size_t i = 0; i < n3; ++i)
      for (std::size_t j = i + 1; j < n3; ++j)
        for (std::size_t k = j + 1; k < n3; ++k) consider({&candidates_[i], &candidates_[j], &candidates_[k]});
    if (best) return make_check(*best);
    return std::nullopt;
  }

  const LearningInput& in_;
  std::vector<Failure> failures_;
  std::vector<CallView> successes_;
  std::vector<Candidate> candidates_;
};

}  // namespace

bool is_free_text(std::string_view p) {
  return p == "description" || p == "old_string" || p == "new_string" || p == "content" || p == "prompt" ||
         p == "command" || p == "new_source" || p == "text" || p == "body" || p == "message";
}

bool mentions(std::string_view text, std::string_view word) {
  if (word.empty() || word.size() > text.size()) return false;
  // Punctuation alone ("---", "|") names nothing: it is in any output.
  if (std::none_of(word.begin(), word.end(),
                   [](char c) { return is_alnum(c) || static_cast<unsigned char>(c) >= 0x80; }))
    return false;
  const bool name_like = is_name_char(word.front()) || word.front() == '-';
  for (std::size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    if (!name_like) return true;  // a path, a quoted value: any occurrence
    const bool starts = at == 0 || !is_name_char(text[at - 1]) || word.front() == '-';
    const std::size_t end = at + word.size();
    if (starts && (end == text.size() || !is_name_char(text[end]))) return true;
  }
  return false;
}

std::optional<SessionLacks> session_need(std::string_view feature) {
  SessionLacks need;
  std::size_t sep = feature.find('\x1f');
  need.tool = std::string(feature.substr(0, sep));
  if (need.tool.empty()) return std::nullopt;
  while (sep != std::string_view::npos) {
    const std::size_t next = feature.find('\x1f', sep + 1);
    const std::string_view item =
        feature.substr(sep + 1, next == std::string_view::npos ? std::string_view::npos : next - sep - 1);
    if (item.starts_with("program=")) {
      const std::string_view what = item.substr(8);
      const std::size_t space = what.find(' ');
      need.program = std::string(what.substr(0, space));
      if (space != std::string_view::npos) need.subcommand = std::string(what.substr(space + 1));
    } else if (item.starts_with("same=")) {
      need.same = std::string(item.substr(5));
    } else if (item == "same_cwd") {
      need.same_cwd = true;
    } else {
      return std::nullopt;
    }
    sep = next;
  }
  return need;
}

std::optional<bool> LearningContext::session_ran(const SessionLacks& need, const CallView&) {
  return std::binary_search(call_.features.begin(), call_.features.end(), session_feature(need));
}

std::optional<PathState> LearningContext::path_state(const std::string& path, const CallView&) {
  const auto it = call_.paths.find(path);
  if (it == call_.paths.end()) return std::nullopt;
  return it->second;
}

std::optional<Check> learn_check(const LearningInput& in) {
  if (in.failing == nullptr || in.successful == nullptr) return std::nullopt;
  try {
    return Learner(in).learn();
  } catch (...) {
    return std::nullopt;  // odd JSON values (invalid UTF-8 in a dump) must not stop learning
  }
}

}  // namespace pat
