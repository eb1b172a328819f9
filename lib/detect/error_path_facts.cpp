#include "detect/error_path_facts.hpp"

#include <array>

#include "detect/check_learner.hpp"

namespace pat {
namespace {

constexpr std::size_t kMaxLines = 200;  // an error's first lines say what went wrong

// ENOENT and EISDIR as libc, Node and Python print them, and Claude Code's Read wording.
constexpr std::array kMissing = {std::string_view("No such file or directory"), std::string_view("ENOENT"),
                                 std::string_view("does not exist"), std::string_view("FileNotFoundError")};
constexpr std::array kDirectory = {std::string_view("Is a directory"), std::string_view("EISDIR"),
                                   std::string_view("IsADirectoryError")};

template <std::size_t N>
bool says(std::string_view line, const std::array<std::string_view, N>& words) {
  for (const auto w : words)
    if (line.find(w) != std::string_view::npos) return true;
  return false;
}

}  // namespace

std::optional<PathState> path_state_in_error(std::string_view error, std::string_view path) {
  if (path.empty()) return std::nullopt;
  std::size_t start = 0;
  for (std::size_t n = 0; n < kMaxLines && start < error.size(); ++n) {
    std::size_t end = error.find('\n', start);
    if (end == std::string_view::npos) end = error.size();
    const std::string_view line = error.substr(start, end - start);
    start = end + 1;
    if (!mentions(line, path)) continue;
    if (says(line, kDirectory)) return PathState{true, true, 0};
    if (says(line, kMissing)) return PathState{};
  }
  return std::nullopt;
}

}  // namespace pat
