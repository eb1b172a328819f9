#include "check/pattern_matcher.hpp"

#include <sys/stat.h>

#include <algorithm>

#include <fmt/format.h>

#include "mistake/mistake_check.hpp"
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

bool PatternMatcher::session_ran(const ToolCall& call, std::string_view tool, std::string_view param,
                                 std::string_view value) {
  if (call.session.empty()) return false;
  SQLite::Statement q(store_.db(), R"SQL(
SELECT 1 FROM events
 WHERE session = ?1 AND tool = ?2 AND outcome = 'success'
   AND (?3 = '' OR CAST(json_extract(details, '$.input."' || ?3 || '"') AS TEXT) = ?4)
 LIMIT 1
)SQL");
  q.bind(1, call.session);
  q.bind(2, std::string(tool));
  q.bind(3, std::string(param));
  q.bind(4, std::string(value));
  return q.executeStep();
}

Verdict PatternMatcher::check(const ToolCall& call) {
  Verdict v;
  v.tool = call.tool;
  v.tool_use_id = call.tool_use_id;
  SQLite::Statement q(store_.db(), R"SQL(
SELECT id, confidence, observations, mistake FROM patterns
 WHERE tool = ?1 AND status = 'active' AND confidence >= ?2
 ORDER BY confidence DESC, id
)SQL");
  q.bind(1, call.tool);
  q.bind(2, options_.min_confidence);
  const auto seen = [&](std::string_view tool, std::string_view param, std::string_view value) {
    return session_ran(call, tool, param, value);
  };
  const auto exists = [&](std::string_view path) { return file_exists(call.cwd, path); };
  const CallChecker checker(call.input);
  while (q.executeStep()) {
    const json mistake = json::parse(q.getColumn(3).getText(), nullptr, false);
    if (mistake.is_discarded()) continue;
    const bool hit = mistake.contains("requires") ? requirement_missing(mistake, call.input, seen, exists)
                                                   : checker.matches(mistake);
    if (!hit) continue;
    VerdictMatch m;
    m.pattern = q.getColumn(0).getString();
    m.confidence = q.getColumn(1).getDouble();
    m.observations = q.getColumn(2).getInt64();
    v.matches.push_back(std::move(m));
  }
  if (v.matches.empty()) return v;
  // Only the patterns that matched need their words.
  SQLite::Statement words(store_.db(), "SELECT record FROM patterns WHERE id = ?1");
  for (auto& m : v.matches) {
    words.bind(1, m.pattern);
    if (words.executeStep()) {
      const Pattern p = pattern_from_json(json::parse(words.getColumn(0).getString()));
      m.root_cause = p.base.root_cause;
      m.prevention = p.base.prevention;
    }
    words.reset();
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
    out += fmt::format("\n- {} (confidence {:.2f}, {} level, seen {} time{}; pattern {})", m.root_cause,
                       m.confidence, level_name(level_for(m.confidence, levels)), m.observations,
                       m.observations == 1 ? "" : "s", m.pattern.substr(0, 12));
    for (const auto& p : m.prevention)
      out += fmt::format("\n  Prevention: {}{}", p.action, p.reason.empty() ? "" : fmt::format(" ({})", p.reason));
  }
  if (out.size() > max_chars) {
    constexpr std::string_view kCut = "\n[...]";
    out = std::string(utf8_prefix(out, max_chars - kCut.size())) + std::string(kCut);
  }
  return out;
}

}  // namespace pat
