#pragma once
// What a successful call did, as the repeated-work miner compares calls: its operation signature
// ("test:pytest:backend", "build:npm:run-build", "edit:Edit:py"), what must be equal for two runs
// to be alike, the parts of its input, and for a command line its template. A command is looked
// at through its runners (`uv run pytest` is a pytest run) and past set-up commands (`cd x &&
// make test` is a make run).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "records/event.hpp"
#include "util/json_parse.hpp"

namespace pat {

struct Field {
  std::string name;
  json value;              // as shown: long strings are cut
  std::uint64_t hash = 0;  // of the whole value, so that equal prefixes do not look equal
};

struct Execution {
  std::string signature;
  std::string shape;          // with the signature, what must be equal for runs to be alike
  std::vector<Field> fields;  // the input's parts, compared across runs
  std::string command;        // the command-line template of this run; empty for other tools
};

// Empty when the event is not an execution (no tool, or a Bash call without a command).
std::optional<Execution> describe_execution(const Event& e);

// The template of two command-line templates of one operation.
std::string merge_command_templates(std::string_view a, std::string_view b);

// A path's extension in lower case, "" when it has none.
std::string extension_of(std::string_view path);

}  // namespace pat
