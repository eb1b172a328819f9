#include "check/pattern_matcher.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "check/check_form.hpp"
#include "mistake/call_check.hpp"
#include "store/pattern_store.hpp"
#include "store/session_facts.hpp"
#include "store/stored_events.hpp"
#include "util/content_hash.hpp"
#include "util/text.hpp"
#include "util/utf8.hpp"

namespace pat {
namespace {

constexpr std::size_t kMaxShownText = 300;  // bytes of one root cause or prevention step shown

// The call's values of the parameter a session predicate wants the same (none asked: empty);
// nullopt when it asks for one the call lacks: the predicate cannot be judged.
std::optional<std::vector<std::string>> same_values(const SessionLacks& need, const CallView& view) {
  if (need.same.empty()) return std::vector<std::string>{};
  auto values = view.values(Part{need.same, ShellPart::none, "", ""});
  if (values.empty()) return std::nullopt;
  return values;
}

// The file system of the machine the agent runs on: one look at each path.
class FileSystemContext : public CheckContext {
public:
  std::optional<PathState> path_state(const std::string& path, const CallView& view) override {
    const std::string full = resolve_path(path, view.cwd());
    if (const auto it = seen_.find(full); it != seen_.end()) return it->second;
    return seen_.emplace(full, stat_path(full)).first->second;
  }

private:
  std::map<std::string, PathState> seen_;
};

// What patcheck knows beside the call: the store's record of the session, and the file system.
class StoreContext : public FileSystemContext {
public:
  StoreContext(Store& store, const ToolCall& call) : store_(store), call_(call) {}

  std::optional<bool> session_ran(const SessionLacks& need, const CallView& view) override {
    if (call_.session.empty()) return std::nullopt;  // no history to judge by
    const auto values = same_values(need, view);
    if (!values) return std::nullopt;
    if (need.program.empty() && !need.same_cwd)
      return pat::session_ran(store_, call_.session, need.tool, need.same, values->empty() ? "" : values->front());
    for (const auto& earlier : session_calls(store_, call_.session, need.tool)) {
      if (need.same_cwd && earlier.cwd != view.cwd()) continue;
      const CallView ev(earlier.input, earlier.cwd);
      if (!need.same.empty() && ev.values(Part{need.same, ShellPart::none, "", ""}) != *values) continue;
      if (need.program.empty()) return true;
      for (const auto& c : ev.commands("command"))
        if (c.name == need.program && (need.subcommand.empty() || c.subcommand == need.subcommand)) return true;
    }
    return false;
  }

private:
  Store& store_;
  const ToolCall& call_;
};

// The check index's view: the file system, and the session's file of the calls it ran
// (store/session_facts.hpp), which can only say "ran". A check whose session predicate that file
// does not settle (the other predicates hold) is left to the store.
class IndexContext : public FileSystemContext {
public:
  IndexContext(const fs::path& db, const ToolCall& call) : db_(db), call_(call) {}

