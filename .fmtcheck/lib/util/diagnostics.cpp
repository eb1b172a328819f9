#include "util/diagnostics.hpp"

#include <cstdio>

#include <fmt/format.h>

namespace pat {

void Diagnostics::error_at(std::string_view file, std::size_t line, std::string_view message) {
  fmt::print(stderr, "{}: error (at {}:{}): {}\n", tool_, file, line, message);
}
void Diagnostics::warning_at(std::string_view file, std::size_t line, std::string_view message) {
  fmt::print(stderr, "{}: warning (at {}:{}): {}\n", tool_, file, line, message);
}
void Diagnostics::error(std::string_view message) { fmt::print(stderr, "{}: error: {}\n", tool_, message); }
void Diagnostics::warning(std::string_view message) { fmt::print(stderr, "{}: warning: {}\n", tool_, message); }
void Diagnostics::note(std::string_view message) { fmt::print(stderr, "{}: {}\n", tool_, message); }

}  // namespace pat
