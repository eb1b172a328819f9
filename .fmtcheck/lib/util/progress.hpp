#pragma once
// Progress of long runs on stderr (count, rate, ETA), only when stderr is a terminal.
#include <chrono>
#include <cstdint>
#include <string>

namespace pat {

class Progress {
public:
  Progress(std::string tool, std::string unit);
  ~Progress();
  // `done`/`total` are bytes of input, for the ETA; total 0 means unknown.
  void update(std::uint64_t count, std::uint64_t done = 0, std::uint64_t total = 0);
  void finish();

private:
  std::string tool_, unit_;
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace pat