  std::optional<bool> session_ran(const SessionLacks& need, const CallView& view) override {
    if (call_.session.empty()) return std::nullopt;  // as StoreContext: no history to judge by
    const auto same = same_values(need, view);
    if (!same) return std::nullopt;
    if (!facts_) facts_ = SessionFacts::read(db_, call_.session);
    SessionNeed n;
    n.tool = need.tool;
    n.same = need.same;
    if (!same->empty()) n.same_value = same->front();
    if (need.same_cwd) n.in_cwd = view.cwd();
    n.program = need.program;
    n.subcommand = need.subcommand;
    if (facts_->ran(n)) return true;
    needs_store = true;
    return std::nullopt;
  }
  bool needs_store = false;

private:
  const fs::path& db_;
  const ToolCall& call_;
  std::optional<SessionFacts> facts_;
};

}  // namespace

Verdict PatternMatcher::check(const ToolCall& call) {
  Verdict v;
  v.tool = call.tool;
  v.tool_use_id = call.tool_use_id;
  const CallView view(call.input, call.cwd);
  StoreContext context(store_, call);
  PatternStore patterns(store_);
  for (const auto& p : patterns.checkable(call.tool, options_.min_confidence)) {
    const auto check = check_from_json(json::parse(p.mistake, nullptr, false));
    if (!check || !matches(*check, view, context)) continue;
    VerdictMatch m;
    m.pattern = p.id;
    m.confidence = p.confidence;
    m.observations = p.observations;
    v.matches.push_back(std::move(m));
  }
  if (v.matches.empty()) return v;
  // Only the patterns that matched need their words.
  for (auto& m : v.matches) {
    if (const auto p = patterns.get(m.pattern)) {
      m.root_cause = p->base.root_cause;
      m.prevention = p->base.prevention;
    }
  }
  const double top = v.matches.front().confidence;
  v.level = level_for(top, options_.levels);
  v.decision = top >= options_.block_at ? Decision::block : Decision::warn;
  return v;
}

bool index_clears(const CheckIndex& index, const ToolCall& call, double min_confidence) {
  const CallView view(call.input, call.cwd);
  IndexContext context(index.db(), call);
  // The hashes of the call's values of each anchor part, computed once however many checks ask
  // (none for an unreadable part: it rules nothing out).
  std::map<std::string, std::optional<std::vector<std::uint64_t>>, std::less<>> anchor_values;
  bool clear = true;
  index.for_tool(call.tool, [&](const IndexedCheck& c) {
    if (c.confidence < min_confidence) return false;  // the rest are lower still
    if (!c.anchor_part.empty()) {
      auto it = anchor_values.find(c.anchor_part);
      if (it == anchor_values.end()) {
        std::optional<std::vector<std::uint64_t>> hashes;
        if (const auto part = part_from_form(c.anchor_part)) {
          hashes.emplace();
          for (const auto& v : view.values(*part)) hashes->push_back(hash64(v));
        }
        it = anchor_values.emplace(std::string(c.anchor_part), std::move(hashes)).first;
      }
      if (it->second && !anchor_holds(c.anchor_hashes, *it->second)) return true;
    }
    const auto check = check_from_form(c.check);
    if (!check) {  // the index holds only checks that parse: a line that does not is the store's to judge
      clear = false;
      return false;
    }
    if (matches(*check, view, context) || context.needs_store) {
      clear = false;
      return false;
    }
    return true;
  });
  return clear;
}

std::string verdict_message(const Verdict& v, const LevelThresholds& levels, std::size_t max_chars) {
  std::string out = v.decision == Decision::block
                        ? fmt::format("pattools blocked this {} call: it repeats a known mistake.", v.tool)
                        : fmt::format("pattools warning: this {} call looks like a known mistake.", v.tool);
  // What the agent reads came from tool output, or from a shared file: one line each, bounded,
  // so that no stored text can pose as a message of its own.
  const auto shown = [](const std::string& text) { return clip_text(squeeze(text), kMaxShownText); };
  for (const auto& m : v.matches) {
    out += fmt::format("\n- {} (confidence {:.2f}, {} level, seen {} time{}; pattern {})", shown(m.root_cause),
                       m.confidence, level_name(level_for(m.confidence, levels)), m.observations,
                       m.observations == 1 ? "" : "s", m.pattern.substr(0, 12));
    for (const auto& p : m.prevention)
      out += fmt::format("\n  Prevention: {}{}", shown(p.action),
                         p.reason.empty() ? "" : fmt::format(" ({})", shown(p.reason)));
  }
  if (out.size() > max_chars) {
    constexpr std::string_view kCut = "\n[...]";
    // Below the mark's own size there is only room for a cut.
    out = max_chars < kCut.size() ? std::string(utf8_prefix(out, max_chars))
                                  : std::string(utf8_prefix(out, max_chars - kCut.size())) + std::string(kCut);
  }
  return out;
}

}  // namespace pat
