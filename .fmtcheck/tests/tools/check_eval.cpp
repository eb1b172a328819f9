// check_eval PATTERNS.jsonl CALLS.jsonl
//
// Test helper for the end-to-end suites: evaluates learned mistake checks on known tool calls.
// PATTERNS.jsonl holds pattern records (other kinds are skipped); CALLS.jsonl holds tool calls,
// {"session", "tool", "input"} one a line, each session's calls in the order they ran. Prints one
// line per call: the ids of the patterns of the call's tool whose check matches it, separated by
// spaces, in the order of PATTERNS.jsonl; an empty line when none does.
//
// A {"requires": ...} check asks whether the session already ran a tool: it is answered from the
// calls of the same session earlier in CALLS.jsonl (whatever their outcome). Whether the file a
// call names exists (for "unless": "new_file") comes from the call's "file_exists" (default true).
#include <exception>
#include <fstream>
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mistake/call_check.hpp"

namespace {

using pat::json;

struct Check {
  std::string id, tool;
  json mistake;
};

struct Call {
  std::string tool;
  json input;
};

std::vector<json> read_jsonl(const char* path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(std::string("cannot open ") + path);
  std::vector<json> records;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      records.push_back(json::parse(line));
    } catch (const json::exception& e) {
      throw std::runtime_error(std::string(path) + ":" + std::to_string(number) + ": " + e.what());
    }
  }
  return records;
}

// input[param] == value, for a string value or any other JSON value written as JSON text.
bool has_value(const json& input, std::string_view param, std::string_view value) {
  if (!input.is_object()) return false;
  const auto it = input.find(std::string(param));
  if (it == input.end()) return false;
  return it->is_string() ? it->get_ref<const std::string&>() == value : it->dump() == value;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: check_eval PATTERNS.jsonl CALLS.jsonl\n";
    return 64;
  }
  try {
    std::vector<Check> checks;
    for (const json& p : read_jsonl(argv[1])) {
      if (p.value("kind", "") != "pattern" || !p.contains("mistake")) continue;
      checks.push_back({p.at("id").get<std::string>(), p.at("tool").get<std::string>(), p.at("mistake")});
    }

    std::map<std::string, std::vector<Call>> earlier;  // session -> its calls evaluated so far
    for (const json& record : read_jsonl(argv[2])) {
      Call call{record.at("tool").get<std::string>(), record.value("input", json::object())};
      std::vector<Call>& history = earlier[record.value("session", "")];
      const auto seen = [&history](std::string_view tool, std::string_view param, std::string_view value) {
        for (const Call& c : history)
          if (c.tool == tool && (param.empty() || has_value(c.input, param, value))) return true;
        return false;
      };

      const bool file_exists = record.value("file_exists", true);
      const auto exists = [file_exists](std::string_view) { return file_exists; };

      std::string ids;
      for (const Check& check : checks) {
        if (check.tool != call.tool) continue;
        const bool hit = check.mistake.contains("requires")
                             ? pat::requirement_missing(check.mistake, call.input, seen, exists)
                             : pat::check_matches(check.mistake, call.input);
        if (hit) ids += (ids.empty() ? "" : " ") + check.id;
      }
      std::cout << ids << '\n';
      history.push_back(std::move(call));
    }
    std::cout.flush();
    if (!std::cout) throw std::runtime_error("cannot write to standard output");
  } catch (const std::exception& e) {
    std::cerr << "check_eval: " << e.what() << '\n';
    return 65;
  }
  return 0;
}
