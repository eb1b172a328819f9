#pragma once
// Writes events and rejects into the store in batches (one transaction per batch). In bulk mode
// a writer thread does the SQLite work while the caller parses the next records, so a large
// ingest uses both cores; in hook mode everything runs inline in one transaction.
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/store.hpp"

namespace pat {

struct StoreCounts {
  std::uint64_t stored = 0;
  std::uint64_t duplicates = 0;  // includes merged
  std::uint64_t merged = 0;
};

class StoreWriter {
public:
  // threaded: a writer thread and batches of `batch_size`; otherwise inline, one transaction
  // until flush().
  StoreWriter(Store& store, bool threaded, std::size_t batch_size);
  ~StoreWriter();
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  void add_event(Event&& e, std::string&& details);
  void add_reject(Reject&& r);
  // Commits everything added so far; rethrows a failure of the writer thread.
  void flush();

  // Inline mode only: the store, inside the writer's open transaction (for reads and writes
  // that must commit together with the events, such as transcript offsets).
  Store& in_transaction();
  StoreCounts counts() const;

private:
  struct Item {
    Event event;
    std::string details;
    Reject reject;
    bool is_reject = false;
  };
  void write(Item& item);  // inside a transaction
  void run();              // the writer thread
  void rethrow_failure();

  Store& store_;
  bool threaded_;
  std::size_t batch_size_;
  std::unique_ptr<Store::Transaction> tx_;
  std::size_t in_tx_ = 0;
  StoreCounts counts_;
  // Inline mode: the session facts of the successful calls in the open transaction, by session.
  std::map<std::string, std::string> session_facts_;

  // Threaded mode.
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Item> local_;               // filled by the caller without locking
  std::vector<std::vector<Item>> queue_;  // whole batches handed to the writer thread
  // Batches the writer is done with go back to the caller's thread to be freed there: memory
  // freed by the thread that did not allocate it makes both threads fight over malloc's locks.
  std::vector<std::vector<Item>> written_;
  void hand_over(bool wait_for_room);
  bool flush_requested_ = false;
  bool stopping_ = false;
  std::uint64_t added_ = 0, done_ = 0;
  std::exception_ptr failure_;
  std::thread thread_;

  // Threaded mode: WAL checkpoints run on their own connection and thread, so that the writer
  // never stops to copy the log into the database (PASSIVE checkpoints do not block writers).
  void checkpoint_loop();
  std::thread checkpointer_;
  std::uint64_t commits_ = 0, checkpointed_ = 0;
  bool checkpointer_stopping_ = false;
  std::condition_variable checkpoint_cv_;
};

}  // namespace pat
