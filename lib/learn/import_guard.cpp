#include "learn/import_guard.hpp"

#include <fmt/format.h>

#include "mistake/call_check.hpp"
#include "util/json_parse.hpp"

namespace pat {
namespace {

// The machine's file system for path facts; the session of a stored call is not replayed, so a
// session predicate cannot be judged and does not hold (the check is then not refused for it).
class LocalContext : public CheckContext {
public:
  std::optional<bool> session_ran(const SessionLacks&, const CallView&) override { return std::nullopt; }
  std::optional<PathState> path_state(const std::string& path, const CallView& call) override {
    return stat_path(resolve_path(path, call.cwd()));
  }
};

std::optional<std::string> text_problem(const Pattern& p) {
  const auto& b = p.base;
  if (b.template_text.size() > kMaxImportedTextBytes)
    return fmt::format("template of {} bytes (at most {})", b.template_text.size(), kMaxImportedTextBytes);
  if (b.root_cause.size() > kMaxImportedTextBytes)
    return fmt::format("root_cause of {} bytes (at most {})", b.root_cause.size(), kMaxImportedTextBytes);
  if (b.prevention.size() > kMaxImportedSteps)
    return fmt::format("{} prevention steps (at most {})", b.prevention.size(), kMaxImportedSteps);
  for (const auto& s : b.prevention)
    if (s.action.size() + s.reason.size() > kMaxImportedTextBytes)
      return fmt::format("a prevention step of {} bytes (at most {})", s.action.size() + s.reason.size(),
                         kMaxImportedTextBytes);
  return std::nullopt;
}

// The number of predicates and of values in a set are bounded by check_from_json already.
std::optional<std::string> check_problem(const Check& c) {
  for (const auto& pred : c.all) {
    if (const auto* v = std::get_if<ValueIn>(&pred))
      for (const auto& x : v->values)
        if (x.size() > kMaxImportedValueBytes) return fmt::format("a value of {} bytes in a value set", x.size());
    if (const auto* a = std::get_if<AffixIs>(&pred); a && (a->text.empty() || a->text.size() > kMaxImportedValueBytes))
      return fmt::format("a prefix or suffix of {} bytes", a->text.size());
    if (const auto* l = std::get_if<LengthIn>(&pred); l && l->lo == 0 && !l->hi)
      return std::string("a length check that holds for every value");
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> ImportGuard::refuse(const Pattern& p) {
  if (p.observations < 0) return fmt::format("{} observations", p.observations);
  if (p.checks.warned < 0 || p.checks.blocked < 0 || p.checks.true_positive < 0 || p.checks.false_positive < 0)
    return std::string("negative verdict counts");
  if (auto why = text_problem(p)) return why;
  const std::string mistake = dump_json(p.base.mistake);
  if (mistake.size() > kMaxImportedCheckBytes)
    return fmt::format("a check of {} bytes (at most {})", mistake.size(), kMaxImportedCheckBytes);
  const auto check = check_from_json(p.base.mistake);
  if (!check) return std::string("a check this version cannot read");
  if (auto why = check_problem(*check)) return why;
  LocalContext context;
  auto cached = successes_.find(p.base.tool);
  if (cached == successes_.end())
    cached = successes_.emplace(p.base.tool, successful_calls(store_, p.base.tool, kLocalSuccessesTried)).first;
  for (const auto& call : cached->second) {
    const CallView view(call.input, call.cwd);
    if (matches(*check, view, context))
      return fmt::format("its check matches a successful {} call in this store", p.base.tool);
  }
  return std::nullopt;
}

Pattern discounted(Pattern p) {
  p.checks.warned = p.checks.blocked = p.checks.true_positive = 0;
  return p;
}

}  // namespace pat
