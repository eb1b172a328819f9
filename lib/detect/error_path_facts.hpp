#pragma once
// What an error text says of a path the call named: the operating system's own words for "no
// such file" and "is a directory" (strerror texts, errno names, and the wording of Claude Code's
// Read), on the same line as the path. The fixed vocabulary of the system, not of any tool's
// mistakes: it gives the learner path facts for calls made on another machine, or whose path has
// changed since (the file system is asked too, detector.cpp).
#include <optional>
#include <string_view>

#include "mistake/call_check.hpp"

namespace pat {

// The state of `path` as `error` reports it, when a line of the error names the path and says
// it is missing or a directory; nullopt when the error says neither.
std::optional<PathState> path_state_in_error(std::string_view error, std::string_view path);

}  // namespace pat
