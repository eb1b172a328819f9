#pragma once
// The time of events that carry none, in a batch read (a hook log kept as a JSON array: the
// logging hook stamped only some payloads). Stamping them with the time of the import would put
// every untimed call after every timed one and make a year-old session look current; instead
// each untimed event takes the time of its session's last timed event before it, or of the first
// one after it, so that sessions, recoveries and last_seen stay true and the input's order holds
// within a session (equal times keep the order stored). A session with no timed event at all
// keeps the time of the import. Events of one session wait here until a timed one comes, at
// most kMaxWaiting in all (then the waiting ones go out with the time of the import).
#include <cstddef>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "records/event.hpp"

namespace pat {

class SessionClock {
public:
  static constexpr std::size_t kMaxWaiting = 20000;
  using Sink = std::function<void(Event&&)>;

  // `fallback`: the time of the import, for events whose session never gives one.
  explicit SessionClock(std::string fallback) : fallback_(std::move(fallback)) {}

  // Passes `e` to `sink` now, or later (from a later put or from flush) once its time is known.
  void put(Event&& e, const Sink& sink);
  // What still waits goes out with the time of the import, in the order it came.
  void flush(const Sink& sink);

private:
  void release(const std::string& session, const std::string& ts, const Sink& sink);

  std::string fallback_;
  std::unordered_map<std::string, std::string> last_time_;  // session → its last timed event's time
  std::unordered_map<std::string, std::vector<Event>> waiting_;
  std::vector<std::string> waiting_order_;  // sessions in the order their first event came
  std::size_t waiting_count_ = 0;
};

}  // namespace pat
