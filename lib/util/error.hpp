#pragma once
// Exit statuses shared by every tool (ARCHITECTURE.md, Conventions, sysexits-style) and the one exception type
// that carries them up to the top of main, where it is printed once as `tool: error: ...`.
#include <stdexcept>
#include <string>

namespace pat {

enum class Exit : int {
  ok = 0,
  blocked = 2,  // patcheck: the checked call is blocked
  usage = 64,
  data_error = 65,  // some input was rejected
  no_input = 66,
  internal = 70,
  cant_create = 73,
  io_error = 74,
  busy = 75,  // store locked by another process: try again
  config = 78,
};

class Error : public std::runtime_error {
public:
  Error(Exit code, const std::string& message) : std::runtime_error(message), code_(code) {}
  Exit code() const noexcept { return code_; }

private:
  Exit code_;
};

}  // namespace pat
