#include "store/verdict_store.hpp"

namespace pat {
namespace {

std::vector<std::string> pattern_ids(const std::string& text) {
  std::vector<std::string> out;
  const json ids = json::parse(text, nullptr, false);
  if (ids.is_array())
    for (const auto& id : ids)
      if (id.is_string()) out.push_back(id.get<std::string>());
  return out;
}

}  // namespace

VerdictStore::VerdictStore(Store& store) : store_(store) {}
VerdictStore::~VerdictStore() = default;

void VerdictStore::record(const Verdict& v, const std::string& session, const std::string& ts) {
  json ids = json::array();
  for (const auto& m : v.matches) ids.push_back(m.pattern);
  SQLite::Statement q(store_.db(), R"SQL(
INSERT INTO verdicts(ts, session, tool, tool_use_id, decision, patterns) VALUES(?1, ?2, ?3, ?4, ?5, ?6)
)SQL");
  q.bind(1, ts);
  if (session.empty())
    q.bind(2);
  else
    q.bind(2, session);
  q.bind(3, v.tool);
  if (v.tool_use_id.empty())
    q.bind(4);
  else
    q.bind(4, v.tool_use_id);
  q.bind(5, std::string(decision_name(v.decision)));
  q.bind(6, ids.dump());
  q.exec();
}

void VerdictStore::for_each_open(const std::function<void(const StoredVerdict&)>& visit) {
  SQLite::Statement q(store_.db(), R"SQL(
SELECT id, ts, tool_use_id, decision, patterns, counted, tool FROM verdicts WHERE reconciled_at IS NULL
)SQL");
  while (q.executeStep()) {
    StoredVerdict v;
    v.readable = json::parse(q.getColumn(4).getString(), nullptr, false).is_array();
    v.id = q.getColumn(0).getInt64();
    v.ts = q.getColumn(1).getString();
    v.tool_use_id = q.getColumn(2).isNull() ? "" : q.getColumn(2).getString();
    v.decision = parse_decision(q.getColumn(3).getString()).value_or(Decision::warn);
    v.patterns = pattern_ids(q.getColumn(4).getString());
    v.counted = q.getColumn(5).getInt() != 0;
    v.tool = q.getColumn(6).getString();
    visit(v);
  }
}

void VerdictStore::mark(std::int64_t id, const std::optional<std::string>& outcome,
                        const std::optional<std::string>& reconciled_at) {
  if (!mark_)
    mark_ = std::make_unique<SQLite::Statement>(
        store_.db(), "UPDATE verdicts SET counted = 1, outcome = ?2, reconciled_at = ?3 WHERE id = ?1");
  mark_->bind(1, id);
  if (outcome)
    mark_->bind(2, *outcome);
  else
    mark_->bind(2);
  if (reconciled_at)
    mark_->bind(3, *reconciled_at);
  else
    mark_->bind(3);
  mark_->exec();
  mark_->reset();
}

std::vector<StoredVerdict> VerdictStore::all() {
  std::vector<StoredVerdict> out;
  SQLite::Statement q(store_.db(), "SELECT id, ts, tool, decision, patterns, counted FROM verdicts ORDER BY id");
  while (q.executeStep()) {
    StoredVerdict v;
    v.id = q.getColumn(0).getInt64();
    v.ts = q.getColumn(1).getString();
    v.tool = q.getColumn(2).getString();
    v.decision = parse_decision(q.getColumn(3).getString()).value_or(Decision::warn);
    v.patterns = pattern_ids(q.getColumn(4).getString());
    v.counted = q.getColumn(5).getInt() != 0;
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace pat
