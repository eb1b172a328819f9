#include "check/pattern_matcher.hpp"

#include <sys/stat.h>

#include <algorithm>

#include <fmt/format.h>

#include "mistake/call_check.hpp"
#include "store/pattern_store.hpp"
#include "store/stored_events.hpp"
#include "util/utf8.hpp"

namespace pat {
namespace {

bool file_exists(const std::string& cwd, std::string_view path) {
  std::string full(path);
  if (!full.empty() && full[0] != '/' && !cwd.empty()) full = cwd + "/" + full;
  struct stat st {};
  return ::stat(full.c_str(), &st) == 0;
}

}  // namespace

Verdict PatternMatcher::check(const ToolCall& call) {
  Verdict v;
  v.tool = call.tool;
  v.tool_use_id = call.tool_use_id;
  const auto seen = [&](std::string_view tool, std::string_view param, std::string_view value) {
    return session_ran(store_, call.session, tool, param, value);
  };
  const auto exists = [&](std::string_view path) { return file_exists(call.cwd, path); };
  const CallChecker checker(call.input);
  PatternStore patterns(store_);
  for (const auto& p : patterns.checkable(call.tool, options_.min_confidence)) {
    const json mistake = json::parse(p.mistake, nullptr, false);
    if (mistake.is_discarded()) continue;
    // A workflow check needs the session's history: without a session it cannot be judged, and
    // what cannot be judged lets the call through.
    const bool workflow = mistake.contains("requires");
    if (workflow && call.session.empty()) continue;
    const bool hit = workflow ? requirement_missing(mistake, call.input, seen, exists) : checker.matches(mistake);
    if (!hit) continue;
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

std::string verdict_message(const Verdict& v, const LevelThresholds& levels, std::size_t max_chars) {
  std::string out = v.decision == Decision::block
                        ? fmt::format("pattools blocked this {} call: it repeats a known mistake.", v.tool)
                        : fmt::format("pattools warning: this {} call looks like a known mistake.", v.tool);
  for (const auto& m : v.matches) {
    out += fmt::format("\n- {} (confidence {:.2f}, {} level, seen {} time{}; pattern {})", m.root_cause, m.confidence,
                       level_name(level_for(m.confidence, levels)), m.observations, m.observations == 1 ? "" : "s",
                       m.pattern.substr(0, 12));
    for (const auto& p : m.prevention)
      out += fmt::format("\n  Prevention: {}{}", p.action, p.reason.empty() ? "" : fmt::format(" ({})", p.reason));
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
