#include "util/progress.hpp"

#include <unistd.h>

#include <fmt/format.h>

namespace pat {

Progress::Progress(std::string tool, std::string unit)
    : tool_(std::move(tool)),
      unit_(std::move(unit)),
      enabled_(::isatty(2) == 1),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

Progress::~Progress() { finish(); }

void Progress::update(std::uint64_t count, std::uint64_t done, std::uint64_t total) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(500)) return;
  last_ = now;
  const double secs = std::chrono::duration<double>(now - start_).count();
  std::string line =
      fmt::format("\r{}: {} {}, {:.0f}/s", tool_, count, unit_, secs > 0 ? static_cast<double>(count) / secs : 0.0);
  if (total > 0 && done > 0 && done <= total)
    line += fmt::format(", ETA {:.0f}s", secs * static_cast<double>(total - done) / static_cast<double>(done));
  line += "   ";
  std::fputs(line.c_str(), stderr);
  shown_ = true;
}

void Progress::finish() {
  if (shown_) std::fputs("\r\033[K", stderr);
  shown_ = false;
}

}  // namespace pat
