#include "ingest/failure_text.hpp"

namespace pat {
namespace {

constexpr std::string_view kOpen = "<tool_use_error>";
constexpr std::string_view kClose = "</tool_use_error>";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\r' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

FailureText unwrap_failure_text(std::string_view raw) {
  FailureText r;
  std::string_view s = trim(raw);
  if (s.substr(0, kOpen.size()) == kOpen) {
    s.remove_prefix(kOpen.size());
    if (const auto end = s.rfind(kClose); end != std::string_view::npos) s = s.substr(0, end);
    s = trim(s);
  }
  constexpr std::string_view kExit = "Exit code ";
  if (s.substr(0, kExit.size()) == kExit) {
    std::size_t i = kExit.size();
    bool negative = false;
    if (i < s.size() && s[i] == '-') {
      negative = true;
      ++i;
    }
    const std::size_t digits_start = i;
    std::int64_t code = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - digits_start < 12) code = code * 10 + (s[i++] - '0');
    if (i > digits_start && (i == s.size() || s[i] == '\n' || s[i] == '\r')) {
      r.exit_code = negative ? -code : code;
      s = trim(s.substr(i));
    }
  }
  r.error = std::string(s);
  return r;
}

}  // namespace pat
