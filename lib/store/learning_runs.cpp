#include "store/learning_runs.hpp"

namespace pat {

void record_learning_run(Store& store, const LearningRun& run) {
  Store::Transaction tx(store);
  SQLite::Statement q(store.db(), R"SQL(
INSERT INTO learning_runs(trigger, started_at, finished_at, status, events, patterns, message)
VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)
)SQL");
  q.bind(1, run.trigger);
  q.bind(2, run.started_at);
  q.bind(3, run.finished_at);
  q.bind(4, run.status);
  q.bind(5, run.events);
  q.bind(6, run.patterns);
  q.bind(7, run.message);
  q.exec();
  tx.commit();
}

std::optional<LearningRun> last_learning_run(Store& store) {
  SQLite::Statement q(store.db(), R"SQL(
SELECT trigger, started_at, finished_at, status, events, patterns, message FROM learning_runs ORDER BY id DESC LIMIT 1
)SQL");
  if (!q.executeStep()) return std::nullopt;
  return LearningRun{q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                     q.getColumn(3).getString(), q.getColumn(4).getInt64(),  q.getColumn(5).getInt64(),
                     q.getColumn(6).getString()};
}

std::int64_t events_to_learn(Store& store) {
  SQLite::Statement q(store.db(), "SELECT count(*) FROM events WHERE rowid > ?1");
  q.bind(1, store.cursor(kDetectCursor).value_or(0));
  q.executeStep();
  return q.getColumn(0).getInt64();
}

}  // namespace pat
