#pragma once
// Messages on stderr in one format for every tool: "patlog: error (at FILE:LINE): ...".
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace pat {

// "patlog: error (at FILE:LINE): message" and friends, on stderr.
class Diagnostics {
public:
  explicit Diagnostics(std::string tool) : tool_(std::move(tool)) {}
  const std::string& tool() const { return tool_; }
  void error_at(std::string_view file, std::size_t line, std::string_view message);
  void warning_at(std::string_view file, std::size_t line, std::string_view message);
  void error(std::string_view message);
  void warning(std::string_view message);
  void note(std::string_view message);  // "patlog: message"

private:
  std::string tool_;
};

}  // namespace pat
