#include "ingest/failure_text.hpp"

#include "util/text.hpp"

namespace pat {
namespace {

constexpr std::string_view kOpen = "<tool_use_error>";
constexpr std::string_view kClose = "</tool_use_error>";

}  // namespace

FailureText unwrap_failure_text(std::string_view raw) {
  FailureText r;
  std::string_view s = trim(raw, " \t\r\n");
  if (s.substr(0, kOpen.size()) == kOpen) {
    s.remove_prefix(kOpen.size());
    if (const auto end = s.rfind(kClose); end != std::string_view::npos) s = s.substr(0, end);
    s = trim(s, " \t\r\n");
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
      s = trim(s.substr(i), " \t\r\n");
    }
  }
  r.error = std::string(s);
  return r;
}

}  // namespace pat
