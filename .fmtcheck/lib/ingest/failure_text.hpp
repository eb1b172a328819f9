#pragma once
// Failure texts arrive wrapped: Bash errors as "Exit code N\n<output>", transcript results as
// "<tool_use_error>…</tool_use_error>". The record keeps the text without the wrappers and the
// exit code as a number.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pat {

struct FailureText {
  std::string error;
  std::optional<std::int64_t> exit_code;
};

FailureText unwrap_failure_text(std::string_view raw);

}  // namespace pat
