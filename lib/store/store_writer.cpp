#include "store/store_writer.hpp"

#include "store/session_facts.hpp"

namespace pat {
namespace {
// The caller hands items over in chunks, so that the two threads meet once per chunk rather than
// once per event; a few chunks in flight keep both busy without unbounded memory.
constexpr std::size_t kChunk = 2048;
constexpr std::size_t kChunksInFlight = 8;
}  // namespace

StoreWriter::StoreWriter(Store& store, bool threaded, std::size_t batch_size)
    : store_(store), threaded_(threaded), batch_size_(batch_size) {
  if (threaded_) {
    store_.db().exec("PRAGMA wal_autocheckpoint=0");
    thread_ = std::thread([this] { run(); });
    checkpointer_ = std::thread([this] { checkpoint_loop(); });
  }
}

StoreWriter::~StoreWriter() {
  if (threaded_) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
      checkpointer_stopping_ = true;
    }
    cv_.notify_all();
    checkpoint_cv_.notify_all();
    thread_.join();
    checkpointer_.join();
    try {
      store_.db().exec("PRAGMA wal_autocheckpoint=1000");
    } catch (...) {  // the store closes next; SQLite checkpoints then anyway
    }
  }
}

void StoreWriter::checkpoint_loop() {
  std::unique_ptr<SQLite::Database> db;
  try {
    db = std::make_unique<SQLite::Database>(store_.options().path.string(),
                                            SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX,
                                            store_.options().busy_timeout_ms);
  } catch (...) {
    return;  // no checkpointer: the log is copied when the store closes
  }
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      checkpoint_cv_.wait(lock, [this] { return commits_ != checkpointed_ || checkpointer_stopping_; });
      if (checkpointer_stopping_) return;
      checkpointed_ = commits_;
    }
    try {
      db->exec("PRAGMA wal_checkpoint(PASSIVE)");
    } catch (...) {  // busy or failed: the next commit asks again
    }
  }
}

void StoreWriter::write(Item& item) {
  if (!tx_) tx_ = std::make_unique<Store::Transaction>(store_);
  if (item.is_reject) {
    store_.insert_reject(item.reject);
  } else {
    // A live session's successful calls, for patcheck (store/session_facts.hpp); a bulk ingest
    // writes none: it would only send patcheck to the store less often for sessions long over.
    const Event& e = item.event;
    if (!threaded_ && e.outcome == Outcome::success && !e.session.empty() && !e.tool.empty())
      session_facts_[e.session] += facts_line(facts_of(e));
    switch (store_.insert_event(item.event, item.details)) {
      case InsertResult::stored: ++counts_.stored; break;
      case InsertResult::merged:
        ++counts_.merged;
        ++counts_.duplicates;
        break;
      case InsertResult::duplicate: ++counts_.duplicates; break;
    }
  }
  if (threaded_ && ++in_tx_ >= batch_size_) {
    tx_->commit();
    tx_.reset();
    in_tx_ = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++commits_;
    }
    checkpoint_cv_.notify_one();
  }
}

Store& StoreWriter::in_transaction() {
  if (!tx_) tx_ = std::make_unique<Store::Transaction>(store_);
  return store_;
}

void StoreWriter::hand_over(bool wait_for_room) {
  std::unique_lock<std::mutex> lock(mu_);
  if (wait_for_room) cv_.wait(lock, [this] { return queue_.size() < kChunksInFlight || failure_; });
  if (failure_) {
    lock.unlock();
    rethrow_failure();
  }
  added_ += local_.size();
  queue_.push_back(std::move(local_));
  std::vector<std::vector<Item>> written;
  written.swap(written_);
  lock.unlock();
  cv_.notify_all();
  local_ = written.empty() ? std::vector<Item>() : std::move(written.back());
  local_.clear();  // frees the written items here, in the thread that allocated them
  local_.reserve(kChunk);
}

void StoreWriter::add_event(Event&& e, std::string&& details) {
  Item item{std::move(e), std::move(details), {}, false};
  if (!threaded_) {
    write(item);
    return;
  }
  local_.push_back(std::move(item));
  if (local_.size() >= kChunk) hand_over(true);
}

void StoreWriter::add_reject(Reject&& r) {
  Item item;
  item.reject = std::move(r);
  item.is_reject = true;
  if (!threaded_) {
    write(item);
    return;
  }
  local_.push_back(std::move(item));
  if (local_.size() >= kChunk) hand_over(true);
}

void StoreWriter::flush() {
  if (!threaded_) {
    if (tx_) {
      // Only after the commit: every call a session's file names is in the store.
      auto facts = std::move(session_facts_);
      session_facts_.clear();
      tx_->commit();
      tx_.reset();
      for (const auto& [session, lines] : facts) append_session_facts(store_.options().path, session, lines);
    }
    return;
  }
  if (!local_.empty()) hand_over(false);
  std::unique_lock<std::mutex> lock(mu_);
  flush_requested_ = true;
  cv_.notify_all();
  cv_.wait(lock, [this] { return (done_ == added_ && !flush_requested_) || failure_; });
  lock.unlock();
  rethrow_failure();
}

void StoreWriter::rethrow_failure() {
  std::exception_ptr f;
  {
    std::lock_guard<std::mutex> lock(mu_);
    f = failure_;
  }
  if (f) std::rethrow_exception(f);
}

StoreCounts StoreWriter::counts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return counts_;
}

void StoreWriter::run() {
  std::vector<Item> batch;
  while (true) {
    bool flush_now = false;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return !queue_.empty() || flush_requested_ || stopping_; });
      if (queue_.empty() && stopping_) break;
      if (!queue_.empty()) {
        batch = std::move(queue_.front());
        queue_.erase(queue_.begin());
      }
      flush_now = flush_requested_ && queue_.empty();
    }
    cv_.notify_all();  // room in the queue again
    try {
      for (auto& item : batch) write(item);
      std::lock_guard<std::mutex> lock(mu_);
      done_ += batch.size();
      written_.push_back(std::move(batch));
      batch = {};
    } catch (...) {
      std::lock_guard<std::mutex> lock(mu_);
      failure_ = std::current_exception();
      tx_.reset();  // rolls back the batch that failed
      cv_.notify_all();
      return;
    }
    batch.clear();
    if (flush_now) {
      try {
        if (tx_) {
          tx_->commit();
          tx_.reset();
          in_tx_ = 0;
        }
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu_);
        failure_ = std::current_exception();
        tx_.reset();
        cv_.notify_all();
        return;
      }
      std::lock_guard<std::mutex> lock(mu_);
      if (done_ == added_) flush_requested_ = false;
      cv_.notify_all();
    }
  }
}

}  // namespace pat
