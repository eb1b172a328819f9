#pragma once
// patcheck's verdicts in the store: each one that warned or blocked a call is recorded, and
// patlearn later reconciles it with the outcome of the same call (learn/verdict_feedback.hpp).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "records/enums.hpp"
#include "records/verdict.hpp"
#include "store/store.hpp"

namespace pat {

struct StoredVerdict {
  std::int64_t id = 0;
  std::string ts, tool, tool_use_id;
  Decision decision = Decision::warn;
  std::vector<std::string> patterns;  // highest confidence first, as patcheck lists them
  bool counted = false;               // patlearn has added it to the patterns' checks
  bool readable = true;               // false: the row's pattern list is not a JSON array
};

class VerdictStore {
public:
  explicit VerdictStore(Store& store);
  ~VerdictStore();

  // Records a verdict that warned or blocked, at time `ts`, for reconciliation.
  void record(const Verdict& v, const std::string& session, const std::string& ts);

  // Every verdict not yet reconciled, oldest first.
  void for_each_open(const std::function<void(const StoredVerdict&)>& visit);
  // Marks a verdict counted; with a reconciled time, also closed with `outcome` (success,
  // failure, or none for a call that never reported one). Without one it stays open.
  void mark(std::int64_t id, const std::optional<std::string>& outcome,
            const std::optional<std::string>& reconciled_at);

  // Every verdict, in the order recorded (the reports).
  std::vector<StoredVerdict> all();

private:
  Store& store_;
  std::unique_ptr<SQLite::Statement> mark_;
};

}  // namespace pat
