#include "ingest/session_clock.hpp"

namespace pat {

void SessionClock::release(const std::string& session, const std::string& ts, const Sink& sink) {
  const auto it = waiting_.find(session);
  if (it == waiting_.end()) return;
  for (Event& w : it->second) {
    w.ts = ts;
    sink(std::move(w));
  }
  waiting_count_ -= it->second.size();
  waiting_.erase(it);
}

void SessionClock::put(Event&& e, const Sink& sink) {
  if (e.session.empty()) return sink(std::move(e));
  if (e.ts_from_input) {
    release(e.session, e.ts, sink);
    last_time_[e.session] = e.ts;
    return sink(std::move(e));
  }
  if (const auto t = last_time_.find(e.session); t != last_time_.end()) {
    e.ts = t->second;
    return sink(std::move(e));
  }
  if (waiting_count_ >= kMaxWaiting) flush(sink);
  auto& list = waiting_[e.session];
  if (list.empty()) waiting_order_.push_back(e.session);
  list.push_back(std::move(e));
  ++waiting_count_;
}

void SessionClock::flush(const Sink& sink) {
  for (const auto& session : waiting_order_) release(session, fallback_, sink);
  waiting_order_.clear();
}

}  // namespace pat
